import assert from "node:assert/strict";
import { test } from "node:test";
import { inventoryId, type KubeObject, type ObjectRef, trackingId } from "../api/index.js";
import { syncOptionsOf } from "../sync/index.js";
import { ownershipConflicts, planPrune } from "./inventory.js";

const app = { namespace: "bosun", name: "shop" };
const ref = (kind: string, name: string): ObjectRef => ({ group: "", kind, namespace: "prod", name });
const live = (r: ObjectRef, owner = app, extra: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: r.kind,
  metadata: {
    name: r.name,
    namespace: r.namespace,
    annotations: { "bosun.dev/tracking-id": trackingId(owner, r), ...extra },
  },
});

test("prune only what the inventory and the live tracking annotation both say is ours", () => {
  const kept = ref("ConfigMap", "kept");
  const removed = ref("ConfigMap", "removed");
  const stolen = ref("ConfigMap", "stolen");
  const optedOut = ref("ConfigMap", "opted-out");
  const gone = ref("ConfigMap", "gone");
  const untracked = ref("ConfigMap", "untracked");
  const cluster = new Map<string, KubeObject>([
    [inventoryId(kept), live(kept)],
    [inventoryId(removed), live(removed)],
    [inventoryId(stolen), live(stolen, { namespace: "bosun", name: "other" })],
    [inventoryId(optedOut), live(optedOut, app, { "bosun.dev/sync-options": "Prune=false" })],
    [
      inventoryId(untracked),
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "untracked", namespace: "prod" } },
    ],
  ]);
  const plan = planPrune({
    app,
    inventory: [kept, removed, stolen, optedOut, gone, untracked].map(inventoryId),
    desired: [kept],
    liveOf: (r) => cluster.get(inventoryId(r)),
    syncOptionsOf,
  });
  assert.deepEqual(plan.prune, [removed]);
  assert.deepEqual(
    plan.kept.map((k) => [k.ref.name, k.reason]),
    [
      ["stolen", "its tracking annotation does not name this Application"],
      ["opted-out", "annotated Prune=false"],
      ["untracked", "its tracking annotation does not name this Application"],
    ],
  );
});

test("an object tracked by another Application is a conflict, not a takeover", () => {
  const mine = ref("Service", "web");
  const theirs = ref("Service", "api");
  const conflicts = ownershipConflicts(app, [mine, theirs, ref("Service", "new")], (r) =>
    r.name === "web" ? live(mine) : r.name === "api" ? live(theirs, { namespace: "team-b", name: "api" }) : undefined,
  );
  assert.deepEqual(
    conflicts.map((c) => c.message),
    ["Service/prod/api is managed by Application team-b/api; bosun will not take it over"],
  );
});
