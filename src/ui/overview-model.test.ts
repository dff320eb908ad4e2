import assert from "node:assert/strict";
import { test } from "node:test";
import { DecodeError } from "./model.js";
import {
  choicesOf,
  decodeAppList,
  HEALTH_ORDER,
  listPath,
  NO_FILTER,
  orderedCounts,
  SYNC_ORDER,
} from "./overview-model.js";

const item = { namespace: "shop", name: "web", sync: "Synced", health: "Healthy", cluster: "prod", project: "team-a" };

test("the answer: the page of items with their project, how many match, and counts of all", () => {
  const answer = decodeAppList({
    items: [item],
    total: 3,
    matched: 1,
    counts: { sync: { Synced: 2, OutOfSync: 1 }, health: { Healthy: 3 }, project: { "team-a": 3 }, cluster: {} },
  });
  assert.equal(answer.items[0]?.project, "team-a");
  assert.equal(answer.total, 3);
  assert.equal(answer.matched, 1);
  assert.deepEqual(
    [...answer.counts.sync],
    [
      ["Synced", 2],
      ["OutOfSync", 1],
    ],
  );
  assert.equal(answer.counts.cluster.size, 0);
});

test("an answer of items alone (an older server) counts them all; its summaries are of the default project", () => {
  const { project: _, ...older } = item;
  const answer = decodeAppList({ items: [older, older] });
  assert.equal(answer.total, 2);
  assert.equal(answer.matched, 2);
  assert.equal(answer.items[0]?.project, "default");
  assert.equal(answer.counts.health.size, 0);
});

test("an answer of another shape is refused", () => {
  assert.throws(() => decodeAppList({ items: [item], counts: { sync: { Synced: "2" } } }), DecodeError);
  assert.throws(() => decodeAppList({ items: [item], counts: { sync: [] } }), DecodeError);
  assert.throws(() => decodeAppList({ items: [item], matched: -1 }), DecodeError);
  assert.throws(() => decodeAppList({ items: [item], counts: "many" }), DecodeError);
  assert.throws(() => decodeAppList({ items: "x" }), DecodeError);
});

test("the request carries only the filters set, the name trimmed", () => {
  assert.equal(listPath(NO_FILTER), "/api/applications");
  assert.equal(listPath({ ...NO_FILTER, text: "  " }), "/api/applications");
  assert.equal(
    listPath({
      text: " shop/w ",
      sync: "OutOfSync",
      health: "Degraded",
      project: "team a",
      cluster: "https://10.0.0.9:6443",
    }),
    "/api/applications?q=shop%2Fw&sync=OutOfSync&health=Degraded&project=team+a&cluster=https%3A%2F%2F10.0.0.9%3A6443",
  );
});

test("counts read in the statuses' order, then the others by name; none of zero", () => {
  const counts = new Map([
    ["Unknown", 1],
    ["Degraded", 4],
    ["Healthy", 9],
    ["Weird", 2],
    ["Missing", 0],
    ["Another", 1],
  ]);
  assert.deepEqual(
    orderedCounts(counts, HEALTH_ORDER).map(([k]) => k),
    ["Healthy", "Degraded", "Unknown", "Another", "Weird"],
  );
  assert.deepEqual(
    orderedCounts(
      new Map([
        ["b", 1],
        ["a", 2],
      ]),
    ),
    [
      ["a", 2],
      ["b", 1],
    ],
  );
});

test("a filter's choices: the fixed ones, then the values counted and the current one, by name", () => {
  assert.deepEqual(
    choicesOf(
      new Map([
        ["OutOfSync", 2],
        ["Odd", 1],
      ]),
      "",
      SYNC_ORDER,
    ),
    ["Synced", "OutOfSync", "Unknown", "Odd"],
  );
  const clusters = new Map([
    ["prod", 2],
    ["in-cluster", 1],
    ["https://10.0.0.9:6443", 1],
  ]);
  assert.deepEqual(choicesOf(clusters), ["https://10.0.0.9:6443", "in-cluster", "prod"]);
  assert.deepEqual(choicesOf(clusters, "staging"), ["https://10.0.0.9:6443", "in-cluster", "prod", "staging"]);
  assert.deepEqual(choicesOf(new Map(), ""), []);
  assert.deepEqual(choicesOf(clusters, "prod"), ["https://10.0.0.9:6443", "in-cluster", "prod"], "not twice");
});
