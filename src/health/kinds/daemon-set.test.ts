import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { daemonSetHealth } from "./daemon-set.js";

const ds = (strategy: string | undefined, status: Record<string, unknown>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "agent" },
  spec: strategy ? { updateStrategy: { type: strategy } } : {},
  status,
});

test("RollingUpdate (the default) needs every scheduled pod updated, then available", () => {
  assert.match(
    daemonSetHealth(ds(undefined, { desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 }))
      .message,
    /2 of 3 pods updated/,
  );
  assert.match(
    daemonSetHealth(ds(undefined, { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }))
      .message,
    /2 of 3 updated pods are available/,
  );
  assert.equal(
    daemonSetHealth(ds("RollingUpdate", { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }))
      .status,
    "Healthy",
  );
});

test("OnDelete needs availability only", () => {
  assert.equal(
    daemonSetHealth(ds("OnDelete", { desiredNumberScheduled: 3, updatedNumberScheduled: 0, numberAvailable: 3 }))
      .status,
    "Healthy",
  );
  assert.equal(
    daemonSetHealth(ds("OnDelete", { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 }))
      .status,
    "Progressing",
  );
});

test("omitted counters (omitempty zeros) read as 0", () => {
  assert.equal(daemonSetHealth(ds(undefined, { desiredNumberScheduled: 1 })).status, "Progressing");
  assert.equal(daemonSetHealth(ds(undefined, { desiredNumberScheduled: 0 })).status, "Healthy");
});
