// executeStep with fake ports: a cluster in a Map, health from a table the test sets.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Health, KubeObject, ObjectRef, OperationState } from "../api/index.js";
import { type ExecuteContext, executeStep, type StepOutcome } from "./execute.js";
import { planSync } from "./plan.js";
import type { ObjectAddress } from "./ports.js";

const key = (r: { kind: string; namespace?: string; name: string }) => `${r.kind}/${r.namespace ?? ""}/${r.name}`;

/** A cluster of plain objects: applies (failing on request), gets, deletes; what happened, in order. */
function fakeCluster(options: { fail?: Record<string, string>; existing?: KubeObject[] } = {}) {
  const objects = new Map<string, KubeObject>();
  for (const o of options.existing ?? [])
    objects.set(key({ ...o.metadata, kind: o.kind, name: o.metadata.name ?? "" }), o);
  const log: string[] = [];
  let rv = 0;
  return {
    objects,
    log,
    applier: {
      async apply(obj: KubeObject) {
        const k = key({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? "" });
        log.push(`apply ${k}`);
        const refusal = options.fail?.[k];
        if (refusal) throw new Error(`${k}: ${refusal}`);
        const created = !objects.has(k);
        const object = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } };
        objects.set(k, object);
        return { object, created };
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
): ExecuteContext {
  let now = Date.parse("2026-01-01T00:00:00Z");
  return {
    plan: planSync(objects),
    op: newOp(),
    operationId: "uid/1",
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
  const degraded = context(
    [obj("Deployment", "web")],
    fakeCluster(),
    new Map([["Deployment/app/web", { status: "Degraded", message: "crash" } as Health]]),
  );
  await executeStep(degraded);
  const failed = await executeStep(degraded);
  assert.equal(failed.type === "failed" && failed.message, "Deployment.apps/app/web is Degraded: crash");

  const slow = context(
    [obj("Deployment", "web")],
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
    async apply(obj: KubeObject) {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      order.push(obj.kind);
      inFlight--;
      return await cluster.applier.apply(obj);
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

const crd = (): KubeObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: { group: "example.com", names: { kind: "Widget", plural: "widgets" }, scope: "Namespaced" },
});
const widget = (): KubeObject => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name: "w", namespace: "app" },
});

test("a custom resource waits for its CRD of the same step to be Established, then is applied", async () => {
  const cluster = fakeCluster();
  let gets = 0;
  const reader = {
    get: async (addr: ObjectAddress) => {
      const live = cluster.objects.get(key(addr));
      if (!live || addr.kind !== "CustomResourceDefinition") return live;
      gets++;
      // Established on the third look, as the API server takes a moment to serve the new kind.
      return gets < 3 ? live : { ...live, status: { conditions: [{ type: "Established", status: "True" }] } };
    },
  };
  const ctx = context([widget(), crd()], cluster, new Map(), { reader, sleep: async () => undefined });
  const first = await executeStep(ctx);
  assert.equal(first.type, "applied");
  assert.deepEqual(cluster.log, ["apply CustomResourceDefinition//widgets.example.com", "apply Widget/app/w"]);
  assert.equal(gets, 3, "polled until Established");
});

test("a custom resource whose CRD never becomes Established fails the step, naming both", async () => {
  const cluster = fakeCluster();
  const ctx = context([widget(), crd()], cluster, new Map(), { sleep: async () => undefined });
  const outcome = await executeStep(ctx);
  assert.equal(outcome.type, "failed");
  assert.match(
    outcome.type === "failed" ? outcome.message : "",
    /Widget\.example\.com\/app\/w: its CustomResourceDefinition widgets\.example\.com was not Established/,
  );
  assert.deepEqual(cluster.log, ["apply CustomResourceDefinition//widgets.example.com"], "the Widget was not sent");
});
