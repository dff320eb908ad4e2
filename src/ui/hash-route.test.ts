import assert from "node:assert/strict";
import { test } from "node:test";
import { appHref, CLUSTERS_HREF, editHref, listHref, NEW_APP_HREF, parseRoute, resourceHref } from "./hash-route.js";

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

test("the Resources tab may name one object of the tree, and its link parses back to it", () => {
  const app = { namespace: "bosun", name: "shop" };
  assert.deepEqual(parseRoute("#/apps/bosun/shop/resources?resource=apps/Deployment/prod/web"), {
    page: "app",
    ...app,
    tab: "resources",
    resource: { group: "apps", kind: "Deployment", namespace: "prod", name: "web" },
  });
  for (const resource of [
    { group: "", kind: "Pod", namespace: "prod", name: "web-5d9c7-x2x4q" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole", namespace: "", name: "reader:all" },
    { group: "", kind: "ConfigMap", namespace: "team a", name: "a&b=c#d+e" },
  ])
    assert.deepEqual(parseRoute(resourceHref(app, resource)), { page: "app", ...app, tab: "resources", resource });
  assert.equal(
    resourceHref(app, { group: "apps", kind: "Deployment", namespace: "prod", name: "web" }),
    "#/apps/bosun/shop/resources?resource=apps/Deployment/prod/web",
  );
  // Anything else names no object: the tab alone.
  for (const query of ["resource=apps/Deployment/web", "resource=apps//prod/web", "resource=a/b/c/d/e", "other=x"])
    assert.deepEqual(parseRoute(`#/apps/bosun/shop/resources?${query}`), { page: "app", ...app, tab: "resources" });
  assert.deepEqual(
    parseRoute("#/apps/bosun/shop/diff?resource=apps/Deployment/prod/web"),
    { page: "app", ...app, tab: "diff" },
    "only the Resources tab opens an object",
  );
});

test("the Application form has a route for a new one and one editing an Application", () => {
  assert.deepEqual(parseRoute(NEW_APP_HREF), { page: "new" });
  assert.deepEqual(parseRoute("#new"), { page: "new" });
  assert.deepEqual(parseRoute("#/new/x"), { page: "list" });
  const app = { namespace: "team a", name: "shop/x" };
  assert.equal(editHref({ namespace: "bosun", name: "shop" }), "#/apps/bosun/shop/edit");
  assert.deepEqual(parseRoute(editHref(app)), { page: "edit", ...app });
  assert.deepEqual(parseRoute("#/apps/bosun/shop/edit/x"), { page: "list" });
  assert.deepEqual(
    parseRoute(appHref({ namespace: "bosun", name: "edit" })),
    { page: "app", namespace: "bosun", name: "edit", tab: "resources" },
    "an Application may be named edit",
  );
});
