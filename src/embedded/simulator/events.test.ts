import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { eventObject, jobEvents, kubeletEvents, scalingEvent } from "./events.js";

const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "team", uid: "u1", resourceVersion: "7" },
  spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
  status: {
    containerStatuses: [{ name: "web", restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }],
  },
};
const status = (state: Record<string, unknown>, restartCount = 0) => ({
  containerStatuses: [{ name: "web", restartCount, state }],
});

test("the kubelet records Pulled, Created and Started when a container starts, and BackOff when it crash-loops", () => {
  const started = kubeletEvents(pod, status({ running: { startedAt: "x" } }), "bosun-node");
  assert.deepEqual(
    started.map((e) => `${e.type} ${e.reason}: ${e.message} (${e.source.component}@${e.source.host})`),
    [
      'Normal Pulled: Container image "nginx:1.27" already present on machine (kubelet@bosun-node)',
      "Normal Created: Created container: web (kubelet@bosun-node)",
      "Normal Started: Started container web (kubelet@bosun-node)",
    ],
  );
  const running = { ...pod, status: status({ running: {} }) };
  assert.deepEqual(kubeletEvents(running, status({ running: {} }), "n"), [], "nothing new, nothing recorded");
  const backOff = kubeletEvents(running, status({ waiting: { reason: "CrashLoopBackOff" } }, 1), "n");
  assert.deepEqual(
    backOff.map((e) => `${e.type} ${e.reason}: ${e.message}`),
    ["Warning BackOff: Back-off restarting failed container web in pod web-1_team(u1)"],
  );
});

test("an Event names its object as client-go does and is in the object's namespace (default when cluster-scoped)", () => {
  const event = eventObject(
    scalingEvent({ ...pod, kind: "Deployment", apiVersion: "apps/v1" }, "web-abc", 3, 1),
    "2026-12-06T00:00:00Z",
    1_000,
  );
  assert.match(event.metadata.name ?? "", /^web-1\.[0-9a-f]+$/);
  assert.equal(event.metadata.namespace, "team");
  assert.equal(event.message, "Scaled down replica set web-abc from 3 to 1");
  assert.deepEqual(event.involvedObject, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    name: "web-1",
    namespace: "team",
    uid: "u1",
    resourceVersion: "7",
  });
  const node: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: "bosun-node" } };
  assert.equal(eventObject(scalingEvent(node, "x", 0, 1), "t", 1).metadata.namespace, "default");
  const second = eventObject(scalingEvent(node, "x", 0, 1), "t", 1);
  assert.notEqual(second.metadata.name, eventObject(scalingEvent(node, "x", 0, 1), "t", 1).metadata.name);
});

test("the job controller records Completed once, when the Job's status first says so", () => {
  const job: KubeObject = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "once" }, status: {} };
  const complete = { conditions: [{ type: "Complete", status: "True" }] };
  assert.deepEqual(
    jobEvents(job, complete).map((e) => e.reason),
    ["Completed"],
  );
  assert.deepEqual(jobEvents({ ...job, status: complete }, complete), []);
  const failed = { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] };
  assert.deepEqual(
    jobEvents(job, failed).map((e) => `${e.type} ${e.reason}: ${e.message}`),
    ["Warning BackoffLimitExceeded: Job has reached the specified backoff limit"],
  );
});
