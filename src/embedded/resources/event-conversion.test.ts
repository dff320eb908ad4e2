import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { eventsV1FromCore, eventsV1ToCore } from "./event-conversion.js";

const core = {
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: "web.1", namespace: "shop" },
  involvedObject: { kind: "Deployment", namespace: "shop", name: "web", apiVersion: "apps/v1" },
  reason: "ScalingReplicaSet",
  message: "Scaled up replica set web-1 from 0 to 2",
  source: { component: "deployment-controller" },
  firstTimestamp: "2026-12-06T08:00:00Z",
  lastTimestamp: "2026-12-06T08:01:00Z",
  count: 2,
  type: "Normal",
  eventTime: null,
  reportingComponent: "deployment-controller",
  reportingInstance: "node-1",
} as unknown as KubeObject;

test("a core Event is served by events.k8s.io/v1 under its names, and stored back unchanged", () => {
  const served = eventsV1FromCore(core) as unknown as Record<string, unknown>;
  assert.deepEqual(served.regarding, core.involvedObject);
  assert.equal(served.note, "Scaled up replica set web-1 from 0 to 2");
  assert.deepEqual(served.deprecatedSource, { component: "deployment-controller" });
  assert.equal(served.deprecatedCount, 2);
  assert.equal(served.deprecatedFirstTimestamp, "2026-12-06T08:00:00Z");
  assert.equal(served.deprecatedLastTimestamp, "2026-12-06T08:01:00Z");
  assert.equal(served.reportingController, "deployment-controller");
  assert.equal(served.reason, "ScalingReplicaSet");
  for (const gone of ["involvedObject", "message", "source", "count", "reportingComponent"])
    assert.equal(Object.hasOwn(served, gone), false, `${gone} is not an events.k8s.io/v1 field`);
  assert.deepEqual(eventsV1ToCore(served as unknown as KubeObject), core);
});

test("a core name sent to events.k8s.io/v1 is not a field there: dropped, not stored", () => {
  const sent = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: {}, note: "n", message: "m" };
  assert.deepEqual(eventsV1ToCore(sent as unknown as KubeObject), {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: {},
    message: "n",
  });
});

test('a reporter core/v1 writes as "" is left out of events.k8s.io/v1 (omitempty there)', () => {
  const served = eventsV1FromCore({ ...core, reportingComponent: "", reportingInstance: "" } as unknown as KubeObject);
  assert.equal(Object.hasOwn(served, "reportingController"), false);
  assert.equal(Object.hasOwn(served, "reportingInstance"), false);
});
