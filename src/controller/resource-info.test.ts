import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { infoOf } from "./resource-info.js";

const object = (apiVersion: string, kind: string, rest: Record<string, unknown>): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: "x" },
  ...rest,
});

test("a Pod: its phase (or why a container waits), readiness, restarts and images", () => {
  const running = object("v1", "Pod", {
    spec: { containers: [{ image: "nginx:1.27" }, { image: "envoy:1" }] },
    status: {
      phase: "Running",
      containerStatuses: [
        { ready: true, restartCount: 0 },
        { ready: false, restartCount: 2 },
      ],
    },
  });
  assert.deepEqual(infoOf(running), ["Running", "1/2 ready", "2 restarts", "nginx:1.27", "envoy:1"]);
  const crashing = object("v1", "Pod", {
    spec: { containers: [{ image: "a" }, { image: "b" }, { image: "c" }, { image: "a" }] },
    status: {
      phase: "Running",
      containerStatuses: [{ ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } }],
    },
  });
  assert.deepEqual(infoOf(crashing), ["CrashLoopBackOff", "0/4 ready", "a", "b", "+1 more"]);
  assert.deepEqual(infoOf(object("v1", "Pod", {})), ["Pending", "0/0 ready"]);
});

test("workloads: ready of desired replicas; a ReplicaSet's revision", () => {
  const deployment = object("apps/v1", "Deployment", {
    spec: { replicas: 3, template: { spec: { containers: [{ image: "web:2" }] } } },
    status: { readyReplicas: 2 },
  });
  assert.deepEqual(infoOf(deployment), ["2/3 ready", "web:2"]);
  const rs = {
    ...object("apps/v1", "ReplicaSet", { spec: { replicas: 0 } }),
    metadata: { name: "web-1", annotations: { "deployment.kubernetes.io/revision": "4" } },
  };
  assert.deepEqual(infoOf(rs), ["0/0 ready", "revision 4"]);
  assert.deepEqual(infoOf(object("apps/v1", "StatefulSet", {})), ["0/1 ready"], "replicas default to 1");
  assert.deepEqual(infoOf(object("apps/v1", "DaemonSet", { status: { numberReady: 1, desiredNumberScheduled: 2 } })), [
    "1/2 ready",
  ]);
});

test("claims, Services, EndpointSlices, Jobs; other kinds have nothing to show", () => {
  assert.deepEqual(
    infoOf(object("v1", "PersistentVolumeClaim", { spec: { resources: { requests: { storage: "1Gi" } } } })),
    ["Pending", "1Gi"],
  );
  assert.deepEqual(
    infoOf(object("v1", "PersistentVolumeClaim", { status: { phase: "Bound", capacity: { storage: "2Gi" } } })),
    ["Bound", "2Gi"],
  );
  assert.deepEqual(infoOf(object("v1", "Service", { spec: { clusterIP: "10.96.0.9" } })), ["ClusterIP", "10.96.0.9"]);
  const slice = object("discovery.k8s.io/v1", "EndpointSlice", {
    endpoints: [{ conditions: { ready: true } }, { conditions: { ready: false } }, {}],
  });
  assert.deepEqual(infoOf(slice), ["2/3 endpoints ready"]);
  assert.deepEqual(infoOf(object("batch/v1", "Job", { status: { succeeded: 1, active: 1 } })), [
    "1/1 succeeded",
    "1 active",
  ]);
  assert.deepEqual(infoOf(object("v1", "ConfigMap", { data: { a: "b" } })), []);
  assert.deepEqual(infoOf(object("v1", "Secret", { data: { a: "c2VjcmV0" } })), [], "nothing of a Secret");
});
