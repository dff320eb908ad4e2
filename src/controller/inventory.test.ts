import assert from "node:assert/strict";
import { test } from "node:test";
import { type KubeObject, type ObjectRef, trackingId } from "../api/index.js";
import { ownershipConflicts } from "./inventory.js";

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
