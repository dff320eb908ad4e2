import assert from "node:assert/strict";
import { test } from "node:test";
import type { ApplicationStatus } from "../api/index.js";
import { applicationConditions, type ConditionInputs } from "./app-conditions.js";

const none: ConditionInputs = { emptyRender: false };
const ready = (s: ApplicationStatus, inputs = none) =>
  applicationConditions(s, inputs, "t").find((c) => c.type === "Ready");

test("Ready is True only when synced, healthy, idle and the source is reachable", () => {
  const good: ApplicationStatus = {
    sync: { status: "Synced", revision: "abcdef123" },
    health: { status: "Healthy", message: "" },
  };
  assert.deepEqual(
    [ready(good)?.status, ready(good)?.reason, ready(good)?.message],
    ["True", "Succeeded", "synced to abcdef1 and healthy"],
  );
  assert.equal(ready(good, { ...none, sourceWarning: "unreachable" })?.reason, "SourceUnreachable");
  assert.equal(ready({ ...good, health: { status: "Degraded", message: "web: crash" } })?.reason, "Degraded");
  assert.equal(ready({ ...good, sync: { status: "OutOfSync" } })?.reason, "OutOfSync");
});

test("a running sync is Reconciling; a failed one is Stalled and says why", () => {
  const op = { revision: "r", initiatedBy: "a", step: 0, stepApplied: false, startedAt: "t" };
  const running = applicationConditions(
    { operation: { ...op, phase: "Running", message: "Sync wave 1: 0 of 1 healthy" } },
    none,
    "t",
  );
  assert.deepEqual(
    running.map((c) => `${c.type}=${c.status}/${c.reason}`),
    ["Ready=False/Progressing", "Reconciling=True/Progressing", "Stalled=False/"],
  );
  const failed = applicationConditions(
    { operation: { ...op, phase: "Failed", message: "web is Degraded" } },
    none,
    "t",
  );
  const stalled = failed.find((c) => c.type === "Stalled");
  assert.deepEqual([stalled?.status, stalled?.message], ["True", "web is Degraded"]);
});

test("a failed sync with retries left is Reconciling, not Stalled; with none left it is Stalled", () => {
  const op = { revision: "r", initiatedBy: "a", step: 0, stepApplied: false, startedAt: "t" };
  const failed: ApplicationStatus = { operation: { ...op, phase: "Failed", message: "web is Degraded" } };
  const retrying = applicationConditions(failed, { ...none, retryAt: "2026-01-01T00:00:10Z" }, "t");
  assert.deepEqual(
    retrying.map((c) => `${c.type}=${c.status}/${c.reason}`),
    ["Ready=False/SyncFailed", "Reconciling=True/RetryScheduled", "Stalled=False/"],
  );
  assert.match(retrying.find((c) => c.type === "Reconciling")?.message ?? "", /retried at 2026-01-01T00:00:10Z/);
  assert.equal(applicationConditions(failed, none, "t").find((c) => c.type === "Stalled")?.status, "True");
});
