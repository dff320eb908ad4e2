import assert from "node:assert/strict";
import { test } from "node:test";
import { appHref, parseRoute } from "./hash-route.js";

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
