import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { type DeploymentStatusInput, deploymentStatus } from "./deployment-status.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function deployment(status?: JsonRecord, spec: JsonRecord = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", generation: 1 },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: 60,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      ...spec,
    },
    status,
  };
}

function rs(replicas: number, ready: number): KubeObject {
  const status: JsonRecord = { replicas, observedGeneration: 1 };
  if (ready > 0) Object.assign(status, { readyReplicas: ready, availableReplicas: ready });
  return { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-abc" }, spec: { replicas }, status };
}

function run(d: KubeObject, replicaSet: KubeObject, at: number, created = false) {
  const input: DeploymentStatusInput = {
    deployment: d,
    replicaSets: [replicaSet],
    newReplicaSet: replicaSet,
    created,
    now: at,
    nowStamp: stamp(at),
  };
  return deploymentStatus(input);
}

function condition(status: JsonRecord, type: string): JsonRecord | undefined {
  return (status.conditions as JsonRecord[]).find((c) => c.type === type);
}

test("a rollout goes NewReplicaSetCreated → ReplicaSetUpdated → NewReplicaSetAvailable, Available when enough are up", () => {
  const created = run(deployment(), rs(0, 0), T0, true);
  assert.equal(condition(created.status, "Progressing")?.reason, "NewReplicaSetCreated");
  assert.equal(condition(created.status, "Progressing")?.message, 'Created new replica set "web-abc"');
  assert.equal(condition(created.status, "Available")?.status, "False");
  assert.equal(condition(created.status, "Available")?.reason, "MinimumReplicasUnavailable");
  assert.equal(created.status.observedGeneration, 1);
  assert.equal(created.status.replicas, undefined, "zero counts are left out");
  assert.equal(created.wakeAt, T0 + 60_000 + 1, "looks again at the progress deadline");

  const progressing = run(deployment(created.status), rs(2, 1), T0 + 5000);
  const p = condition(progressing.status, "Progressing");
  assert.equal(p?.reason, "ReplicaSetUpdated");
  assert.equal(p?.message, 'ReplicaSet "web-abc" is progressing.');
  assert.equal(p?.lastUpdateTime, stamp(T0 + 5000), "progress moves lastUpdateTime");
  assert.equal(p?.lastTransitionTime, stamp(T0), "but not lastTransitionTime");
  assert.deepEqual(
    [progressing.status.replicas, progressing.status.updatedReplicas, progressing.status.readyReplicas],
    [2, 2, 1],
  );
  assert.equal(progressing.status.unavailableReplicas, 1);
  assert.equal(
    condition(progressing.status, "Available")?.status,
    "False",
    "maxUnavailable 25% of 2 rounds down to 0: 1 of 2 available is not enough",
  );

  const done = run(deployment(progressing.status), rs(2, 2), T0 + 9000);
  assert.equal(condition(done.status, "Progressing")?.reason, "NewReplicaSetAvailable");
  assert.equal(condition(done.status, "Progressing")?.message, 'ReplicaSet "web-abc" has successfully progressed.');
  assert.equal(condition(done.status, "Available")?.reason, "MinimumReplicasAvailable");
  assert.equal(done.wakeAt, undefined);
  assert.deepEqual(run(deployment(done.status), rs(2, 2), T0 + 99_000).status, done.status, "a converged status stays");
});

test("no progress for progressDeadlineSeconds is ProgressDeadlineExceeded; progress afterwards recovers", () => {
  const created = run(deployment(), rs(2, 0), T0, true);
  const waiting = run(deployment(created.status), rs(2, 0), T0 + 30_000);
  assert.equal(condition(waiting.status, "Progressing")?.status, "True");
  assert.equal(waiting.wakeAt, T0 + 60_000 + 1);
  const late = run(deployment(waiting.status), rs(2, 0), T0 + 61_000);
  const p = condition(late.status, "Progressing");
  assert.equal(p?.status, "False");
  assert.equal(p?.reason, "ProgressDeadlineExceeded");
  assert.equal(p?.message, 'ReplicaSet "web-abc" has timed out progressing.');
  assert.equal(late.wakeAt, undefined);
  assert.deepEqual(run(deployment(late.status), rs(2, 0), T0 + 500_000).status, late.status, "it stays timed out");
  const recovered = run(deployment(late.status), rs(2, 2), T0 + 600_000);
  assert.equal(condition(recovered.status, "Progressing")?.reason, "NewReplicaSetAvailable");
});

test("pausing and resuming are reported on Progressing (Unknown) and stop the deadline", () => {
  const created = run(deployment(), rs(2, 0), T0, true);
  const paused = run(deployment(created.status, { paused: true }), rs(2, 0), T0 + 1000);
  assert.deepEqual(
    [condition(paused.status, "Progressing")?.status, condition(paused.status, "Progressing")?.reason],
    ["Unknown", "DeploymentPaused"],
  );
  assert.equal(paused.wakeAt, undefined);
  const stillPaused = run(deployment(paused.status, { paused: true }), rs(2, 0), T0 + 600_000);
  assert.equal(condition(stillPaused.status, "Progressing")?.reason, "DeploymentPaused", "no deadline while paused");
  const resumed = run(deployment(stillPaused.status), rs(2, 0), T0 + 601_000);
  assert.equal(condition(resumed.status, "Progressing")?.reason, "DeploymentResumed");
});

test("without a progress deadline there is no Progressing condition to time out", () => {
  const d = deployment(undefined, { progressDeadlineSeconds: 2147483647 });
  const r = run(d, rs(2, 0), T0, true);
  assert.equal(condition(r.status, "Progressing"), undefined);
  assert.equal(r.wakeAt, undefined);
});
