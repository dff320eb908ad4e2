import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { replicaSetHealth } from "./replica-set.js";

const rs = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name: "web-1" },
  spec,
  status,
});

test("spec.replicas defaults to 1", () => {
  assert.equal(replicaSetHealth(rs({}, {})).status, "Progressing");
  assert.equal(replicaSetHealth(rs({}, { availableReplicas: 1 })).status, "Healthy");
});

test("ReplicaFailure=True is Degraded even with every replica available; False is not", () => {
  const failure = (status: string) => ({ type: "ReplicaFailure", status, reason: "FailedCreate", message: "quota" });
  assert.equal(
    replicaSetHealth(rs({ replicas: 1 }, { availableReplicas: 1, conditions: [failure("True")] })).status,
    "Degraded",
  );
  assert.equal(
    replicaSetHealth(rs({ replicas: 1 }, { availableReplicas: 1, conditions: [failure("False")] })).status,
    "Healthy",
  );
});
