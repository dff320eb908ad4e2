import assert from "node:assert/strict";
import { test } from "node:test";
import { applyServerEvent, changesOf, EMPTY_STORE, withList } from "./app-store.js";
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
  project: "default",
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

test("the version moves at every list and every change, not at an event it cannot read", () => {
  let store = withList(EMPTY_STORE, [summary("shop", "OutOfSync", "Missing")]);
  assert.equal(store.version, 1);
  store = applyServerEvent(store, event("application", summary("shop", "Synced", "Healthy")));
  assert.equal(store.version, 2);
  store = applyServerEvent(store, event("application", summary("blog", "Synced", "Healthy")));
  assert.equal(store.version, 3, "another Application: the list changed too");
  store = applyServerEvent(store, event("deleted", { namespace: "bosun", name: "blog" }));
  assert.equal(store.version, 4);
  assert.equal(applyServerEvent(store, { event: "application", data: "{not json" }).version, 4);
  store = applyServerEvent(store, event("snapshot", { items: [] }));
  assert.equal(store.version, 5);
  assert.equal(store.epoch, 2);
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
