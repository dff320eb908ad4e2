import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { fenceposts, findNewReplicaSet, planRollout, REVISION, revisionOf } from "./deployment-rollout.js";

function deployment(spec: JsonRecord = {}, status?: JsonRecord): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "d-uid",
      generation: 1,
      annotations: { "bosun.dev/tracking-id": "t", "kubectl.kubernetes.io/last-applied-configuration": "{}" },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1" }] } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      ...spec,
    },
    status,
  };
}

/** The ReplicaSet a plan creates, as stored, with `replicas` and `available` pods. */
function stored(rs: KubeObject, name: string, options: { replicas: number; available: number; created: string }) {
  const spec = { ...(rs.spec as JsonRecord), replicas: options.replicas };
  const status = { replicas: options.replicas, availableReplicas: options.available, observedGeneration: 1 };
  return {
    ...rs,
    metadata: { ...rs.metadata, name, uid: `${name}-uid`, creationTimestamp: options.created, generation: 1 },
    spec,
    status,
  };
}

function withImage(d: KubeObject, image: string): KubeObject {
  const spec = structuredClone(d.spec as JsonRecord);
  (spec.template as { spec: { containers: JsonRecord[] } }).spec.containers = [{ name: "web", image }];
  return { ...d, metadata: { ...d.metadata, generation: 2 }, spec };
}

test("a new Deployment gets one ReplicaSet named for its template hash, owned by it, at full scale", () => {
  const plan = planRollout(deployment(), []);
  const rs = plan.create;
  assert.ok(rs);
  const hash = rs.metadata.labels?.["pod-template-hash"] ?? "";
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.equal((rs.spec as JsonRecord).replicas, 3);
  assert.deepEqual((rs.spec as { selector: JsonRecord }).selector, {
    matchLabels: { app: "web", "pod-template-hash": hash },
  });
  assert.deepEqual(rs.metadata.labels, { app: "web", "pod-template-hash": hash });
  assert.equal(rs.metadata.annotations?.[REVISION], "1");
  assert.equal(rs.metadata.annotations?.["deployment.kubernetes.io/desired-replicas"], "3");
  assert.equal(rs.metadata.annotations?.["deployment.kubernetes.io/max-replicas"], "4");
  assert.equal(rs.metadata.annotations?.["bosun.dev/tracking-id"], "t", "the Deployment's annotations are copied");
  assert.equal(rs.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"], undefined);
  assert.deepEqual(rs.metadata.ownerReferences, [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "web",
      uid: "d-uid",
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.deepEqual(plan.scale, []);
});

test("a rolling update surges the new ReplicaSet, then scales the old one down as new pods become available", () => {
  const v1 = deployment();
  const created = planRollout(v1, []).create as KubeObject;
  const old = stored(created, "web-old", { replicas: 3, available: 3, created: "2026-01-01T00:00:00Z" });
  const v2 = withImage(v1, "nginx:2");
  assert.equal(findNewReplicaSet(v2, [old]), undefined);

  const first = planRollout(v2, [old]);
  assert.equal((first.create?.spec as JsonRecord | undefined)?.replicas, 1, "maxSurge 25% of 3 rounds up to 1");
  assert.equal(first.create?.metadata.annotations?.[REVISION], "2");
  assert.deepEqual(first.scale, [], "maxUnavailable 25% of 3 rounds down to 0: nothing goes before a new pod is up");

  const fresh = stored(first.create as KubeObject, "web-new", {
    replicas: 1,
    available: 0,
    created: "2026-01-01T00:01:00Z",
  });
  assert.deepEqual(planRollout(v2, [old, fresh]).scale, [], "waits while the new pod is unavailable");

  const up = stored(first.create as KubeObject, "web-new", {
    replicas: 1,
    available: 1,
    created: "2026-01-01T00:01:00Z",
  });
  const second = planRollout(v2, [old, up]);
  assert.deepEqual(
    second.scale.map((w) => [w.name, w.replicas]),
    [["web-old", 2]],
  );
});

test("Recreate scales every old ReplicaSet to zero and creates the new one only once the old pods are gone", () => {
  const v1 = deployment({ strategy: { type: "Recreate" } });
  assert.deepEqual(fenceposts(v1), { maxSurge: 0, maxUnavailable: 0 });
  const created = planRollout(v1, []).create as KubeObject;
  const old = stored(created, "web-old", { replicas: 3, available: 3, created: "2026-01-01T00:00:00Z" });
  const v2 = withImage(v1, "nginx:2");
  const first = planRollout(v2, [old]);
  assert.equal(first.create, undefined);
  assert.deepEqual(
    first.scale.map((w) => [w.name, w.replicas]),
    [["web-old", 0]],
  );
  const draining = { ...old, spec: { ...(old.spec as JsonRecord), replicas: 0 } };
  assert.equal(planRollout(v2, [draining]).create, undefined, "old pods still exist");
  const drained = { ...draining, status: { replicas: 0, observedGeneration: 1 } };
  assert.equal((planRollout(v2, [drained]).create?.spec as JsonRecord | undefined)?.replicas, 3);
});

test("a paused Deployment starts no rollout, but a lone ReplicaSet still follows spec.replicas", () => {
  const v1 = deployment();
  const created = planRollout(v1, []).create as KubeObject;
  const rs = stored(created, "web-1", { replicas: 3, available: 3, created: "2026-01-01T00:00:00Z" });
  const paused = withImage(deployment({ paused: true, replicas: 5 }), "nginx:2");
  const plan = planRollout(paused, [rs]);
  assert.equal(plan.create, undefined);
  assert.deepEqual(
    plan.scale.map((w) => [w.name, w.replicas]),
    [["web-1", 5]],
  );
});

test("rolling back to an older template makes its ReplicaSet the new one, with the next revision", () => {
  const v1 = deployment();
  const rs1 = stored(planRollout(v1, []).create as KubeObject, "web-1", {
    replicas: 0,
    available: 0,
    created: "2026-01-01T00:00:00Z",
  });
  const v2 = withImage(v1, "nginx:2");
  const rs2 = stored(planRollout(v2, [rs1]).create as KubeObject, "web-2", {
    replicas: 3,
    available: 3,
    created: "2026-01-01T00:01:00Z",
  });
  assert.equal(revisionOf(rs2), 2);
  const back = { ...v1, metadata: { ...v1.metadata, generation: 3 } };
  assert.equal(findNewReplicaSet(back, [rs1, rs2])?.metadata.name, "web-1");
  const plan = planRollout(back, [rs1, rs2]);
  assert.equal(plan.create, undefined);
  const write = plan.scale.find((w) => w.name === "web-1");
  assert.equal(write?.annotations[REVISION], "3");
  assert.equal(write?.replicas, 1, "and it surges");
});

test("old ReplicaSets beyond revisionHistoryLimit are deleted once the rollout is complete", () => {
  const complete = { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
  const d = deployment({ revisionHistoryLimit: 1 }, complete);
  const current = stored(planRollout(d, []).create as KubeObject, "web-3", {
    replicas: 3,
    available: 3,
    created: "2026-01-01T00:03:00Z",
  });
  const old = (name: string, revision: string): KubeObject => ({
    ...current,
    metadata: { ...current.metadata, name, uid: `${name}-uid`, annotations: { [REVISION]: revision } },
    spec: {
      ...(current.spec as JsonRecord),
      replicas: 0,
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: name }] } },
    },
    status: { replicas: 0, observedGeneration: 1 },
  });
  const plan = planRollout(d, [old("web-1", "1"), old("web-2", "2"), current]);
  assert.deepEqual(plan.delete, ["web-1"]);
  const rolling = deployment({ revisionHistoryLimit: 1 }, { ...complete, availableReplicas: 2 });
  assert.deepEqual(planRollout(rolling, [old("web-1", "1"), old("web-2", "2"), current]).delete, []);
});
