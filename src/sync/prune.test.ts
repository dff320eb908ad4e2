import assert from "node:assert/strict";
import { test } from "node:test";
import { inventoryId, type KubeObject, type ObjectRef, trackingId } from "../api/index.js";
import type { ObjectAddress, PropagationPolicy } from "../cluster/index.js";
import { cascadeDeletable, executePrune, nextInventory, planPrune } from "./prune.js";

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
      ["opted-out", "Prune=false applies to it"],
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
  const result = await executePrune(deleter, objects, { signal: AbortSignal.timeout(5000) });
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

test("Prune=false and Delete=false keep an object, set on it (bosun's or Argo CD's annotation) or on the Application", () => {
  const plain = ref("ConfigMap", "plain");
  const argo = ref("ConfigMap", "argo");
  const noDelete = ref("ConfigMap", "no-delete");
  const garbled = ref("ConfigMap", "garbled");
  const allowed = ref("ConfigMap", "allowed");
  const cluster = new Map<string, KubeObject>([
    [inventoryId(plain), live(plain)],
    [inventoryId(argo), live(argo, app, { "argocd.argoproj.io/sync-options": "Prune=false" })],
    [inventoryId(noDelete), live(noDelete, app, { "bosun.dev/sync-options": "Delete=false" })],
    [inventoryId(garbled), live(garbled, app, { "bosun.dev/sync-options": "Prune=never" })],
    [inventoryId(allowed), live(allowed, app, { "bosun.dev/sync-options": "Prune=true" })],
  ]);
  const input = {
    app,
    inventory: [plain, argo, noDelete, garbled, allowed].map(inventoryId),
    desired: [],
    liveOf: (r: ObjectRef) => cluster.get(inventoryId(r)),
  };
  const own = planPrune(input);
  assert.deepEqual(own.prune, [plain, allowed]);
  assert.deepEqual(
    own.kept.map((k) => [k.ref.name, k.reason.replace(/: ConfigMap.*/, "")]),
    [
      ["argo", "Prune=false applies to it"],
      ["no-delete", "Delete=false applies to it"],
      ["garbled", "its sync options cannot be read"],
    ],
  );
  const appWide = planPrune({ ...input, options: { Prune: "false" } });
  assert.deepEqual(appWide.prune, [allowed], "the object's own Prune=true wins over the Application's Prune=false");
});

function recordingDeleter() {
  const calls: Array<[string, PropagationPolicy | undefined]> = [];
  return {
    calls,
    async delete(addr: ObjectAddress, options: { propagationPolicy?: PropagationPolicy }) {
      calls.push([`${addr.kind}/${addr.name}`, options.propagationPolicy]);
      return true;
    },
  };
}

test("objects with PruneLast=true are pruned after every other, whatever their kind; PrunePropagationPolicy is the Application's", async () => {
  const deleter = recordingDeleter();
  const objects = [
    live(ref("Deployment", "web"), app, { "bosun.dev/sync-options": "PruneLast=true" }),
    live(ref("ConfigMap", "cfg")),
    live(ref("Secret", "creds"), app, { "argocd.argoproj.io/sync-options": "PruneLast=true" }),
    live(ref("Service", "api")),
  ];
  const result = await executePrune(deleter, objects, {
    signal: AbortSignal.timeout(5000),
    options: { PrunePropagationPolicy: "foreground" },
  });
  assert.deepEqual(
    deleter.calls.map(([what]) => what),
    ["Service/api", "ConfigMap/cfg", "Deployment/web", "Secret/creds"],
  );
  assert.ok(deleter.calls.every(([, policy]) => policy === "Foreground"));
  assert.equal(result.pruned.length, 4);

  const background = recordingDeleter();
  await executePrune(background, objects.slice(1, 2), { signal: AbortSignal.timeout(5000) });
  assert.deepEqual(background.calls, [["ConfigMap/cfg", "Background"]], "background unless the Application says");
});

test("a cascade deletion leaves objects with Delete=false (on them or on the Application) and those it cannot read", () => {
  const keep = live(ref("PersistentVolumeClaim", "data"), app, { "argocd.argoproj.io/sync-options": "Delete=false" });
  const garbled = live(ref("ConfigMap", "garbled"), app, { "bosun.dev/sync-options": "Delete=maybe" });
  const go = live(ref("ConfigMap", "go"));
  const override = live(ref("ConfigMap", "override"), app, { "bosun.dev/sync-options": "Delete=true" });
  assert.deepEqual(
    cascadeDeletable([keep, garbled, go, override], undefined).map((o) => o.metadata.name),
    ["go", "override"],
  );
  assert.deepEqual(
    cascadeDeletable([keep, go, override], ["Delete=false"]).map((o) => o.metadata.name),
    ["override"],
  );
});
