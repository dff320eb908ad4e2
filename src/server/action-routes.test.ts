import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import { ACTIONS } from "./action-routes.js";

const NOW = "2026-01-02T03:04:05.000Z";

function app(annotations: Record<string, string> = {}): Application {
  return {
    metadata: { name: "shop", namespace: "bosun", annotations },
    spec: {},
    status: { history: [{ id: 3, revision: "0123456789abcdef", deployedAt: NOW, result: "Succeeded" }] },
  } as unknown as Application;
}

const annotationsOf = (plan: unknown) =>
  (plan as { patch?: { metadata?: { annotations: Record<string, string | null> } } }).patch?.metadata?.annotations;

test("a sync and a rollback requested through the API name the caller beside the request time", () => {
  assert.deepEqual(annotationsOf(ACTIONS.sync?.(app(), {}, NOW, "ci")), {
    "bosun.dev/reconcile-requested-at": NOW,
    "bosun.dev/sync-revision": null,
    "bosun.dev/sync-requested-by": "ci",
  });
  assert.deepEqual(annotationsOf(ACTIONS.rollback?.(app(), { id: 3 }, NOW, "ci")), {
    "bosun.dev/rollback-to": "3",
    "bosun.dev/reconcile-requested-at": NOW,
    "bosun.dev/sync-requested-by": "ci",
  });
});

test("resuming after a rollback syncs to Git in the resumer's name; a plain resume requests no sync", () => {
  assert.deepEqual(annotationsOf(ACTIONS.resume?.(app({ "bosun.dev/rollback-to": "3" }), {}, NOW, "ops")), {
    "bosun.dev/rollback-to": null,
    "bosun.dev/reconcile-requested-at": NOW,
    "bosun.dev/sync-requested-by": "ops",
  });
  assert.equal(annotationsOf(ACTIONS.resume?.(app(), {}, NOW, "ops")), undefined);
  assert.equal(annotationsOf(ACTIONS.suspend?.(app(), {}, NOW, "ops")), undefined);
});
