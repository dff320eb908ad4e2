import assert from "node:assert/strict";
import { test } from "node:test";
import { AppQueryError, countApps, MAX_LIMIT, parseAppQuery, queryApps } from "./app-query.js";
import type { AppSummary } from "./app-view.js";

const app = (
  namespace: string,
  name: string,
  sync: string,
  health: string,
  project = "default",
  cluster = "in-cluster",
): AppSummary => ({ namespace, name, sync, health, project, cluster, suspended: false });

// Sorted by namespace then name, as visibleApps gives them.
const APPS = [
  app("payments", "api", "Synced", "Healthy", "payments"),
  app("payments", "ledger", "OutOfSync", "Degraded", "payments", "edge"),
  app("payments", "worker", "Synced", "Degraded", "payments"),
  app("shop", "cart", "Synced", "Progressing"),
  app("shop", "web", "OutOfSync", "Healthy", "default", "edge"),
];
const keys = (items: AppSummary[]) => items.map((a) => `${a.namespace}/${a.name}`);

test("without parameters: every Application, in order, and counts of each", () => {
  const answer = queryApps(APPS, parseAppQuery({}));
  assert.deepEqual(keys(answer.items), keys(APPS));
  assert.equal(answer.total, 5);
  assert.equal(answer.matched, 5);
  assert.deepEqual(answer.counts, {
    sync: { Synced: 3, OutOfSync: 2 },
    health: { Healthy: 2, Degraded: 2, Progressing: 1 },
    project: { payments: 3, default: 2 },
    cluster: { "in-cluster": 3, edge: 2 },
  });
});

test("filters combine; the counts stay those of every Application", () => {
  const all = queryApps(APPS, parseAppQuery()).counts;
  const degraded = queryApps(APPS, parseAppQuery({ health: "Degraded" }));
  assert.deepEqual(keys(degraded.items), ["payments/ledger", "payments/worker"]);
  assert.deepEqual(degraded.counts, all, "a filter does not change the overview's numbers");
  assert.equal(degraded.matched, 2);
  assert.equal(degraded.total, 5);

  assert.deepEqual(keys(queryApps(APPS, parseAppQuery({ health: "Degraded", sync: "Synced" })).items), [
    "payments/worker",
  ]);
  assert.deepEqual(keys(queryApps(APPS, parseAppQuery({ cluster: "edge", project: "default" })).items), ["shop/web"]);
  assert.deepEqual(keys(queryApps(APPS, parseAppQuery({ sync: "OutOfSync", cluster: "edge", q: "LEDG" })).items), [
    "payments/ledger",
  ]);
  const none = queryApps(APPS, parseAppQuery({ project: "search" }));
  assert.deepEqual(none.items, []);
  assert.equal(none.matched, 0);
  assert.deepEqual(none.counts, all);
});

test("q is a case-insensitive substring of namespace/name; empty parameters are no filter", () => {
  assert.deepEqual(keys(queryApps(APPS, parseAppQuery({ q: " Shop/W " })).items), ["shop/web"]);
  assert.deepEqual(keys(queryApps(APPS, parseAppQuery({ q: "s/" })).items), [
    "payments/api",
    "payments/ledger",
    "payments/worker",
  ]);
  assert.equal(queryApps(APPS, parseAppQuery({ q: "", sync: "", health: "", limit: "" })).items.length, 5);
});

test("paging: offset and limit over the matches, within bounds", () => {
  const page = (offset: string, limit?: string) =>
    queryApps(APPS, parseAppQuery(limit === undefined ? { offset } : { offset, limit }));
  assert.deepEqual(keys(page("1", "2").items), ["payments/ledger", "payments/worker"]);
  assert.deepEqual(keys(page("4", "2").items), ["shop/web"], "the last page is short");
  assert.deepEqual(page("5", "2").items, [], "past the end: nothing, not an error");
  assert.deepEqual(page("900").items, []);
  assert.deepEqual(keys(page("3").items), ["shop/cart", "shop/web"], "no limit: the rest");
  const counted = page("0", "0");
  assert.deepEqual(counted.items, [], "limit=0: the counts alone");
  assert.equal(counted.matched, 5);
  const filtered = queryApps(APPS, parseAppQuery({ health: "Degraded", offset: "1", limit: "5" }));
  assert.deepEqual(keys(filtered.items), ["payments/worker"], "paging is over the matches");
  assert.equal(filtered.matched, 2);
  assert.equal(parseAppQuery({ limit: String(MAX_LIMIT) }).limit, MAX_LIMIT);
});

test("bad parameters are refused with a message that names them", () => {
  const refused = (raw: Record<string, unknown>, message: RegExp) =>
    assert.throws(
      () => parseAppQuery(raw),
      (err: unknown) => err instanceof AppQueryError && message.test(err.message),
    );
  refused({ limit: "-1" }, /^limit must be a whole number from 0 to 500, not "-1"$/);
  refused({ limit: "abc" }, /^limit must be a whole number from 0 to 500, not "abc"$/);
  refused({ limit: String(MAX_LIMIT + 1) }, /limit must be a whole number from 0 to 500, not "501"/);
  refused({ limit: "1.5" }, /limit must be/);
  refused({ limit: "1e3" }, /limit must be/);
  refused({ offset: "-3" }, /^offset must be a whole number from 0 to \d+, not "-3"$/);
  refused({ offset: "9".repeat(60) }, /offset must be .* not "9{40}…"$/);
  refused({ health: ["Degraded", "Healthy"] }, /^health may be given once$/);
  refused({ q: ["a", "b"] }, /^q may be given once$/);
});

test("a value named like an object's own property is counted like any other", () => {
  const counts = countApps([app("a", "x", "Synced", "Healthy", "__proto__"), app("a", "y", "Synced", "Healthy")]);
  assert.deepEqual(Object.entries(counts.project), [
    ["__proto__", 1],
    ["default", 1],
  ]);
  const sent = JSON.parse(JSON.stringify(counts)) as { project: object };
  assert.equal(Object.getOwnPropertyDescriptor(sent.project, "__proto__")?.value, 1, "and it is in the JSON");
});
