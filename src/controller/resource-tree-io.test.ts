// The pure parts of reading an Application's tree: which objects are its own, and whose live object may show.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../api/index.js";
import { appRoots, ownLive, syncStatuses } from "./resource-tree-io.js";

const app = {
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { namespace: "bosun", name: "shop" },
  spec: { source: { repoURL: "file:///x" }, destination: { namespace: "prod" } },
  status: {
    inventory: ["apps_Deployment_prod_web", "_ConfigMap_prod_settings", "not-an-id"],
    resources: [
      {
        group: "apps",
        version: "v1",
        kind: "Deployment",
        namespace: "prod",
        name: "web",
        status: "OutOfSync",
        wave: 0,
      },
      { group: "", version: "v1", kind: "Secret", namespace: "prod", name: "new", status: "Missing", wave: 0 },
    ],
    summary: { total: 3, shown: 2, omittedSynced: true, sync: {}, health: {} },
  },
} as unknown as Application;

const configMap = (annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "x", namespace: "prod", annotations },
});

test("the Application's own objects: its inventory and what its status lists, once each", () => {
  assert.deepEqual(
    appRoots(app).map((r) => `${r.group}/${r.kind}/${r.namespace}/${r.name}`),
    ["apps/Deployment/prod/web", "/ConfigMap/prod/settings", "/Secret/prod/new"],
  );
});

test("a root's live object shows when the Application applied it or it carries the Application's tracking id", () => {
  const applied = { group: "", kind: "ConfigMap", namespace: "prod", name: "settings" };
  const notApplied = { group: "", kind: "Secret", namespace: "prod", name: "new" };
  const untracked = configMap();
  assert.equal(ownLive(app, applied, untracked), untracked, "in the inventory");
  assert.equal(ownLive(app, notApplied, untracked), undefined, "someone else's object of the same name");
  const ours = configMap({ "bosun.dev/tracking-id": "bosun/shop:/Secret:prod/new" });
  assert.equal(ownLive(app, notApplied, ours), ours);
  const theirs = configMap({ "bosun.dev/tracking-id": "bosun/other:/Secret:prod/new" });
  assert.equal(ownLive(app, notApplied, theirs), undefined, "another Application's");
  assert.equal(ownLive(app, applied, undefined), undefined);
});

test("sync statuses: as the status lists them; the rest of the inventory Synced when the status says so", () => {
  const syncOf = syncStatuses(app);
  assert.equal(syncOf({ group: "apps", kind: "Deployment", namespace: "prod", name: "web" }), "OutOfSync");
  assert.equal(syncOf({ group: "", kind: "ConfigMap", namespace: "prod", name: "settings" }), "Synced");
  assert.equal(syncOf({ group: "", kind: "ConfigMap", namespace: "prod", name: "elsewhere" }), undefined);
  const listedOnly = { ...app, status: { ...app.status, summary: undefined } } as Application;
  assert.equal(
    syncStatuses(listedOnly)({ group: "", kind: "ConfigMap", namespace: "prod", name: "settings" }),
    undefined,
  );
});
