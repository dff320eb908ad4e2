import assert from "node:assert/strict";
import { test } from "node:test";
import { applyServerEvent, changesOf, clusterChoices, EMPTY_STORE, filterApps, withList } from "./app-store.js";
import type { AppSummary } from "./model.js";

const summary = (
  name: string,
  sync: string,
  health: string,
  namespace = "bosun",
  cluster = "in-cluster",
): AppSummary => ({
  namespace,
  name,
  sync,
  health,
  suspended: false,
  cluster,
});

const event = (name: string, data: unknown) => ({ event: name, data: JSON.stringify(data) });

test("a snapshot fills the store; application events replace one entry; deleted removes it", () => {
  let store = applyServerEvent(EMPTY_STORE, event("snapshot", { items: [summary("shop", "OutOfSync", "Missing")] }));
  assert.equal(store.loaded, true);
  assert.equal(store.epoch, 1);
  assert.equal(store.apps.get("bosun/shop")?.sync, "OutOfSync");

  // An application event carries the whole detail; the store keeps what a summary has.
  store = applyServerEvent(
    store,
    event("application", { ...summary("shop", "Synced", "Healthy"), waves: [], conditions: [], source: {} }),
  );
  assert.equal(store.apps.get("bosun/shop")?.sync, "Synced");
  assert.equal(store.apps.get("bosun/shop")?.health, "Healthy");
  assert.equal(store.changes.get("bosun/shop"), 1);

  store = applyServerEvent(store, event("application", summary("blog", "Synced", "Healthy")));
  assert.equal(store.apps.size, 2);
  store = applyServerEvent(store, event("deleted", { namespace: "bosun", name: "shop" }));
  assert.deepEqual([...store.apps.keys()], ["bosun/blog"]);
  assert.equal(store.changes.get("bosun/shop"), 2);
});

test("an unreadable event leaves the store as it was", () => {
  const store = withList(EMPTY_STORE, [summary("shop", "Synced", "Healthy")]);
  assert.equal(applyServerEvent(store, { event: "application", data: "{not json" }), store);
  assert.equal(applyServerEvent(store, event("application", { name: "no namespace" })), store);
  assert.equal(applyServerEvent(store, event("something-else", {})), store);
});

test("filters by sync status, health and name, sorted by namespace then name", () => {
  const apps = [
    summary("web", "OutOfSync", "Healthy", "b"),
    summary("api", "Synced", "Degraded", "b"),
    summary("web", "Synced", "Healthy", "a"),
  ];
  const names = (list: AppSummary[]) => list.map((a) => `${a.namespace}/${a.name}`);
  assert.deepEqual(names(filterApps(apps, { text: "", sync: "", health: "", cluster: "" })), [
    "a/web",
    "b/api",
    "b/web",
  ]);
  assert.deepEqual(names(filterApps(apps, { text: "", sync: "Synced", health: "", cluster: "" })), ["a/web", "b/api"]);
  assert.deepEqual(names(filterApps(apps, { text: "", sync: "Synced", health: "Healthy", cluster: "" })), ["a/web"]);
  assert.deepEqual(names(filterApps(apps, { text: " B/W ", sync: "", health: "", cluster: "" })), ["b/web"]);
});

test("filters by cluster, with the other filters; the choices are the clusters the Applications deploy to", () => {
  const apps = [
    summary("web", "Synced", "Healthy", "a", "prod"),
    summary("api", "OutOfSync", "Healthy", "a", "prod"),
    summary("web", "Synced", "Healthy", "b"),
    summary("db", "Synced", "Healthy", "b", "https://10.0.0.9:6443"),
  ];
  const names = (list: AppSummary[]) => list.map((a) => `${a.namespace}/${a.name}`);
  const only = (cluster: string, sync = "") => names(filterApps(apps, { text: "", sync, health: "", cluster }));
  assert.deepEqual(only("prod"), ["a/api", "a/web"]);
  assert.deepEqual(only("prod", "Synced"), ["a/web"]);
  assert.deepEqual(only("in-cluster"), ["b/web"]);
  assert.deepEqual(only("https://10.0.0.9:6443"), ["b/db"]);
  assert.deepEqual(only("staging"), [], "a cluster no Application deploys to keeps none");
  assert.equal(only("").length, 4);
  assert.deepEqual(clusterChoices(apps), ["https://10.0.0.9:6443", "in-cluster", "prod"]);
  assert.deepEqual(clusterChoices(apps, "staging"), ["https://10.0.0.9:6443", "in-cluster", "prod", "staging"]);
  assert.deepEqual(clusterChoices([], ""), []);
});

test("an application event keeps the cluster it deploys to; changesOf moves with the Applications named", () => {
  let store = withList(EMPTY_STORE, [summary("db", "OutOfSync", "Missing"), summary("web", "OutOfSync", "Missing")]);
  const db = [{ namespace: "bosun", name: "db" }];
  const before = changesOf(store, db);
  store = applyServerEvent(store, event("application", summary("web", "Synced", "Healthy", "bosun", "prod")));
  assert.equal(store.apps.get("bosun/web")?.cluster, "prod");
  assert.equal(changesOf(store, db), before, "another Application changed");
  store = applyServerEvent(store, event("application", summary("db", "Synced", "Healthy")));
  assert.notEqual(changesOf(store, db), before);
  assert.equal(changesOf(store, []), "");
});
