import assert from "node:assert/strict";
import { test } from "node:test";
import { inventoryId, type KubeObject, type ObjectRef, refOf, trackingId } from "../api/index.js";
import { extraneousOutOfSync, extraneousSyncReason } from "./compare.js";

const app = { namespace: "bosun", name: "shop" };
const cm = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name,
    namespace: "prod",
    annotations: {
      "bosun.dev/tracking-id": trackingId(app, { group: "", kind: "ConfigMap", namespace: "prod", name }),
      ...annotations,
    },
  },
});

test("extraneous objects: IgnoreExtraneous ones do not count; a self-heal is started only for what a sync would prune", () => {
  const objects = new Map(
    [
      cm("plain"),
      cm("ignored", { "argocd.argoproj.io/compare-options": "IgnoreExtraneous" }),
      cm("kept", { "bosun.dev/sync-options": "Prune=false" }),
    ].map((o) => [inventoryId(refOf(o)), o]),
  );
  const liveOf = (ref: ObjectRef) => objects.get(inventoryId(ref));
  const refs = (...names: string[]) => names.map((name) => ({ group: "", kind: "ConfigMap", namespace: "prod", name }));
  assert.equal(extraneousOutOfSync(refs("ignored"), liveOf), false);
  assert.equal(extraneousOutOfSync(refs("ignored", "kept"), liveOf), true);
  const reason = (names: string[], revisionChanged: boolean, options = {}) =>
    extraneousSyncReason({ extraneous: refs(...names), liveOf, options, revisionChanged });
  assert.equal(reason(["kept"], true), true, "Git moved: sync once");
  assert.equal(reason(["kept"], false), false, "self-heal: a sync would not prune it");
  assert.equal(reason(["plain"], false), true);
  assert.equal(reason(["plain"], false, { Prune: "false" }), false, "the Application says Prune=false");
  assert.equal(reason(["ignored"], false), false);
});
