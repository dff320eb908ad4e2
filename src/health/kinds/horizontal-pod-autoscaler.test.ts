import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { horizontalPodAutoscalerHealth, V1_CONDITIONS_ANNOTATION } from "./horizontal-pod-autoscaler.js";

const v1 = (annotation: string | undefined): KubeObject => ({
  apiVersion: "autoscaling/v1",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "web", annotations: annotation === undefined ? {} : { [V1_CONDITIONS_ANNOTATION]: annotation } },
  status: { currentReplicas: 2, desiredReplicas: 2 },
});

test("autoscaling/v1 conditions are read from the annotation", () => {
  const able = JSON.stringify([
    { type: "AbleToScale", status: "True", reason: "ReadyForNewScale" },
    { type: "ScalingActive", status: "True", reason: "ValidMetricFound" },
  ]);
  assert.equal(horizontalPodAutoscalerHealth(v1(able)).status, "Healthy");
  const unable = JSON.stringify([
    { type: "AbleToScale", status: "False", reason: "FailedUpdateScale", message: "conflict" },
  ]);
  assert.deepEqual(horizontalPodAutoscalerHealth(v1(unable)), {
    status: "Degraded",
    message: "Cannot scale the target: FailedUpdateScale: conflict",
  });
});

test("an unreadable annotation counts as no conditions, not as a crash", () => {
  for (const bad of ["{not json", '{"type":"AbleToScale"}', "[1, 2]"])
    assert.equal(horizontalPodAutoscalerHealth(v1(bad)).status, "Progressing", bad);
  assert.equal(horizontalPodAutoscalerHealth(v1(undefined)).status, "Progressing");
});

test("ScalingActive=False is Degraded for every reason but ScalingDisabled", () => {
  for (const reason of [
    "FailedGetPodsMetric",
    "FailedGetExternalMetric",
    "InvalidSelector",
    "InvalidMetricSourceType",
  ]) {
    const obj: KubeObject = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      status: { conditions: [{ type: "ScalingActive", status: "False", reason }] },
    };
    assert.equal(horizontalPodAutoscalerHealth(obj).status, "Degraded", reason);
  }
});
