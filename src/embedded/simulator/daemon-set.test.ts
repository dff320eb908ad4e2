import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { daemonSetChanges, daemonSetRevision, daemonSetStatus } from "./daemon-set.js";
import { nodeObject, nodeStatus } from "./node.js";
import { fitsNode } from "./scheduler.js";

const NOW = Date.parse("2026-01-01T00:10:00Z");
const node: KubeObject = { ...nodeObject("bosun-node"), status: nodeStatus("bosun-node", "2026-01-01T00:00:00Z") };

function ds(templateSpec: JsonRecord = {}, strategy = "RollingUpdate"): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", namespace: "kube-system", uid: "ds-uid", generation: 2 },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      updateStrategy: { type: strategy },
      template: {
        metadata: { labels: { app: "agent" } },
        spec: { containers: [{ name: "agent", image: "agent:1" }], ...templateSpec },
      },
    },
  };
}

function pod(name: string, revision: string, ready = true): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "kube-system", labels: { app: "agent", "controller-revision-hash": revision } },
    spec: { nodeName: "bosun-node", containers: [] },
    status: {
      phase: "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: "2026-01-01T00:00:00Z" }],
    },
  };
}

test("one pod for the node, pinned to it by node affinity, tolerating node conditions", () => {
  const set = ds();
  const { create, delete: del } = daemonSetChanges(set, [], node);
  assert.equal(create.length, 1);
  assert.deepEqual(del, []);
  const p = create[0] as KubeObject;
  assert.equal(p.metadata.generateName, "agent-");
  assert.equal(p.metadata.labels?.["controller-revision-hash"], daemonSetRevision(set));
  assert.equal(p.metadata.labels?.["pod-template-generation"], "2");
  assert.ok(fitsNode(p, node), "the scheduler can bind it to the node");
  assert.ok(!fitsNode(p, nodeObject("other-node")), "and to no other");
  const tolerations = (p.spec as { tolerations: JsonRecord[] }).tolerations.map((t) => t.key);
  assert.ok(tolerations.includes("node.kubernetes.io/not-ready"));
  assert.deepEqual(daemonSetChanges(set, [pod("agent-x", daemonSetRevision(set))], node), { create: [], delete: [] });
});

test("a nodeSelector the node does not match, or no Ready node, means no pod", () => {
  const picky = ds({ nodeSelector: { "kubernetes.io/os": "windows" } });
  assert.deepEqual(daemonSetChanges(picky, [], node), { create: [], delete: [] });
  assert.equal(daemonSetStatus(picky, [], node, NOW).status.desiredNumberScheduled, 0);
  assert.equal(daemonSetStatus(ds(), [], undefined, NOW).status.desiredNumberScheduled, 0);
  const linux = ds({ nodeSelector: { "kubernetes.io/os": "linux" } });
  assert.equal(daemonSetChanges(linux, [], node).create.length, 1);
});

test("RollingUpdate replaces an outdated pod; OnDelete keeps it", () => {
  const outdated = pod("agent-old", "older");
  assert.deepEqual(
    daemonSetChanges(ds(), [outdated], node).delete.map((p) => p.metadata.name),
    ["agent-old"],
  );
  assert.deepEqual(daemonSetChanges(ds({}, "OnDelete"), [outdated], node), { create: [], delete: [] });
});

test("status counts scheduled, ready, updated and available pods", () => {
  const set = ds();
  assert.deepEqual(daemonSetStatus(set, [pod("agent-x", daemonSetRevision(set))], node, NOW).status, {
    currentNumberScheduled: 1,
    numberMisscheduled: 0,
    desiredNumberScheduled: 1,
    numberReady: 1,
    observedGeneration: 2,
    updatedNumberScheduled: 1,
    numberAvailable: 1,
  });
  assert.deepEqual(daemonSetStatus(set, [pod("agent-x", "older", false)], node, NOW).status, {
    currentNumberScheduled: 1,
    numberMisscheduled: 0,
    desiredNumberScheduled: 1,
    numberReady: 0,
    observedGeneration: 2,
    numberUnavailable: 1,
  });
});
