import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResourceView } from "./model.js";
import { describeOperation, waitingFor } from "./operation-view.js";

const resource = (name: string, wave: number, health?: string): ResourceView => ({
  group: "apps",
  kind: "Deployment",
  namespace: "shop",
  name,
  status: "Synced",
  health,
  wave,
});

const waves = [
  { wave: 0, resources: [resource("db", 0, "Progressing")] },
  { wave: 1, resources: [resource("api", 1, "Healthy"), resource("web", 1, "Progressing"), resource("cm", 1)] },
];

test("a running sync waits for the unhealthy resources of its own wave", () => {
  const app = { operation: { phase: "Running", syncPhase: "Sync", wave: 1, message: "waiting" }, waves };
  assert.deepEqual(
    waitingFor(app).map((r) => r.name),
    ["web"],
  );
});

test("a finished operation waits for nothing", () => {
  assert.deepEqual(waitingFor({ operation: { phase: "Succeeded", wave: 1, message: "" }, waves }), []);
  assert.deepEqual(waitingFor({ operation: undefined, waves }), []);
});

test("an operation reads as phase, wave and message, leaving out what it lacks", () => {
  assert.equal(
    describeOperation({ phase: "Running", syncPhase: "Sync", wave: 2, message: "waiting for Deployment/web" }),
    "Sync phase, wave 2 — waiting for Deployment/web",
  );
  assert.equal(describeOperation({ phase: "Running", syncPhase: "PreSync", message: "" }), "PreSync phase");
  assert.equal(describeOperation({ phase: "Failed", message: "render failed" }), "render failed");
});
