import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { planStatefulSet, statefulSetStatus, updateRevision } from "./stateful-set.js";

const NOW = Date.parse("2026-01-01T00:10:00Z");

function sts(spec: JsonRecord = {}, status?: JsonRecord): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "default", uid: "sts-uid", generation: 1 },
    spec: {
      replicas: 3,
      serviceName: "db",
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      selector: { matchLabels: { app: "db" } },
      template: {
        metadata: { labels: { app: "db" } },
        spec: { containers: [{ name: "db", image: "postgres:16" }], volumes: [{ name: "config", emptyDir: {} }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
      ...spec,
    },
    status,
  };
}

function pod(set: KubeObject, ordinal: number, options: { ready?: boolean; revision?: string } = {}): KubeObject {
  const ready = options.ready ?? true;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `db-${ordinal}`,
      namespace: "default",
      labels: { app: "db", "controller-revision-hash": options.revision ?? updateRevision(set) },
    },
    spec: { nodeName: "bosun-node", containers: [] },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: "2026-01-01T00:00:00Z" }],
    },
  };
}

const none = () => false;

test("OrderedReady: pod 0 first, with its claim; the next only once the one before is ready", () => {
  const set = sts();
  const first = planStatefulSet(set, [], none);
  assert.deepEqual(
    first.createPods.map((p) => p.metadata.name),
    ["db-0"],
  );
  const claim = first.createClaims[0];
  assert.equal(claim?.metadata.name, "data-db-0");
  assert.deepEqual(claim?.metadata.labels, { app: "db" });
  assert.deepEqual((claim?.spec as JsonRecord | undefined)?.resources, { requests: { storage: "1Gi" } });
  const p0 = first.createPods[0] as KubeObject;
  const spec = p0.spec as JsonRecord;
  assert.equal(spec.hostname, "db-0");
  assert.equal(spec.subdomain, "db");
  assert.deepEqual(spec.volumes, [
    { name: "config", emptyDir: {} },
    { name: "data", persistentVolumeClaim: { claimName: "data-db-0" } },
  ]);
  assert.equal(p0.metadata.labels?.["controller-revision-hash"], updateRevision(set));
  assert.equal(p0.metadata.labels?.["statefulset.kubernetes.io/pod-name"], "db-0");
  assert.equal(p0.metadata.labels?.["apps.kubernetes.io/pod-index"], "0");

  assert.deepEqual(planStatefulSet(set, [pod(set, 0, { ready: false })], none), {
    createClaims: [],
    createPods: [],
    deletePods: [],
  });
  const second = planStatefulSet(set, [pod(set, 0)], (name) => name === "data-db-1");
  assert.deepEqual(
    second.createPods.map((p) => p.metadata.name),
    ["db-1"],
  );
  assert.deepEqual(second.createClaims, [], "an existing claim is reused");
});

test("Parallel creates every missing pod at once", () => {
  const plan = planStatefulSet(sts({ podManagementPolicy: "Parallel" }), [], none);
  assert.deepEqual(
    plan.createPods.map((p) => p.metadata.name),
    ["db-0", "db-1", "db-2"],
  );
  assert.equal(plan.createClaims.length, 3);
});

test("scaling down removes the highest ordinal first, one at a time", () => {
  const set = sts({ replicas: 1 });
  const plan = planStatefulSet(set, [pod(set, 0), pod(set, 1), pod(set, 2)], none);
  assert.deepEqual(
    plan.deletePods.map((p) => p.metadata.name),
    ["db-2"],
  );
});

test("a rolling update replaces the highest stale pod at or above the partition, once all are ready", () => {
  const set = sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } });
  const pods = [
    pod(set, 0, { revision: "db-old" }),
    pod(set, 1, { revision: "db-old" }),
    pod(set, 2, { revision: "db-old" }),
  ];
  assert.deepEqual(
    planStatefulSet(set, pods, none).deletePods.map((p) => p.metadata.name),
    ["db-2"],
  );
  const done = [pod(set, 0, { revision: "db-old" }), pod(set, 1), pod(set, 2)];
  assert.deepEqual(planStatefulSet(set, done, none).deletePods, [], "below the partition keeps its revision");
  const onDelete = sts({ updateStrategy: { type: "OnDelete" } });
  assert.deepEqual(planStatefulSet(onDelete, pods, none).deletePods, []);
});

test("status: replicas, ready, current and updated revisions; current catches up once all are updated and ready", () => {
  const set = sts({}, { currentRevision: "db-old" });
  const rev = updateRevision(set);
  const mid = statefulSetStatus(
    set,
    [pod(set, 0, { revision: "db-old" }), pod(set, 1), pod(set, 2, { ready: false })],
    NOW,
  );
  assert.deepEqual(mid.status, {
    observedGeneration: 1,
    replicas: 3,
    readyReplicas: 2,
    currentReplicas: 1,
    updatedReplicas: 2,
    currentRevision: "db-old",
    updateRevision: rev,
    collisionCount: 0,
    availableReplicas: 2,
  });
  const done = statefulSetStatus(set, [pod(set, 0), pod(set, 1), pod(set, 2)], NOW);
  assert.equal(done.status.currentRevision, rev);
  assert.equal(done.status.currentReplicas, 3);
  assert.equal(done.status.updatedReplicas, 3);
});
