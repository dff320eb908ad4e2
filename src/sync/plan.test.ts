import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { hookDeletePoliciesOf, syncOptionsOf, syncWaveOf } from "./annotations.js";
import { planSync } from "./plan.js";

const obj = (apiVersion: string, kind: string, name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: "app", annotations },
});

test("steps run PreSync, Sync, PostSync; waves ascending within each; kinds ordered within a wave", () => {
  const plan = planSync([
    obj("apps/v1", "Deployment", "web", { "bosun.dev/sync-wave": "1" }),
    obj("batch/v1", "Job", "smoke", { "bosun.dev/hook": "PostSync" }),
    obj("batch/v1", "Job", "migrate", { "argocd.argoproj.io/hook": "PreSync" }),
    obj("v1", "ConfigMap", "cfg"),
    obj("v1", "Service", "web"),
    obj("batch/v1", "Job", "seed", { "bosun.dev/sync-wave": "-1" }),
    obj("v1", "Secret", "s", { "argocd.argoproj.io/sync-wave": "1" }),
  ]);
  assert.deepEqual(
    plan.steps.map((s) => `${s.phase}/${s.wave}: ${s.tasks.map((t) => `${t.ref.kind}/${t.ref.name}`).join(" ")}`),
    [
      "PreSync/0: Job/migrate",
      "Sync/-1: Job/seed",
      "Sync/0: ConfigMap/cfg Service/web",
      "Sync/1: Secret/s Deployment/web",
      "PostSync/0: Job/smoke",
    ],
  );
  assert.deepEqual(
    plan.resources.map((t) => t.ref.name).sort(),
    ["cfg", "s", "seed", "web", "web"],
    "hooks are not resources (never inventoried, never pruned)",
  );
});

test("bosun's annotations win over Argo CD's; SyncFail hooks wait apart; Skip is left out", () => {
  const plan = planSync([
    obj("v1", "ConfigMap", "both", { "bosun.dev/sync-wave": "5", "argocd.argoproj.io/sync-wave": "-5" }),
    obj("batch/v1", "Job", "notify", { "bosun.dev/hook": "SyncFail" }),
    obj("v1", "ConfigMap", "skipped", { "bosun.dev/hook": "Skip" }),
    obj("batch/v1", "Job", "twice", { "bosun.dev/hook": "PreSync, PostSync" }),
  ]);
  assert.deepEqual(
    plan.steps.map((s) => `${s.phase}/${s.wave}/${s.tasks[0]?.ref.name}`),
    ["PreSync/0/twice", "Sync/5/both", "PostSync/0/twice"],
  );
  assert.deepEqual(
    plan.onFail.map((t) => t.ref.name),
    ["notify"],
  );
  assert.deepEqual(plan.onFail[0]?.hook?.deletePolicies, ["BeforeHookCreation"]);
});

test("unreadable annotations fail the whole plan and name every object at fault", () => {
  assert.throws(
    () =>
      planSync([
        obj("v1", "ConfigMap", "ok"),
        obj("v1", "ConfigMap", "a", { "bosun.dev/sync-wave": "early" }),
        obj("batch/v1", "Job", "b", { "bosun.dev/hook": "PreSink" }),
      ]),
    (err: unknown) => {
      assert.ok(err instanceof AggregateError);
      assert.equal(err.errors.length, 2);
      assert.match(err.message, /ConfigMap\/app\/a: sync wave "early" is not an integer/);
      assert.match(err.message, /Job\.batch\/app\/b: unknown hook "PreSink"/);
      return true;
    },
  );
});

test("annotation readers", () => {
  assert.equal(syncWaveOf(obj("v1", "ConfigMap", "x")), 0);
  assert.equal(syncWaveOf(obj("v1", "ConfigMap", "x", { "bosun.dev/sync-wave": " -3 " })), -3);
  assert.throws(() => syncWaveOf(obj("v1", "ConfigMap", "x", { "bosun.dev/sync-wave": "1.5" })), /not an integer/);
  assert.deepEqual(
    hookDeletePoliciesOf(
      obj("batch/v1", "Job", "j", { "bosun.dev/hook-delete-policy": "HookSucceeded,BeforeHookCreation" }),
    ),
    ["HookSucceeded", "BeforeHookCreation"],
  );
  assert.throws(
    () => hookDeletePoliciesOf(obj("batch/v1", "Job", "j", { "bosun.dev/hook-delete-policy": "Always" })),
    /unknown hook delete policy "Always"/,
  );
  assert.deepEqual(
    syncOptionsOf(obj("v1", "ConfigMap", "x", { "bosun.dev/sync-options": "Prune=false, Replace=true" })),
    {
      Prune: "false",
      Replace: "true",
    },
  );
  assert.throws(
    () => syncOptionsOf(obj("v1", "ConfigMap", "x", { "bosun.dev/sync-options": "Prune" })),
    /"Prune" is not Key=value/,
  );
});

test("a Namespace or CRD goes no later than the first object that needs it, PreSync hooks included", () => {
  const ns = (name: string, wave: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, annotations: { "bosun.dev/sync-wave": wave } },
  });
  const crd: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com", annotations: { "bosun.dev/sync-wave": "5" } },
    spec: { group: "example.com", names: { kind: "Widget" } },
  };
  const inNs = (kind: string, apiVersion: string, name: string, namespace: string, annotations = {}): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name, namespace, annotations },
  });
  const plan = planSync([
    ns("late", "3"),
    ns("hooks", "0"),
    ns("alone", "2"),
    crd,
    inNs("ConfigMap", "v1", "early", "late", { "bosun.dev/sync-wave": "-2" }),
    inNs("ConfigMap", "v1", "later", "late", { "bosun.dev/sync-wave": "4" }),
    inNs("Job", "batch/v1", "migrate", "hooks", { "bosun.dev/hook": "PreSync" }),
    inNs("Widget", "example.com/v1", "w", "alone", { "bosun.dev/sync-wave": "1" }),
  ]);
  assert.deepEqual(
    plan.steps.map((s) => `${s.phase}/${s.wave}: ${s.tasks.map((t) => `${t.ref.kind}/${t.ref.name}`).join(" ")}`),
    [
      "PreSync/0: Namespace/hooks Job/migrate",
      "Sync/-2: Namespace/late ConfigMap/early",
      "Sync/1: Namespace/alone CustomResourceDefinition/widgets.example.com Widget/w",
      "Sync/4: ConfigMap/later",
    ],
  );
  assert.equal(plan.resources.length, 7, "a moved Namespace is still a resource (inventory, prune), not a hook");
});
