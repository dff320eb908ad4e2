import assert from "node:assert/strict";
import { test } from "node:test";
import type { HistoryEntry } from "../api/index.js";
import { aggregateHealth, appendHistory, MAX_HISTORY, setCondition } from "./status.js";

test("an Application's health is its worst resource's, named", () => {
  assert.deepEqual(aggregateHealth([]), { status: "Healthy", message: "" });
  assert.deepEqual(
    aggregateHealth([
      { name: "Deployment/web", health: { status: "Progressing", message: "1 of 2 available" } },
      { name: "Job/seed", health: { status: "Degraded", message: "BackoffLimitExceeded" } },
      { name: "Service/web", health: { status: "Healthy", message: "" } },
      { name: "Job/other", health: { status: "Degraded", message: "x" } },
    ]),
    { status: "Degraded", message: "Job/seed: BackoffLimitExceeded (and 1 more)" },
  );
  assert.equal(
    aggregateHealth([
      { name: "a", health: { status: "Suspended", message: "" } },
      { name: "b", health: { status: "Missing", message: "" } },
    ]).status,
    "Missing",
  );
});

test("a condition keeps its transition time while its status holds", () => {
  const first = setCondition(undefined, { type: "Ready", status: "False", reason: "Progressing", message: "a" }, "t1");
  const same = setCondition(first, { type: "Ready", status: "False", reason: "Progressing", message: "b" }, "t2");
  assert.equal(same[0]?.lastTransitionTime, "t1");
  assert.equal(same[0]?.message, "b");
  const flipped = setCondition(same, { type: "Ready", status: "True", reason: "Synced", message: "" }, "t3");
  assert.equal(flipped[0]?.lastTransitionTime, "t3");
  assert.equal(flipped.length, 1);
  assert.equal(setCondition(flipped, { type: "Stalled", status: "False", reason: "", message: "" }, "t4").length, 2);
});

test("history keeps the newest entries with increasing ids", () => {
  let history: HistoryEntry[] = [];
  for (let i = 0; i < MAX_HISTORY + 5; i++) {
    history = appendHistory(history, { revision: `r${i}`, deployedAt: "t", initiatedBy: "auto", result: "Succeeded" });
  }
  assert.equal(history.length, MAX_HISTORY);
  assert.equal(history[0]?.id, 6);
  assert.equal(history.at(-1)?.id, MAX_HISTORY + 5);
  assert.equal(history.at(-1)?.revision, `r${MAX_HISTORY + 4}`);
});
