import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { podHealth } from "./pod.js";

const pod = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec,
  status,
});

const ready = { type: "Ready", status: "True" };
const waiting = (name: string, reason: string, message?: string) => ({ name, state: { waiting: { reason, message } } });

test("every failing waiting reason the kubelet writes is Degraded, naming the container", () => {
  for (const reason of [
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "ErrImageNeverPull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
    "PostStartHookError",
  ]) {
    const h = podHealth(pod({}, { phase: "Pending", containerStatuses: [waiting("web", reason)] }));
    assert.deepEqual(h, { status: "Degraded", message: `Container "web" is in ${reason}` }, reason);
  }
});

test("waiting reasons that are part of a normal start are not failures", () => {
  for (const reason of ["ContainerCreating", "PodInitializing"]) {
    const h = podHealth(pod({}, { phase: "Pending", containerStatuses: [waiting("web", reason)] }));
    assert.equal(h.status, "Progressing", reason);
  }
});

test("the first failing container is reported, init containers first", () => {
  const h = podHealth(
    pod(
      {},
      {
        phase: "Pending",
        initContainerStatuses: [waiting("init", "ImagePullBackOff", "Back-off pulling image")],
        containerStatuses: [waiting("app", "CrashLoopBackOff")],
      },
    ),
  );
  assert.equal(h.message, 'Init container "init" is in ImagePullBackOff: Back-off pulling image');
});

test("a crash loop in a Running pod is Degraded, not merely not-ready", () => {
  const h = podHealth(
    pod(
      {},
      {
        phase: "Running",
        conditions: [{ type: "Ready", status: "False" }],
        containerStatuses: [waiting("app", "CrashLoopBackOff")],
      },
    ),
  );
  assert.equal(h.status, "Degraded");
});

test("restartPolicy Always (also when unset) is Healthy only while Running and Ready", () => {
  assert.equal(podHealth(pod({}, { phase: "Running", conditions: [ready] })).status, "Healthy");
  assert.equal(
    podHealth(pod({ restartPolicy: "Always" }, { phase: "Running", conditions: [ready] })).status,
    "Healthy",
  );
  assert.equal(podHealth(pod({}, { phase: "Running" })).status, "Progressing");
});

test("restartPolicy OnFailure or Never: Running is Progressing even when Ready; Succeeded is Healthy", () => {
  for (const restartPolicy of ["OnFailure", "Never"]) {
    assert.equal(podHealth(pod({ restartPolicy }, { phase: "Running", conditions: [ready] })).status, "Progressing");
    assert.equal(podHealth(pod({ restartPolicy }, { phase: "Succeeded" })).status, "Healthy");
  }
});

test("a Failed pod says why: the pod's reason, else the failed container, else just that it failed", () => {
  assert.equal(
    podHealth(
      pod(
        {},
        {
          phase: "Failed",
          reason: "DeadlineExceeded",
          message: "Pod was active on the node longer than the specified deadline",
        },
      ),
    ).message,
    "Pod failed: DeadlineExceeded: Pod was active on the node longer than the specified deadline",
  );
  const oom = { name: "app", state: { terminated: { exitCode: 137, reason: "OOMKilled" } } };
  assert.equal(
    podHealth(pod({}, { phase: "Failed", containerStatuses: [oom] })).message,
    'Pod failed: container "app" exited with code 137 (OOMKilled)',
  );
  assert.equal(podHealth(pod({}, { phase: "Failed" })).message, "Pod failed");
});

test("Succeeded wins over stale container states", () => {
  assert.equal(
    podHealth(pod({}, { phase: "Succeeded", containerStatuses: [waiting("app", "CrashLoopBackOff")] })).status,
    "Healthy",
  );
});

test("phase Unknown (node lost) is Unknown; no status yet is Progressing; a phase nobody knows is Unknown", () => {
  assert.equal(podHealth(pod({}, { phase: "Unknown", reason: "NodeLost" })).status, "Unknown");
  assert.match(podHealth(pod({}, { phase: "Unknown", reason: "NodeLost" })).message, /NodeLost/);
  assert.equal(podHealth(pod({}, {})).status, "Progressing");
  assert.equal(podHealth(pod({}, { phase: "Hibernating" })).status, "Unknown");
});
