import assert from "node:assert/strict";
import { test } from "node:test";
import { inventoryId, type KubeObject, type ObjectRef, trackingId } from "../api/index.js";
import type { ObjectAddress } from "./ports.js";
import { executePrune, nextInventory, planPrune } from "./prune.js";

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

test("prune deletes in reverse apply order; a failed delete is reported and its object stays in the inventory", async () => {
  const deleted: string[] = [];
  const deleter = {
    async delete(addr: ObjectAddress) {
      if (addr.name === "stuck") throw new Error("ConfigMap/prod/stuck: delete failed: the server is on fire");
      deleted.push(`${addr.kind}/${addr.name}`);
      return true;
    },
  };
  const ns: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } };
  const objects = [ns, live(ref("ConfigMap", "stuck")), live(ref("Deployment", "web")), live(ref("ConfigMap", "cfg"))];
  const result = await executePrune(deleter, objects, AbortSignal.timeout(5000));
  assert.deepEqual(deleted, ["Deployment/web", "ConfigMap/cfg", "Namespace/prod"], "the Namespace last");
  assert.deepEqual(result.failed, [
    { ref: ref("ConfigMap", "stuck"), error: "ConfigMap/prod/stuck: delete failed: the server is on fire" },
  ]);
  const extraneous = [ref("ConfigMap", "stuck"), ref("ConfigMap", "cfg")];
  assert.deepEqual(nextInventory(["_ConfigMap_prod_kept"], extraneous, result.pruned), [
    "_ConfigMap_prod_kept",
    inventoryId(ref("ConfigMap", "stuck")),
  ]);
});
