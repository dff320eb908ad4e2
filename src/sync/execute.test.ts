// executeStep with fake ports: a cluster in a Map, health from a table the test sets.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Health, KubeObject, ObjectRef, OperationState } from "../api/index.js";
import type { ObjectAddress } from "../cluster/index.js";
import { type ExecuteContext, executeStep, type StepOutcome } from "./execute.js";
import { type PlanSettings, planSync } from "./plan.js";
import type { WriteOptions } from "./ports.js";

const key = (r: { kind: string; namespace?: string; name: string }) => `${r.kind}/${r.namespace ?? ""}/${r.name}`;

/**
 * A cluster of plain objects: writes (failing on request), gets, deletes; what happened, in order, with the
 * fieldValidation of each write. Kinds listed in `unserved` are not served (until removed from the set).
 */
function fakeCluster(options: { fail?: Record<string, string>; existing?: KubeObject[]; unserved?: Set<string> } = {}) {
  const objects = new Map<string, KubeObject>();
  for (const o of options.existing ?? [])
    objects.set(key({ ...o.metadata, kind: o.kind, name: o.metadata.name ?? "" }), o);
  const log: string[] = [];
  const validation: Array<string | undefined> = [];
  let rv = 0;
  let generated = 0;
  const keyOf = (obj: KubeObject) =>
    key({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? "" });
  const store = (verb: string, obj: KubeObject, opts: WriteOptions) => {
    const k = keyOf(obj);
    log.push(`${verb} ${k}`);
    validation.push(opts.fieldValidation);
    const refusal = options.fail?.[k];
    if (refusal) throw new Error(`${k}: ${refusal}`);
    if (options.unserved?.has(obj.kind)) throw new Error(`${k}: the server does not serve kind ${obj.kind}`);
    const created = !objects.has(k);
    const object = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } };
    if (!opts.dryRun) objects.set(k, object);
    return { object, created };
  };
  return {
    objects,
    log,
    validation,
    applier: {
      async apply(obj: KubeObject, opts: WriteOptions) {
        return store("apply", obj, opts);
      },
      async replace(obj: KubeObject, opts: WriteOptions) {
        return store("replace", obj, opts);
      },
      async create(obj: KubeObject, opts: WriteOptions) {
        const { name, generateName } = obj.metadata;
        if (name || !generateName) return store("create", obj, opts);
        return store("create", { ...obj, metadata: { ...obj.metadata, name: `${generateName}${++generated}` } }, opts);
      },
      async mergePatch(addr: ObjectAddress, patch: Record<string, unknown>, opts: WriteOptions) {
        const live = objects.get(key(addr));
        if (!live) throw new Error(`${key(addr)}: not found`);
        const merged = { ...live, ...patch, metadata: { ...live.metadata, ...(patch.metadata as object) } };
        return store("patch", merged as KubeObject, opts);
      },
    },
    deleter: {
      async delete(addr: ObjectAddress) {
        const k = key(addr);
        log.push(`delete ${k}`);
        return objects.delete(k);
      },
    },
    reader: { get: async (addr: ObjectAddress) => objects.get(key(addr)) },
    lister: {
      async list(_apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string }) {
        const wanted = (opts.labelSelector ?? "").split(",").filter(Boolean);
        log.push(`list ${kind} ${opts.labelSelector}`);
        const items = [...objects.values()].filter(
          (o) =>
            o.kind === kind &&
            o.metadata.namespace === opts.namespace &&
            wanted.every((w) => {
              const [k = "", v] = w.split("=");
              return o.metadata.labels?.[k] === v;
            }),
        );
        return { items };
      },
    },
    kinds: { serves: async (_apiVersion: string, kind: string) => !options.unserved?.has(kind) },
  };
}

const obj = (kind: string, name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: kind === "Job" ? "batch/v1" : kind === "Deployment" ? "apps/v1" : "v1",
  kind,
  metadata: { name, namespace: "app", annotations },
});

const newOp = (): OperationState => ({
  phase: "Running",
  revision: "r",
  initiatedBy: "test",
  step: 0,
  stepApplied: false,
  message: "starting",
  startedAt: "2026-01-01T00:00:00Z",
});

function context(
  objects: KubeObject[],
  cluster: ReturnType<typeof fakeCluster>,
  health: Map<string, Health>,
  extra: Partial<ExecuteContext> = {},
  settings: PlanSettings = {},
): ExecuteContext {
  let now = Date.parse("2026-01-01T00:00:00Z");
  return {
    plan: planSync(objects, settings),
    op: newOp(),
    operationId: "uid/1",
    application: "uid",
    timeoutMs: 60_000,
    now: () => (now += 1000),
    ...cluster,
    // Tracked: what this fake cluster holds that carries a tracking annotation (all of it here but `existing`).
    tracked: {
      get: (ref: ObjectRef) =>
        cluster.objects.get(key(ref))?.metadata.resourceVersion ? cluster.objects.get(key(ref)) : undefined,
    },
    healthOf: (ref) => health.get(key(ref)) ?? (cluster.objects.has(key(ref)) ? healthy : missing),
    signal: AbortSignal.timeout(10_000),
    ...extra,
  };
}

const healthy: Health = { status: "Healthy", message: "" };
const missing: Health = { status: "Missing", message: "" };

async function run(ctx: ExecuteContext, max = 20): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  for (let i = 0; i < max; i++) {
    const o = await executeStep(ctx);
    out.push(o);
    if (o.type !== "applied" && o.type !== "advanced") break;
  }
  return out;
}

test("waves in order, one decision per call, a change set per applied step", async () => {
  const cluster = fakeCluster();
  const ctx = context(
    [obj("ConfigMap", "cfg"), obj("Deployment", "web", { "bosun.dev/sync-wave": "1" })],
    cluster,
    new Map(),
  );
  const first = await executeStep(ctx);
  assert.deepEqual(first.type === "applied" && first.changes.map(({ applied, ...c }) => c), [
    { ref: ctx.plan.steps[0]?.tasks[0]?.ref, action: "created" },
  ]);
  assert.equal(
    first.type === "applied" && first.changes[0]?.applied?.metadata.resourceVersion,
    cluster.objects.get("ConfigMap/app/cfg")?.metadata.resourceVersion,
    "the change carries what the server returned",
  );
  assert.equal(ctx.op.stepApplied, true);
  assert.deepEqual(await executeStep(ctx), { type: "advanced" });
  assert.equal(ctx.op.step, 1);
  const rest = await run(ctx);
  assert.deepEqual(
    rest.map((o) => o.type),
    ["applied", "advanced", "succeeded"],
  );
  assert.deepEqual(cluster.log, ["apply ConfigMap/app/cfg", "apply Deployment/app/web"]);
});

test("a wave waits for health, with a deadline, and is not applied twice", async () => {
  const cluster = fakeCluster();
  const health = new Map([["Deployment/app/web", { status: "Progressing", message: "1 of 2 ready" } as Health]]);
  const ctx = context(
    [obj("Deployment", "web"), obj("ConfigMap", "after", { "bosun.dev/sync-wave": "1" })],
    cluster,
    health,
  );
  await executeStep(ctx);
  const waiting = await executeStep(ctx);
  assert.equal(waiting.type, "waiting");
  assert.ok(waiting.type === "waiting" && waiting.deadline === Date.parse(ctx.op.stepAppliedAt ?? "") + 60_000);
  assert.match(ctx.op.message, /Sync wave 0: 0 of 1 healthy; waiting for Deployment.apps\/app\/web/);
  assert.equal((await executeStep(ctx)).type, "waiting");
  assert.deepEqual(cluster.log, ["apply Deployment/app/web"], "waiting applies nothing again");
  health.set("Deployment/app/web", healthy);
  assert.deepEqual(
    (await run(ctx)).map((o) => o.type),
    ["advanced", "applied", "advanced", "succeeded"],
  );
});

test("a failed object fails the step after the others were applied; SyncFail hooks run; the failures are kept", async () => {
  const cluster = fakeCluster({ fail: { "Secret/app/creds": 'secrets "creds" is forbidden' } });
  const ctx = context(
    [
      obj("Secret", "creds"),
      obj("ConfigMap", "cfg"),
      obj("ConfigMap", "later", { "bosun.dev/sync-wave": "1" }),
      obj("Job", "notify", { "bosun.dev/hook": "SyncFail" }),
    ],
    cluster,
    new Map(),
  );
  const outcome = await executeStep(ctx);
  assert.equal(outcome.type, "failed");
  assert.deepEqual(cluster.log, ["apply Secret/app/creds", "apply ConfigMap/app/cfg", "apply Job/app/notify"]);
  assert.equal(ctx.op.phase, "Failed");
  assert.equal(ctx.op.message, 'Secret/app/creds: secrets "creds" is forbidden');
  assert.deepEqual(ctx.op.failures, [
    { resource: "Secret/app/creds", message: 'Secret/app/creds: secrets "creds" is forbidden' },
  ]);
  assert.equal(cluster.objects.get("Job/app/notify")?.metadata.annotations?.["bosun.dev/hook-operation"], "uid/1");
});

test("a Degraded object fails at once; the timeout fails a wave that never becomes healthy", async () => {
  const next = obj("ConfigMap", "next", { "bosun.dev/sync-wave": "1" });
  const degraded = context(
    [obj("Deployment", "web"), next],
    fakeCluster(),
    new Map([["Deployment/app/web", { status: "Degraded", message: "crash" } as Health]]),
  );
  await executeStep(degraded);
  const failed = await executeStep(degraded);
  assert.equal(failed.type === "failed" && failed.message, "Deployment.apps/app/web is Degraded: crash");

  const slow = context(
    [obj("Deployment", "web"), next],
    fakeCluster(),
    new Map([["Deployment/app/web", { status: "Progressing", message: "" } as Health]]),
    { timeoutMs: 1500 },
  );
  await executeStep(slow);
  assert.equal((await executeStep(slow)).type, "waiting", "within the timeout");
  const timedOut = await executeStep(slow);
  assert.match(
    timedOut?.type === "failed" ? timedOut.message : "",
    /^timed out after 2s in Sync wave 0 waiting for Deployment.apps\/app\/web/,
  );
});

test("hooks: made once per operation (resumed, not recreated), BeforeHookCreation replaces an old one, HookSucceeded deletes", async () => {
  const old: KubeObject = {
    ...obj("Job", "migrate"),
    metadata: {
      ...obj("Job", "migrate").metadata,
      annotations: { "bosun.dev/hook-operation": "uid/0" },
      resourceVersion: "7",
    },
  };
  const cluster = fakeCluster({ existing: [old] });
  const hook = obj("Job", "migrate", {
    "bosun.dev/hook": "PreSync",
    "bosun.dev/hook-delete-policy": "BeforeHookCreation,HookSucceeded",
  });
  const ctx = context([hook, obj("ConfigMap", "cfg")], cluster, new Map());
  await executeStep(ctx);
  assert.deepEqual(cluster.log, ["delete Job/app/migrate", "apply Job/app/migrate"]);
  // A restart before the step was recorded as applied: the hook of this operation is found, not made again.
  ctx.op.stepApplied = false;
  const again = await executeStep(ctx);
  assert.deepEqual(again.type === "applied" && again.changes.map((c) => c.action), ["unchanged"]);
  assert.equal(cluster.log.length, 2);
  assert.deepEqual(await executeStep(ctx), { type: "advanced" });
  assert.equal(cluster.log.at(-1), "delete Job/app/migrate", "HookSucceeded");
});

test("an object that existed untracked is reported as adopted", async () => {
  const cluster = fakeCluster({ existing: [obj("ConfigMap", "pre")] });
  const ctx = context([obj("ConfigMap", "pre")], cluster, new Map());
  const outcome = await executeStep(ctx);
  assert.deepEqual(outcome.type === "applied" && outcome.changes.map(({ applied, ...c }) => c), [
    { ref: { group: "", kind: "ConfigMap", namespace: "app", name: "pre" }, action: "configured", adopted: true },
  ]);
});

test("the objects of one kind rank are applied a bounded number at a time; kinds stay in order; changes keep the tasks' order", async () => {
  const cluster = fakeCluster();
  let inFlight = 0;
  let most = 0;
  const order: string[] = [];
  const applier = {
    ...cluster.applier,
    async apply(obj: KubeObject, opts: WriteOptions) {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      order.push(obj.kind);
      inFlight--;
      return await cluster.applier.apply(obj, opts);
    },
  };
  const maps = Array.from({ length: 20 }, (_, i) => obj("ConfigMap", `cm-${String(i).padStart(2, "0")}`));
  const ctx = context([obj("Namespace", "app"), ...maps, obj("Deployment", "web")], cluster, new Map(), {
    applier,
    applyConcurrency: 4,
  });
  const outcome = await executeStep(ctx);
  assert.equal(most, 4);
  assert.equal(order[0], "Namespace");
  assert.equal(order.at(-1), "Deployment", "the next kind waits for the last ConfigMap");
  assert.deepEqual(outcome.type === "applied" && outcome.changes.map((c) => c.ref.name), [
    "app",
    ...maps.map((m) => m.metadata.name),
    "web",
  ]);
});

test("each object is written as its sync options say: replace, client-side apply, server-side apply; Validate=false sends Ignore", async () => {
  const cluster = fakeCluster();
  const ctx = context(
    [
      obj("ConfigMap", "replaced", { "bosun.dev/sync-options": "Replace=true" }),
      obj("ConfigMap", "csa", { "argocd.argoproj.io/sync-options": "ServerSideApply=false,Validate=false" }),
      obj("ConfigMap", "ssa"),
      obj("ConfigMap", "both", { "bosun.dev/sync-options": "Replace=true,ServerSideApply=false" }),
    ],
    cluster,
    new Map(),
    { applyConcurrency: 1 },
  );
  await executeStep(ctx);
  assert.deepEqual(cluster.log, [
    "replace ConfigMap/app/both",
    "create ConfigMap/app/csa",
    "replace ConfigMap/app/replaced",
    "apply ConfigMap/app/ssa",
  ]);
  assert.deepEqual(cluster.validation, ["Strict", "Ignore", "Strict", "Strict"]);
  assert.ok(
    cluster.objects.get("ConfigMap/app/csa")?.metadata.annotations?.[
      "kubectl.kubernetes.io/last-applied-configuration"
    ],
    "client-side apply creates the object with its last-applied annotation",
  );

  // Git drops the object's data: client-side apply patches it away (three-way merge with the annotation).
  const changed = obj("ConfigMap", "csa", { "argocd.argoproj.io/sync-options": "ServerSideApply=false" });
  const live = cluster.objects.get("ConfigMap/app/csa") as KubeObject;
  cluster.objects.set("ConfigMap/app/csa", { ...live, data: { a: "1" } });
  const next = context([changed], cluster, new Map());
  await executeStep(next);
  assert.equal(cluster.log.at(-1), "patch ConfigMap/app/csa");
});

test("client-side apply recomputes its patch when another write got in between", async () => {
  const cluster = fakeCluster({ existing: [obj("ConfigMap", "cfg")] });
  let conflicts = 1;
  const applier = {
    ...cluster.applier,
    async mergePatch(addr: ObjectAddress, patch: Record<string, unknown>, opts: WriteOptions) {
      if (conflicts-- > 0) {
        const { ApiError, ObjectError } = await import("../cluster/index.js");
        const ref = { group: "", kind: "ConfigMap", namespace: "app", name: "cfg" };
        throw new ObjectError(ref, "patch failed: conflict", {
          cause: new ApiError(409, "Conflict", "PATCH", "/", "the object has been modified"),
        });
      }
      return await cluster.applier.mergePatch(addr, patch, opts);
    },
  };
  const ctx = context(
    [obj("ConfigMap", "cfg", { "bosun.dev/sync-options": "ServerSideApply=false" })],
    cluster,
    new Map(),
    { applier },
  );
  const outcome = await executeStep(ctx);
  assert.equal(outcome.type, "applied");
  assert.deepEqual(cluster.log, ["patch ConfigMap/app/cfg"]);
});

test("server-side apply refusing an undeclared field under Validate=false says what works instead", async () => {
  const cluster = fakeCluster();
  const { ObjectError } = await import("../cluster/index.js");
  const applier = {
    ...cluster.applier,
    async apply(o: KubeObject): Promise<never> {
      throw new ObjectError(
        { group: "", kind: o.kind, namespace: "app", name: o.metadata.name ?? "" },
        "apply failed: .spec.bogus: field not declared in schema",
      );
    },
  };
  const ctx = context([obj("ConfigMap", "cfg", { "bosun.dev/sync-options": "Validate=false" })], cluster, new Map(), {
    applier,
  });
  const outcome = await executeStep(ctx);
  assert.equal(
    outcome.type === "failed" && outcome.message,
    "ConfigMap/app/cfg: apply failed: .spec.bogus: field not declared in schema; server-side apply refuses fields the schema does not declare even with Validate=false: add ServerSideApply=false or Replace=true to have them dropped",
  );
});

test("ApplyOutOfSyncOnly=true writes only what the comparison found out of sync; hooks always run", async () => {
  const cluster = fakeCluster({
    existing: [
      { ...obj("ConfigMap", "same"), metadata: { ...obj("ConfigMap", "same").metadata, resourceVersion: "1" } },
      { ...obj("ConfigMap", "drifted"), metadata: { ...obj("ConfigMap", "drifted").metadata, resourceVersion: "2" } },
    ],
  });
  const objects = [
    obj("ConfigMap", "same"),
    obj("ConfigMap", "drifted"),
    obj("ConfigMap", "new"),
    obj("Job", "hook", { "bosun.dev/hook": "Sync" }),
  ];
  const inSync = (ref: ObjectRef) => ref.name === "same" || ref.name === "hook";
  const only = context(
    objects,
    cluster,
    new Map(),
    { inSync },
    { syncPolicy: { syncOptions: ["ApplyOutOfSyncOnly=true"] } },
  );
  const outcome = await executeStep(only);
  assert.deepEqual(cluster.log, ["apply ConfigMap/app/drifted", "apply ConfigMap/app/new", "apply Job/app/hook"]);
  assert.deepEqual(outcome.type === "applied" && outcome.changes.map((c) => `${c.ref.name}:${c.action}`), [
    "drifted:configured",
    "new:created",
    "same:unchanged",
    "hook:created",
  ]);
  const all = context(objects.slice(0, 1), cluster, new Map(), { inSync });
  await executeStep(all);
  assert.equal(cluster.log.at(-1), "apply ConfigMap/app/same", "without the option every object is applied");
});

test("RespectIgnoreDifferences=true writes the ignored fields as they are live", async () => {
  const deployment = (replicas: number): KubeObject => ({
    ...obj("Deployment", "web"),
    spec: { replicas, template: { spec: { containers: [{ name: "web", image: "web:2" }] } } },
  });
  const live = { ...deployment(7), metadata: { ...deployment(7).metadata, resourceVersion: "4" } };
  const written: KubeObject[] = [];
  const cluster = fakeCluster({ existing: [live] });
  const applier = {
    ...cluster.applier,
    async apply(o: KubeObject, opts: WriteOptions) {
      written.push(o);
      return await cluster.applier.apply(o, opts);
    },
  };
  const settings = {
    syncPolicy: { syncOptions: ["RespectIgnoreDifferences=true"] },
    ignoreDifferences: [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }],
  };
  type Spec = { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
  const specOf = (o: KubeObject | undefined) => (o?.spec ?? {}) as Spec;
  await executeStep(context([deployment(2)], cluster, new Map(), { applier }, settings));
  assert.equal(specOf(written[0]).replicas, 7, "the live replicas are kept");
  assert.equal(specOf(written[0]).template.spec.containers[0]?.image, "web:2");
  written.length = 0;
  await executeStep(context([deployment(2)], cluster, new Map(), { applier }, { ...settings, syncPolicy: {} }));
  assert.equal(specOf(written[0]).replicas, 2, "without the option Git's value is written");
});

test("a kind the cluster does not serve and no CRD of the sync defines fails the sync before anything is applied", async () => {
  const widget = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name, namespace: "app", annotations },
  });
  const cluster = fakeCluster({ unserved: new Set(["Widget"]) });
  const ctx = context([obj("ConfigMap", "first", { "bosun.dev/sync-wave": "-1" }), widget("w")], cluster, new Map());
  const outcome = await executeStep(ctx);
  assert.equal(outcome.type, "failed");
  assert.match(
    outcome.type === "failed" ? outcome.message : "",
    /^nothing applied: Widget.example.com\/app\/w: the cluster does not serve kind Widget of example.com\/v1 and no CustomResourceDefinition of this Application defines it \(SkipDryRunOnMissingResource=true/,
  );
  assert.deepEqual(cluster.log, [], "nothing applied");

  // SkipDryRunOnMissingResource=true: the sync goes on; the object is applied in its wave, once served.
  const unserved = new Set(["Widget"]);
  const later = fakeCluster({ unserved });
  const skip = context(
    [
      obj("ConfigMap", "first", { "bosun.dev/sync-wave": "-1" }),
      widget("w", { "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" }),
    ],
    later,
    new Map(),
  );
  assert.equal((await executeStep(skip)).type, "applied");
  unserved.clear(); // something installed the CRD while wave -1 ran
  assert.deepEqual(
    (await run(skip)).map((o) => o.type),
    ["advanced", "applied", "advanced", "succeeded"],
  );
  assert.deepEqual(later.log, ["apply ConfigMap/app/first", "apply Widget/app/w"]);
});

test("a custom resource waits for the CRD of the same sync to be served before it is applied", async () => {
  const unserved = new Set(["Widget"]);
  const cluster = fakeCluster({ unserved });
  const crd: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: { group: "example.com", names: { kind: "Widget" }, versions: [{ name: "v1" }] },
  };
  let asked = 0;
  const kinds = {
    async serves(apiVersion: string, kind: string) {
      if (kind === "Widget" && ++asked === 3) unserved.clear(); // Established after a while
      return await cluster.kinds.serves(apiVersion, kind);
    },
  };
  const widget: KubeObject = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "app" },
  };
  const ctx = context([widget, crd], cluster, new Map(), { kinds });
  const outcome = await executeStep(ctx);
  assert.deepEqual(outcome.type === "applied" && outcome.changes.map((c) => `${c.ref.kind}:${c.action}`), [
    "CustomResourceDefinition:created",
    "Widget:created",
  ]);
  assert.equal(asked, 3, "it asked until the kind was served, and no more");
});

test("a hook with only generateName is created (not applied), found again by its labels, never created twice per operation", async () => {
  const cluster = fakeCluster();
  const hook: KubeObject = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      generateName: "migrate-",
      namespace: "app",
      annotations: { "argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/hook-delete-policy": "HookSucceeded" },
    },
  };
  const health = new Map<string, Health>();
  const ctx = context([hook, obj("ConfigMap", "cfg")], cluster, health);
  const applied = await executeStep(ctx);
  assert.deepEqual(applied.type === "applied" && applied.changes.map((c) => [c.ref.name, c.action]), [
    ["migrate-1", "created"],
  ]);
  assert.deepEqual(ctx.op.hooks, { "PreSync/batch/v1/Job/app/migrate-#0": "migrate-1" });
  const created = cluster.objects.get("Job/app/migrate-1");
  const labels = created?.metadata.labels ?? {};
  assert.match(labels["bosun.dev/hook-id"] ?? "", /^[0-9a-f]{20}$/);
  assert.match(labels["bosun.dev/hook-operation"] ?? "", /^[0-9a-f]{20}$/);
  health.set("Job/app/migrate-1", { status: "Progressing", message: "running" });
  const waiting = await executeStep(ctx);
  assert.match(waiting.type === "waiting" ? waiting.message : "", /waiting for Job.batch\/app\/migrate-$/);

  // The agent restarted before it recorded the name: the same operation finds the Job by its labels.
  const resumed = context([hook, obj("ConfigMap", "cfg")], cluster, health);
  resumed.op.stepApplied = false;
  const again = await executeStep(resumed);
  assert.deepEqual(again.type === "applied" && again.changes.map((c) => [c.ref.name, c.action]), [
    ["migrate-1", "unchanged"],
  ]);
  assert.equal([...cluster.objects.keys()].filter((k) => k.startsWith("Job/")).length, 1, "created once");

  // Healthy: HookSucceeded deletes the Job by the name the server gave it.
  health.set("Job/app/migrate-1", healthy);
  assert.deepEqual(await executeStep(resumed), { type: "advanced" });
  assert.ok(cluster.log.includes("delete Job/app/migrate-1"));
  assert.equal(cluster.objects.has("Job/app/migrate-1"), false);
});

test("BeforeHookCreation on a generateName hook deletes the ones earlier operations made, and only those of this hook", async () => {
  const cluster = fakeCluster();
  const hook = (generateName: string): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { generateName, namespace: "app", annotations: { "bosun.dev/hook": "Sync" } },
  });
  const first = context([hook("seed-"), hook("other-")], cluster, new Map());
  await executeStep(first);
  assert.deepEqual([...cluster.objects.keys()].sort(), ["Job/app/other-1", "Job/app/seed-2"]);
  const second = context([hook("seed-"), hook("other-")], cluster, new Map(), { operationId: "uid/2" });
  await executeStep(second);
  assert.deepEqual([...cluster.objects.keys()].sort(), ["Job/app/other-3", "Job/app/seed-4"]);
  const otherApp = context([hook("seed-")], cluster, new Map(), { operationId: "uid2/1", application: "uid2" });
  await executeStep(otherApp);
  assert.ok(cluster.objects.has("Job/app/seed-4"), "another Application's hook of the same shape stays");
});
