import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { compareOptionsOf, hookDeletePoliciesOf, syncOptionSettingsOf, syncWaveOf } from "./annotations.js";
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
    syncOptionSettingsOf(obj("v1", "ConfigMap", "x", { "bosun.dev/sync-options": "Prune=false, Replace=true" })),
    { Prune: "false", Replace: "true" },
  );
  assert.deepEqual(
    syncOptionSettingsOf(
      obj("v1", "ConfigMap", "x", {
        "bosun.dev/sync-options": "Validate=false",
        "argocd.argoproj.io/sync-options": "Replace=true",
      }),
    ),
    { Validate: "false" },
    "bosun's annotation wins over Argo CD's",
  );
  assert.deepEqual(
    syncOptionSettingsOf(obj("v1", "ConfigMap", "x", { "argocd.argoproj.io/sync-options": "ServerSideApply=false" })),
    { ServerSideApply: "false" },
  );
  assert.throws(
    () => syncOptionSettingsOf(obj("v1", "ConfigMap", "x", { "bosun.dev/sync-options": "Prune" })),
    /^AnnotationError: ConfigMap\/app\/x: annotation bosun.dev\/sync-options: "Prune" is not Key=value/,
  );
  assert.deepEqual(
    compareOptionsOf(obj("v1", "ConfigMap", "x", { "argocd.argoproj.io/compare-options": "IgnoreExtraneous" })),
    { ignoreExtraneous: true },
  );
  assert.deepEqual(compareOptionsOf(obj("v1", "ConfigMap", "x")), { ignoreExtraneous: false });
  assert.throws(
    () => compareOptionsOf(obj("v1", "ConfigMap", "x", { "bosun.dev/compare-options": "IgnoreEverything" })),
    /ConfigMap\/app\/x: annotation bosun.dev\/compare-options: unknown compare option "IgnoreEverything" \(known: IgnoreExtraneous, ServerSideDiff, IncludeMutationWebhook\)/,
  );
});

test("each task carries the options in force for it: its annotation over the Application's over the defaults", () => {
  const plan = planSync(
    [
      obj("v1", "ConfigMap", "plain"),
      obj("v1", "ConfigMap", "own", { "argocd.argoproj.io/sync-options": "Replace=false,Validate=false" }),
    ],
    { syncPolicy: { syncOptions: ["Replace=true", "PrunePropagationPolicy=orphan", "CreateNamespace=true"] } },
  );
  const [own, plain] = plan.resources;
  assert.deepEqual(
    [
      plain?.options.replace,
      plain?.options.validate,
      plain?.options.serverSideApply,
      plain?.options.prunePropagationPolicy,
    ],
    [true, true, true, "orphan"],
  );
  assert.deepEqual([own?.options.replace, own?.options.validate], [false, false]);
  assert.deepEqual(plan.options, { Replace: "true", PrunePropagationPolicy: "orphan", CreateNamespace: "true" });
});

test("an unknown sync option, a bad value or an Application-only option on an object fails the plan naming it and the known options", () => {
  assert.throws(
    () =>
      planSync([
        obj("v1", "ConfigMap", "typo", { "bosun.dev/sync-options": "Replase=true" }),
        obj("v1", "ConfigMap", "maybe", { "argocd.argoproj.io/sync-options": "Replace=maybe" }),
        obj("v1", "ConfigMap", "app-only", { "bosun.dev/sync-options": "CreateNamespace=true" }),
        obj("v1", "ConfigMap", "compare", { "bosun.dev/compare-options": "IgnoreExtraneous=yes" }),
        obj("v1", "ConfigMap", "fine", { "bosun.dev/sync-options": "Replace=true" }),
      ]),
    (err: unknown) => {
      assert.ok(err instanceof AggregateError);
      assert.deepEqual(
        err.errors.map((e: Error) => e.message),
        [
          'ConfigMap/app/typo: annotation bosun.dev/sync-options: unknown sync option "Replase" (known: Prune, Delete, Replace, ServerSideApply, PruneLast, FailOnSharedResource, SkipDryRunOnMissingResource, Validate, CreateNamespace, ApplyOutOfSyncOnly, RespectIgnoreDifferences, PrunePropagationPolicy)',
          "ConfigMap/app/maybe: annotation argocd.argoproj.io/sync-options: Replace=maybe: the value is one of true, false",
          "ConfigMap/app/app-only: annotation bosun.dev/sync-options: CreateNamespace can be set only in the Application's spec.syncPolicy.syncOptions, not on an object",
          "ConfigMap/app/compare: annotation bosun.dev/compare-options: IgnoreExtraneous takes no value",
        ],
      );
      return true;
    },
  );
});

test("a custom resource whose CRD is in the plan knows it", () => {
  const crd: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: { group: "example.com", names: { kind: "Widget" }, versions: [{ name: "v1" }, { name: "v2" }] },
  };
  const plan = planSync([crd, obj("example.com/v2", "Widget", "w"), obj("other.com/v1", "Widget", "x")]);
  assert.deepEqual(
    plan.resources.map((t) => [t.ref.name, t.definedBy]),
    [
      ["widgets.example.com", undefined],
      ["w", "widgets.example.com"],
      ["x", undefined],
    ],
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
    spec: { group: "example.com", names: { kind: "Widget" }, versions: [{ name: "v1" }] },
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

test("Helm hooks as Argo CD maps them: pre-* PreSync, post-* PostSync, weight as wave, tests skipped, crd-install plain", () => {
  const helm = (name: string, hook: string, more: Record<string, string> = {}) =>
    obj("batch/v1", "Job", name, { "helm.sh/hook": hook, ...more });
  const plan = planSync([
    helm("migrate", "pre-install,pre-upgrade", { "helm.sh/hook-weight": "-5" }),
    helm("seed", "pre-upgrade", { "helm.sh/hook-weight": "3", "helm.sh/hook-delete-policy": "hook-succeeded" }),
    helm("notify", "post-install"),
    obj("v1", "Pod", "test-connection", { "helm.sh/hook": "test" }),
    obj("v1", "Pod", "test-old", { "helm.sh/hook": "test-success" }),
    obj("v1", "ConfigMap", "cleanup", { "helm.sh/hook": "pre-delete" }),
    obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "crds.example.com", { "helm.sh/hook": "crd-install" }),
    helm("argo-wins", "post-install", { "argocd.argoproj.io/hook": "Sync" }),
    obj("v1", "ConfigMap", "weighted", { "helm.sh/hook-weight": "2" }),
  ]);
  assert.deepEqual(
    plan.steps.map((s) => `${s.phase}/${s.wave}: ${s.tasks.map((t) => `${t.ref.kind}/${t.ref.name}`).join(" ")}`),
    [
      "PreSync/-5: Job/migrate",
      "PreSync/3: Job/seed",
      "Sync/0: CustomResourceDefinition/crds.example.com Job/argo-wins",
      "Sync/2: ConfigMap/weighted",
      "PostSync/0: Job/notify",
    ],
  );
  assert.deepEqual(
    plan.steps[0]?.tasks.map((t) => t.hook?.deletePolicies),
    [["BeforeHookCreation"]],
  );
  assert.deepEqual(
    plan.steps[1]?.tasks.map((t) => t.hook?.deletePolicies),
    [["HookSucceeded"]],
  );
  assert.deepEqual(
    plan.resources.map((t) => t.ref.name).sort(),
    ["crds.example.com", "weighted"],
    "test and pre-delete hooks are neither applied nor resources",
  );
  assert.throws(
    () => planSync([helm("bad", "pre-install", { "helm.sh/hook-delete-policy": "always" })]),
    /Job.batch\/app\/bad: unknown helm.sh\/hook-delete-policy "always"/,
  );
});
