import assert from "node:assert/strict";
import { test } from "node:test";
import { ANNOTATIONS, type Application, type KubeObject } from "../api/index.js";
import type { SyncPlan, SyncTask } from "../sync/index.js";
import type { ResourceComparison } from "./compare.js";
import {
  chooseResource,
  dryRunReport,
  selectPlan,
  syncRequestAnnotations,
  syncRequestOptions,
} from "./sync-request.js";

const app = (annotations: Record<string, string>): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "a", namespace: "bosun", annotations },
  spec: { source: { repoURL: "file:///r" }, destination: {} },
});

function task(kind: string, name: string, wave = 0, hook = false): SyncTask {
  const group = kind === "Deployment" ? "apps" : "";
  const object = { apiVersion: group ? `${group}/v1` : "v1", kind, metadata: { name, namespace: "ns" } } as KubeObject;
  return {
    object,
    ref: { group, kind, namespace: "ns", name },
    phase: hook ? "PreSync" : "Sync",
    wave,
    ...(hook ? { hook: { deletePolicies: [] } } : {}),
    options: {} as SyncTask["options"],
  };
}

test("request options round-trip through the annotations; what is not an inventory id is dropped", () => {
  const written = syncRequestAnnotations({ prune: true, dryRun: false, resources: ["apps_Deployment_ns_web"] });
  assert.equal(written[ANNOTATIONS.syncDryRun], null, "an earlier request's dry run is removed");
  const annotations = Object.fromEntries(Object.entries(written).filter((e): e is [string, string] => e[1] !== null));
  assert.deepEqual(syncRequestOptions(app(annotations)), { prune: true, resources: ["apps_Deployment_ns_web"] });
  assert.deepEqual(syncRequestOptions(app({ [ANNOTATIONS.syncResources]: '["x", 3, "_ConfigMap_ns_a"]' })), {
    resources: ["_ConfigMap_ns_a"],
  });
  assert.deepEqual(syncRequestOptions(app({ [ANNOTATIONS.syncResources]: "{not json" })), {});
  assert.deepEqual(syncRequestOptions(app({ [ANNOTATIONS.syncDryRun]: "yes" })), {}, 'only "true" asks');
});

test("a selective plan keeps the chosen objects in their waves, drops hooks and empty steps", () => {
  const hook = task("Job", "migrate", 0, true);
  const web = task("Deployment", "web", 1);
  const a = task("ConfigMap", "a", 0);
  const b = task("ConfigMap", "b", 0);
  const plan = {
    steps: [
      { phase: "PreSync", wave: 0, tasks: [hook] },
      { phase: "Sync", wave: 0, tasks: [a, b] },
      { phase: "Sync", wave: 1, tasks: [web] },
    ],
    onFail: [task("Job", "cleanup", 0, true)],
    resources: [a, b, web],
    options: {},
    ignoreDifferences: [],
  } as unknown as SyncPlan;
  assert.equal(selectPlan(plan, undefined), plan, "no selection: the whole plan");
  const selected = selectPlan(plan, ["_ConfigMap_ns_b", "apps_Deployment_ns_web", "batch_Job_ns_migrate"]);
  assert.deepEqual(
    selected.steps.map((s) => [s.wave, s.tasks.map((t) => t.ref.name)]),
    [
      [0, ["b"]],
      [1, ["web"]],
    ],
  );
  assert.deepEqual(selected.onFail, []);
  assert.equal(selected.resources.length, 3, "the inventory stays whole");
});

function comparison(t: SyncTask, status: ResourceComparison["status"], error?: string): ResourceComparison {
  return { task: t, status, diff: "", changedPaths: [], changes: [], drift: [], ...(error ? { error } : {}) };
}

test("a dry run reports what would be created, changed, pruned and refused, for the chosen objects", () => {
  const comparisons = [
    comparison(task("ConfigMap", "new"), "Missing"),
    comparison(task("ConfigMap", "changed"), "OutOfSync"),
    comparison(task("ConfigMap", "same"), "Synced"),
    comparison(task("Deployment", "bad"), "OutOfSync", 'Deployment.apps "bad" is invalid: spec.replicas'),
    comparison(task("Job", "hook", 0, true), "Missing"),
  ];
  const pruned = [{ group: "", kind: "ConfigMap", namespace: "ns", name: "old" }];
  const all = dryRunReport({ comparisons, pruned });
  assert.equal(all.ok, false);
  assert.equal(
    all.message,
    "dry run: would create 1, change 1, prune 1, leave 1 as they are; the server refused 1 object: Deployment.apps/ns/bad; nothing was changed",
  );
  assert.deepEqual(all.failures, [
    { resource: "Deployment.apps/ns/bad", message: 'Deployment.apps "bad" is invalid: spec.replicas' },
  ]);
  const some = dryRunReport({ comparisons, pruned, selection: ["_ConfigMap_ns_new"] });
  assert.equal(some.ok, true);
  assert.equal(some.message, "dry run: would create 1, change 0, prune 0, leave 0 as they are; nothing was changed");
});

test("--resource names an object as Argo CD does; ambiguous and unknown ones are refused", () => {
  const resources = [
    { group: "apps", kind: "Deployment", namespace: "a", name: "web" },
    { group: "apps", kind: "Deployment", namespace: "b", name: "web" },
    { group: "", kind: "ConfigMap", namespace: "a", name: "settings" },
  ];
  assert.equal(chooseResource(":ConfigMap:settings", resources), "_ConfigMap_a_settings");
  assert.equal(chooseResource("apps:Deployment:b/web", resources), "apps_Deployment_b_web");
  assert.match(String(Object(chooseResource("apps:Deployment:web", resources)).error), /2 objects match/);
  assert.match(String(Object(chooseResource("apps:Deployment:c/web", resources)).error), /no such object/);
  assert.match(String(Object(chooseResource("Deployment/web", resources)).error), /expected GROUP:KIND:NAME/);
});
