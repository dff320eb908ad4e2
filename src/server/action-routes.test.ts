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
    "bosun.dev/sync-prune": null,
    "bosun.dev/sync-dry-run": null,
    "bosun.dev/sync-resources": null,
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

test("a sync may ask for prune, a dry run and chosen objects of the Application; anything else is refused", () => {
  const deployed = app();
  deployed.status = {
    ...deployed.status,
    inventory: ["apps_Deployment_web_web"],
    resources: [
      { group: "", version: "v1", kind: "ConfigMap", namespace: "web", name: "new", status: "Missing", wave: 0 },
    ],
  };
  const web = { group: "apps", kind: "Deployment", namespace: "web", name: "web" };
  const plan = ACTIONS.sync?.(
    deployed,
    { prune: true, dryRun: true, resources: [web, { kind: "ConfigMap", namespace: "web", name: "new" }] },
    NOW,
    "ci",
  );
  const annotations = annotationsOf(plan);
  assert.equal(annotations?.["bosun.dev/sync-prune"], "true");
  assert.equal(annotations?.["bosun.dev/sync-dry-run"], "true");
  assert.deepEqual(JSON.parse(String(annotations?.["bosun.dev/sync-resources"])), [
    "apps_Deployment_web_web",
    "_ConfigMap_web_new",
  ]);
  assert.equal((plan as { what: string }).what, "a dry run of 2 chosen objects with prune");
  const refusal = (body: Record<string, unknown>) =>
    (ACTIONS.sync?.(deployed, body, NOW, "ci") as { reject?: string } | undefined)?.reject;
  assert.equal(refusal({ prune: "yes" }), "prune must be true or false");
  assert.equal(refusal({ resources: [] }), "resources must be a non-empty list of {group, kind, namespace, name}");
  assert.equal(
    refusal({ resources: [{ kind: "Secret", namespace: "kube-system", name: "x" }] }),
    "Secret/kube-system/x is not one of the Application's objects",
  );
  assert.equal(
    refusal({ resources: [{ kind: 3, name: "x" }] }),
    "each of resources must be {group, kind, namespace, name} (strings)",
  );
});

test("lifting a quarantine names a quarantined revision (a prefix of 4 or more); anything else is refused", () => {
  const quarantined = app();
  quarantined.status = {
    ...quarantined.status,
    quarantined: [{ revision: "badbad1234567890", at: NOW, reason: "Degraded", rolledBackTo: "0123456789abcdef" }],
  };
  const plan = ACTIONS.unquarantine?.(quarantined, { revision: " badbad1 " }, NOW, "ops");
  assert.deepEqual(annotationsOf(plan), {
    "bosun.dev/unquarantine": JSON.stringify({ revision: "badbad1", at: NOW }),
    "bosun.dev/reconcile-requested-at": NOW,
  });
  assert.match((plan as { what: string }).what, /badbad1/);
  assert.deepEqual(ACTIONS.unquarantine?.(quarantined, { revision: "bad" }, NOW, "ops"), {
    reject: "bad is too short a revision in shop (quarantined: badbad1)",
  });
  assert.deepEqual(ACTIONS.unquarantine?.(quarantined, { revision: "0123456" }, NOW, "ops"), {
    reject: "0123456 is not quarantined in shop (quarantined: badbad1)",
  });
  assert.deepEqual(ACTIONS.unquarantine?.(app(), { revision: "0123456" }, NOW, "ops"), {
    reject: "0123456 is not quarantined in shop",
  });
  assert.ok("reject" in (ACTIONS.unquarantine?.(quarantined, {}, NOW, "ops") ?? {}));
});
