import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, ApplicationStatus, Health, KubeObject } from "../api/index.js";
import { planSync } from "../sync/index.js";
import type { ResourceComparison } from "./compare.js";
import type { Analysis } from "./pass.js";
import { errorStatus, failureStatus, reconciledStatus, recordSyncSucceeded } from "./status-builders.js";

const cm = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "ns" },
  data: {},
});

function app(syncPolicy: Application["spec"]["syncPolicy"] = {}): Application {
  return {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "a", namespace: "bosun", generation: 3 },
    spec: { source: { repoURL: "file:///r", path: "." }, destination: { namespace: "ns" }, syncPolicy },
  } as Application;
}

function analysis(statuses: Array<ResourceComparison["status"]>, extra: Partial<Analysis> = {}): Analysis {
  const plan = planSync(statuses.map((_, i) => cm(`c${i}`)));
  return {
    desired: {
      revision: { sha: "a".repeat(40), message: "m", author: { name: "n", email: "e" }, committedAt: "t" },
      objects: plan.resources.map((t) => t.object),
      fromCache: false,
    } as unknown as Analysis["desired"],
    fingerprint: "",
    plan,
    comparisons: plan.resources.map((task, i) => ({
      task,
      status: statuses[i] ?? "Synced",
      diff: "",
      changedPaths: [],
      changes: [],
      drift: [],
    })),
    extraneous: [],
    managedIds: [],
    emptyRender: false,
    ...extra,
  };
}

const healthy: Health = { status: "Healthy", message: "" };
const ready = (s: ApplicationStatus) => s.conditions?.find((c) => c.type === "Ready");
const stalled = (s: ApplicationStatus) => s.conditions?.find((c) => c.type === "Stalled");

test("a render failure is Ready=False and not Stalled (a retry may heal it); an invalid manifest stalls", () => {
  const render = failureStatus({}, { type: "failure", reason: "RenderFailed", message: "bad chart" }, 3, "t1");
  assert.equal(ready(render.status)?.reason, "RenderFailed");
  assert.equal(stalled(render.status)?.status, "False");
  assert.equal(render.newStall, false);
  assert.equal(render.status.observedGeneration, 3);

  const invalid = failureStatus({}, { type: "failure", reason: "InvalidManifests", message: "x.yaml: bad" }, 3, "t1");
  assert.equal(stalled(invalid.status)?.status, "True");
  assert.equal(invalid.newStall, true);
  const again = failureStatus(
    invalid.status,
    { type: "failure", reason: "InvalidManifests", message: "x.yaml: bad" },
    3,
    "t2",
  );
  assert.equal(again.newStall, false, "the same stall twice is not news");
});

test("a denial that stalls fails the running operation and lists what was denied", () => {
  const previous: ApplicationStatus = {
    operation: {
      phase: "Running",
      revision: "r",
      initiatedBy: "automated",
      step: 1,
      stepApplied: true,
      message: "",
      startedAt: "t0",
    },
  };
  const built = failureStatus(
    previous,
    {
      type: "failure",
      reason: "NotPermitted",
      message: "denied",
      denials: [{ ref: { group: "", kind: "Namespace", namespace: "", name: "kube-system" }, rule: "not allowed" }],
    },
    1,
    "t1",
  );
  assert.equal(built.status.operation?.phase, "Failed");
  assert.equal(built.status.operation?.finishedAt, "t1");
  assert.equal(built.status.denied?.length, 1);
  assert.equal(previous.operation?.phase, "Running", "the input is not changed");
});

test("an error keeps the last status and says why in Ready, retrying", () => {
  const previous: ApplicationStatus = { sync: { status: "Synced", revision: "r" } };
  const status = errorStatus(previous, "connection refused", "t1");
  assert.equal(ready(status)?.reason, "ReconcileError");
  assert.equal(status.conditions?.find((c) => c.type === "Reconciling")?.reason, "RetryingAfterError");
  assert.deepEqual(status.sync, previous.sync);
});

test("a reconciled status is Synced only when every resource is, and Ready only when healthy too", () => {
  const inSync = reconciledStatus(
    {},
    {
      app: app(),
      analysis: analysis(["Synced", "Synced"]),
      completedSync: false,
      liveOf: () => undefined,
      healthOf: () => healthy,
      now: "t",
    },
  );
  assert.equal(inSync.sync?.status, "Synced");
  assert.equal(ready(inSync)?.status, "True");
  assert.equal(inSync.resources?.length, 2);
  assert.equal(inSync.observedGeneration, 3);

  const drifted = reconciledStatus(
    {},
    {
      app: app(),
      analysis: analysis(["Synced", "OutOfSync"]),
      completedSync: false,
      liveOf: () => undefined,
      healthOf: () => healthy,
      now: "t",
    },
  );
  assert.equal(drifted.sync?.status, "OutOfSync");
  assert.equal(ready(drifted)?.reason, "OutOfSync");

  const progressing = reconciledStatus(
    {},
    {
      app: app(),
      analysis: analysis(["Synced"]),
      completedSync: false,
      liveOf: () => undefined,
      healthOf: () => ({ status: "Progressing", message: "rolling out" }),
      now: "t",
    },
  );
  assert.equal(progressing.health?.status, "Progressing");
  assert.equal(ready(progressing)?.reason, "Progressing");
});

test("an extraneous object makes an Application with prune OutOfSync, and is listed either way", () => {
  const extraneous = [{ group: "", kind: "ConfigMap", namespace: "ns", name: "old" }];
  const withPrune = reconciledStatus(
    {},
    {
      app: app({ automated: { prune: true } }),
      analysis: analysis(["Synced"], { extraneous }),
      completedSync: false,
      liveOf: () => undefined,
      healthOf: () => healthy,
      now: "t",
    },
  );
  assert.equal(withPrune.sync?.status, "OutOfSync");
  assert.ok(withPrune.resources?.some((r) => r.status === "Extraneous" && r.name === "old"));
  const withoutPrune = reconciledStatus(
    {},
    {
      app: app({ automated: {} }),
      analysis: analysis(["Synced"], { extraneous }),
      completedSync: false,
      liveOf: () => undefined,
      healthOf: () => healthy,
      now: "t",
    },
  );
  assert.equal(withoutPrune.sync?.status, "Synced");
});

test("a failed sync with a retry scheduled is Reconciling, not Stalled; without one it is Stalled", () => {
  const failed: ApplicationStatus = {
    operation: {
      phase: "Failed",
      revision: "a".repeat(40),
      initiatedBy: "automated",
      step: 0,
      stepApplied: true,
      message: "Job failed",
      startedAt: "t0",
      finishedAt: "t1",
    },
  };
  const inputs = {
    app: app(),
    analysis: analysis(["Synced"]),
    completedSync: false,
    liveOf: () => undefined,
    healthOf: () => healthy,
    now: "t",
  };
  const retrying = reconciledStatus(failed, { ...inputs, retryAt: "2026-01-01T00:00:00Z" });
  assert.equal(stalled(retrying)?.status, "False");
  assert.equal(retrying.conditions?.find((c) => c.type === "Reconciling")?.reason, "RetryScheduled");
  const givenUp = reconciledStatus(failed, inputs);
  assert.equal(stalled(givenUp)?.status, "True");
  assert.equal(ready(givenUp)?.reason, "SyncFailed");
});

test("a finished sync records inventory, history and the operation's end", () => {
  const status: ApplicationStatus = {};
  const op = {
    phase: "Running" as const,
    revision: "b".repeat(40),
    initiatedBy: "automated",
    step: 2,
    stepApplied: false,
    message: "",
    startedAt: "t0",
  };
  recordSyncSucceeded(status, op, { synced: 4, pruned: 1, inventory: ["x"] }, "t1");
  assert.equal(status.operation?.phase, "Succeeded");
  assert.equal(status.operation?.message, "synced 4 resources, pruned 1");
  assert.deepEqual(status.inventory, ["x"]);
  assert.equal(status.history?.at(-1)?.result, "Succeeded");
  assert.deepEqual(status.sync, { status: "Synced", revision: op.revision });
});
