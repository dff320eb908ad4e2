import assert from "node:assert/strict";
import { test } from "node:test";
import type { Health, KubeObject } from "../api/index.js";
import { healthOrMissing } from "../health/index.js";
import { planSync } from "./plan.js";
import { decideSyncStep, type SyncProgress } from "./step.js";

const plan = planSync([
  {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "seed", namespace: "a", annotations: { "bosun.dev/sync-wave": "-1" } },
  },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "a", annotations: { "bosun.dev/sync-wave": "1" } },
  },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "a", annotations: { "bosun.dev/sync-wave": "1" } },
  },
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "last", namespace: "a", annotations: { "bosun.dev/sync-wave": "2" } },
  },
] satisfies KubeObject[]);

const healthy: Health = { status: "Healthy", message: "" };
const decide = (progress: SyncProgress, health: Record<string, Health>, now = 1000, timeoutMs = 60_000) =>
  decideSyncStep({
    plan,
    progress,
    healthOf: (t) => health[`${t.ref.kind}/${t.ref.name}`] ?? { status: "Missing", message: "" },
    now,
    timeoutMs,
  });

test("a step is applied, waited on until every object is healthy, then the sync advances", () => {
  assert.equal(decide({ step: 0, applied: false }, {}).type, "apply");
  const waiting = decide(
    { step: 0, applied: true, appliedAt: 0 },
    { "Job/seed": { status: "Progressing", message: "running" } },
  );
  assert.equal(waiting.type, "wait");
  assert.equal(
    waiting.type === "wait" && waiting.message,
    "Sync wave -1: 0 of 1 healthy; waiting for Job.batch/a/seed",
  );
  assert.equal(decide({ step: 0, applied: true, appliedAt: 0 }, { "Job/seed": healthy }).type, "advance");
  const second = decide(
    { step: 1, applied: true, appliedAt: 0 },
    { "Deployment/web": { status: "Progressing", message: "" }, "Service/web": healthy },
  );
  assert.equal(
    second.type === "wait" && second.message,
    "Sync wave 1: 1 of 2 healthy; waiting for Deployment.apps/a/web",
  );
  assert.deepEqual(decide({ step: 3, applied: false }, {}), { type: "complete" });
});

test("a Degraded object fails the step at once, naming it and why", () => {
  const d = decide(
    { step: 1, applied: true, appliedAt: 900 },
    {
      "Deployment/web": { status: "Degraded", message: 'ReplicaSet "web-1" has timed out progressing.' },
      "Service/web": healthy,
    },
  );
  assert.equal(d.type, "fail");
  assert.equal(
    d.type === "fail" && d.message,
    'Deployment.apps/a/web is Degraded: ReplicaSet "web-1" has timed out progressing.',
  );
});

test("a step that is not healthy within the timeout fails; Suspended counts as done", () => {
  const progressing = {
    "Deployment/web": { status: "Progressing", message: "1 of 2 updated replicas are available" } as Health,
    "Service/web": healthy,
  };
  assert.equal(decide({ step: 1, applied: true, appliedAt: 0 }, progressing, 59_999).type, "wait");
  const timedOut = decide({ step: 1, applied: true, appliedAt: 0 }, progressing, 60_000);
  assert.equal(
    timedOut.type === "fail" && timedOut.message,
    "timed out after 60s in Sync wave 1 waiting for Deployment.apps/a/web (Progressing: 1 of 2 updated replicas are available)",
  );
  assert.equal(
    decide(
      { step: 1, applied: true, appliedAt: 0 },
      { "Deployment/web": { status: "Suspended", message: "paused" }, "Service/web": healthy },
    ).type,
    "advance",
  );
});

test("an object the cache has not seen yet is waited for, not failed", () => {
  assert.equal(decide({ step: 0, applied: true, appliedAt: 0 }, {}).type, "wait");
});

test("a custom resource whose status describes an older generation holds its wave; once caught up, the sync advances", () => {
  const crPlan = planSync([
    {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w", namespace: "a", annotations: { "bosun.dev/sync-wave": "0" } },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after", namespace: "a", annotations: { "bosun.dev/sync-wave": "1" } },
    },
  ] satisfies KubeObject[]);
  const live = (observedGeneration: number): KubeObject => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "a", generation: 2 },
    status: { observedGeneration },
  });
  // The health the controller's gate reads: the health module's verdict on the live object.
  const gate = (observedGeneration: number) =>
    decideSyncStep({
      plan: crPlan,
      progress: { step: 0, applied: true, appliedAt: 0 },
      healthOf: () => healthOrMissing(live(observedGeneration)),
      now: 1000,
      timeoutMs: 60_000,
    });
  const waiting = gate(1);
  assert.equal(waiting.type, "wait");
  assert.match(waiting.type === "wait" ? waiting.message : "", /waiting for Widget\.example\.com\/a\/w$/);
  assert.equal(gate(2).type, "advance");
});

test("after the last step only its hooks are waited for: its objects' health is the Application's, not the sync's", () => {
  const degraded: Health = { status: "Degraded", message: "no ingress controller" };
  assert.equal(decide({ step: 2, applied: true, appliedAt: 0 }, { "ConfigMap/last": degraded }).type, "advance");
  assert.equal(decide({ step: 2, applied: true, appliedAt: 0 }, {}, 120_000).type, "advance", "no timeout either");
  const beforePrune = decideSyncStep({
    plan,
    progress: { step: 2, applied: true, appliedAt: 0 },
    healthOf: () => ({ status: "Progressing", message: "" }),
    now: 1000,
    timeoutMs: 60_000,
    pruneAfter: true,
  });
  assert.equal(beforePrune.type, "wait", "a prune after the sync is the last wave: the one before it is waited on");
  const withHook = planSync([
    { apiVersion: "v1", kind: "Service", metadata: { name: "lb", namespace: "a" } },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "smoke", namespace: "a", annotations: { "bosun.dev/hook": "Sync" } },
    },
  ] satisfies KubeObject[]);
  const last = (health: Record<string, Health>, now = 1000) =>
    decideSyncStep({
      plan: withHook,
      progress: { step: 0, applied: true, appliedAt: 0 },
      healthOf: (t) => health[`${t.ref.kind}/${t.ref.name}`] ?? { status: "Missing", message: "" },
      now,
      timeoutMs: 60_000,
    });
  const running = last({ "Service/lb": { status: "Progressing", message: "no address" } });
  assert.equal(
    running.type === "wait" && running.message,
    "Sync wave 0: 0 of 1 healthy; waiting for Job.batch/a/smoke",
  );
  assert.equal(last({ "Job/smoke": { status: "Degraded", message: "BackoffLimitExceeded" } }).type, "fail");
  assert.equal(last({ "Job/smoke": healthy }).type, "advance");
});
