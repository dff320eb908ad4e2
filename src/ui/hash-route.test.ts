import assert from "node:assert/strict";
import { test } from "node:test";
import { appHref, CLUSTERS_HREF, listHref, parseRoute } from "./hash-route.js";

test("hash routes name the list, an Application and its tab", () => {
  assert.deepEqual(parseRoute(""), { page: "list" });
  assert.deepEqual(parseRoute("#/"), { page: "list" });
  assert.deepEqual(parseRoute("#/apps/bosun/shop"), {
    page: "app",
    namespace: "bosun",
    name: "shop",
    tab: "resources",
  });
  assert.deepEqual(parseRoute("#/apps/bosun/shop/diff"), {
    page: "app",
    namespace: "bosun",
    name: "shop",
    tab: "diff",
  });
});

test("unknown tabs, missing parts and bad escapes go to the list", () => {
  for (const hash of [
    "#/apps/bosun",
    "#/apps/bosun/shop/nope",
    "#/apps/bosun/shop/diff/x",
    "#/apps/%E0%A4%A/shop",
    "#/other",
  ])
    assert.deepEqual(parseRoute(hash), { page: "list" }, hash);
});

test("links parse back to the same route", () => {
  const app = { namespace: "team a", name: "shop/x" };
  assert.deepEqual(parseRoute(appHref(app, "history")), { page: "app", ...app, tab: "history" });
  assert.equal(appHref({ namespace: "bosun", name: "shop" }), "#/apps/bosun/shop");
});

test("the clusters page, and the list filtered by a cluster, have routes of their own", () => {
  assert.deepEqual(parseRoute(CLUSTERS_HREF), { page: "clusters" });
  assert.deepEqual(parseRoute("#clusters"), { page: "clusters" });
  assert.deepEqual(parseRoute("#/?cluster=prod"), { page: "list", cluster: "prod" });
  assert.deepEqual(parseRoute("#/?cluster="), { page: "list" }, "an empty filter is no filter");
  assert.deepEqual(parseRoute("#/?other=x"), { page: "list" });
  assert.deepEqual(parseRoute("#/clusters/prod"), { page: "list" });
  assert.deepEqual(parseRoute("#/apps/bosun/shop?cluster=prod"), {
    page: "app",
    namespace: "bosun",
    name: "shop",
    tab: "resources",
  });
});

test("list links carry the cluster filter and parse back to it", () => {
  assert.equal(listHref(), "#/");
  assert.equal(listHref({ cluster: "" }), "#/");
  assert.equal(listHref({ cluster: "prod" }), "#/?cluster=prod");
  for (const cluster of ["prod", "https://10.0.0.9:6443", "a b&c=d#e"])
    assert.deepEqual(parseRoute(listHref({ cluster })), { page: "list", cluster }, cluster);
});
