import assert from "node:assert/strict";
import { test } from "node:test";
import { inventoryId, parseInventoryId, parseTrackingId, trackingId } from "./identity.js";

const refs = [
  { group: "apps", kind: "Deployment", namespace: "prod", name: "web" },
  { group: "", kind: "ConfigMap", namespace: "prod", name: "web.config" },
  { group: "", kind: "Namespace", namespace: "", name: "prod" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole", namespace: "", name: "system:view" },
  { group: "rbac.authorization.k8s.io", kind: "Role", namespace: "prod", name: "reader_role:with_underscores" },
  { group: "", kind: "Secret", namespace: "prod", name: "_leading_and_trailing_" },
];

test("inventory ids have Flux's form and parse back exactly", () => {
  assert.equal(inventoryId(refs[0] as (typeof refs)[0]), "apps_Deployment_prod_web");
  assert.equal(inventoryId(refs[2] as (typeof refs)[0]), "_Namespace__prod");
  for (const ref of refs) assert.deepEqual(parseInventoryId(inventoryId(ref)), ref);
  assert.equal(parseInventoryId("apps_Deployment_prod"), undefined);
  assert.equal(parseInventoryId("apps__prod_web"), undefined, "no kind");
  assert.equal(parseInventoryId("apps_Deployment_prod_"), undefined, "no name");
  assert.deepEqual(parseInventoryId("rbac.authorization.k8s.io_Role_prod_a_b_c"), {
    group: "rbac.authorization.k8s.io",
    kind: "Role",
    namespace: "prod",
    name: "a_b_c",
  });
});

test("tracking ids have DESIGN.md's form and parse back exactly", () => {
  const app = { namespace: "bosun", name: "guestbook" };
  assert.equal(trackingId(app, refs[0] as (typeof refs)[0]), "bosun/guestbook:apps/Deployment:prod/web");
  assert.equal(trackingId(app, refs[2] as (typeof refs)[0]), "bosun/guestbook:/Namespace:/prod");
  for (const ref of refs) assert.deepEqual(parseTrackingId(trackingId(app, ref)), { app, ref });
  assert.equal(parseTrackingId("guestbook:apps/Deployment:prod/web"), undefined);
});
