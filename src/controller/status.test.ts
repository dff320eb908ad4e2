import assert from "node:assert/strict";
import { test } from "node:test";
import type { HistoryEntry, ResourceStatus } from "../api/index.js";
import { aggregateHealth, appendHistory, boundResources, MAX_HISTORY, setCondition, syncedBefore } from "./status.js";

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

test("a large Application's status lists what needs attention and counts the rest", () => {
  const r = (
    name: string,
    status: ResourceStatus["status"],
    health: ResourceStatus["health"],
    message?: string,
  ): ResourceStatus => ({
    group: "",
    version: "v1",
    kind: "ConfigMap",
    namespace: "ns",
    name,
    status,
    ...(health ? { health } : {}),
    wave: 0,
    ...(message ? { message } : {}),
  });
  const many = [
    ...Array.from({ length: 6 }, (_, i) => r(`ok-${i}`, "Synced", "Healthy")),
    r("drifted", "OutOfSync", "Healthy"),
    r("refused", "Synced", "Healthy", "forbidden"),
    r("gone", "Missing", "Missing"),
  ];
  const small = boundResources(many, 100);
  assert.equal(small.resources.length, 9, "under the bound everything is listed");
  const { resources, summary } = boundResources(many, 5);
  assert.deepEqual(
    resources.map((x) => x.name),
    ["ok-0", "ok-1", "drifted", "refused", "gone"],
  );
  assert.deepEqual(summary, {
    total: 9,
    shown: 5,
    omittedSynced: true,
    sync: { Synced: 7, OutOfSync: 1, Missing: 1 },
    health: { Healthy: 8, Missing: 1 },
  });
  const inventory = many.filter((x) => x.status !== "Missing").map((x) => `_ConfigMap_ns_${x.name}`);
  const before = syncedBefore({ resources, summary, inventory });
  assert.deepEqual(
    [...before].sort(),
    ["ok-0", "ok-1", "ok-2", "ok-3", "ok-4", "ok-5", "refused"].map((n) => `_ConfigMap_ns_${n}`),
    "left out of the list means Synced; the listed keep their status",
  );
  const crowded = boundResources(many, 2);
  assert.deepEqual(
    crowded.resources.map((x) => x.name),
    ["drifted", "refused"],
    "a hard bound: what needs attention first, in order",
  );
  assert.equal(crowded.summary.omittedSynced, false);
  assert.deepEqual(
    [...syncedBefore({ resources: crowded.resources, summary: crowded.summary, inventory })],
    ["_ConfigMap_ns_refused"],
    "nothing is assumed of what was left out when some of it needed attention",
  );
});
