import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { replicaSetChanges, replicaSetStatus } from "./replica-set.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");

function rs(replicas: number, minReadySeconds = 0): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web-abc", namespace: "default", uid: "rs-uid", generation: 4 },
    spec: {
      replicas,
      minReadySeconds,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web", "pod-template-hash": "abc" }, annotations: { "bosun.dev/simulate": "slow" } },
        spec: { containers: [{ name: "web", image: "nginx:1" }] },
      },
    },
  };
}

function pod(name: string, state: { node?: boolean; ready?: boolean; readyAt?: number; phase?: string }): KubeObject {
  const spec: JsonRecord = { containers: [{ name: "web", image: "nginx:1" }] };
  if (state.node !== false) spec.nodeName = "bosun-node";
  const at = `${new Date(state.readyAt ?? T0).toISOString().slice(0, 19)}Z`;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: "web", "pod-template-hash": "abc" }, creationTimestamp: at },
    spec,
    status: {
      phase: state.phase ?? (state.node === false ? "Pending" : "Running"),
      conditions: [{ type: "Ready", status: state.ready ? "True" : "False", lastTransitionTime: at }],
    },
  };
}

test("missing pods are created from the template, named by the server from the ReplicaSet's name", () => {
  const changes = replicaSetChanges(rs(3), [pod("web-abc-1", { ready: true })]);
  assert.equal(changes.create.length, 2);
  assert.deepEqual(changes.delete, []);
  const created = changes.create[0];
  assert.equal(created?.metadata.generateName, "web-abc-");
  assert.equal(created?.metadata.name, undefined);
  assert.deepEqual(created?.metadata.labels, { app: "web", "pod-template-hash": "abc" });
  assert.deepEqual(created?.metadata.annotations, { "bosun.dev/simulate": "slow" }, "template annotations go along");
  assert.equal(created?.metadata.ownerReferences?.[0]?.uid, "rs-uid");
  assert.equal(created?.metadata.ownerReferences?.[0]?.controller, true);
});

test("extra pods are deleted unscheduled first, then not ready, then the most recently ready", () => {
  const pods = [
    pod("ready-long", { ready: true, readyAt: T0 }),
    pod("unscheduled", { node: false }),
    pod("ready-recent", { ready: true, readyAt: T0 + 60_000 }),
    pod("not-ready", { ready: false }),
  ];
  const names = (n: number) => replicaSetChanges(rs(4 - n), pods).delete.map((p) => p.metadata.name);
  assert.deepEqual(names(1), ["unscheduled"]);
  assert.deepEqual(names(3), ["unscheduled", "not-ready", "ready-recent"]);
  assert.deepEqual(replicaSetChanges(rs(4), pods), { create: [], delete: [] });
});

test("finished pods do not count; a replacement is created", () => {
  const changes = replicaSetChanges(rs(1), [pod("gone", { phase: "Failed" })]);
  assert.equal(changes.create.length, 1);
});

test("the status counts active, ready and available pods, waiting out minReadySeconds", () => {
  const pods = [
    pod("a", { ready: true, readyAt: T0 }),
    pod("b", { ready: true, readyAt: T0 + 8000 }),
    pod("c", { ready: false }),
    pod("d", { phase: "Succeeded" }),
  ];
  const now = T0 + 10_000;
  const result = replicaSetStatus(rs(3, 5), pods, now);
  assert.deepEqual(result.status, {
    replicas: 3,
    fullyLabeledReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 1,
    observedGeneration: 4,
  });
  assert.equal(result.wakeAt, T0 + 13_000, "b becomes available 5 s after it became ready");
  assert.deepEqual(replicaSetStatus(rs(0), [], now), { status: { replicas: 0, observedGeneration: 4 } });
});
