import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../api/index.js";
import { BosunMetrics } from "./metrics.js";
import { metricsLogger, reconcileOutcome } from "./metrics-logger.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

const sample = (text: string, line: string) => {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

test("the reconciler's log lines become reconcile outcomes", () => {
  assert.deepEqual(reconcileOutcome({ durationMs: 12 }, "reconciled"), { outcome: "success", durationMs: 12 });
  assert.deepEqual(reconcileOutcome({ reason: "SourceFailed" }, "reconcile failed; the cluster keeps its last state"), {
    outcome: "source_failed",
  });
  assert.equal(reconcileOutcome({}, "bosun agent started"), undefined);
});

test("metricsLogger counts reconciles and passes every line on", async () => {
  const metrics = new BosunMetrics();
  const seen: string[] = [];
  const log = metricsLogger({ ...silent, info: (_o, msg) => void seen.push(msg) }, metrics);
  log.info({ durationMs: 250 }, "reconciled");
  log.info({}, "something else");
  log.warn({ reason: "SourceFailed" }, "reconcile failed; the cluster keeps its last state");
  assert.deepEqual(seen, ["reconciled", "something else"]);
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_reconciles_total{outcome="success"}'), 1);
  assert.equal(sample(text, 'bosun_reconciles_total{outcome="source_failed"}'), 1);
  assert.equal(sample(text, "bosun_git_fetch_errors_total"), 1);
  assert.equal(sample(text, "bosun_reconcile_duration_seconds_count"), 1);
});

const app = (status: Application["status"]): KubeObject =>
  ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "shop", namespace: "bosun" },
    spec: { source: { repoURL: "x" }, destination: {} },
    status,
  }) as unknown as KubeObject;

test("new history entries count as sync results, new corrected drift as corrections", async () => {
  const metrics = new BosunMetrics();
  const h = (id: number, result: "Succeeded" | "Failed") => ({
    id,
    revision: "r",
    deployedAt: "t",
    initiatedBy: "agent",
    result,
  });
  const drift = { resource: "apps/Deployment/shop/web", fields: ["/spec/replicas"], manager: "kubectl", at: "t1" };
  const before = app({ history: [h(1, "Succeeded")], drift: [{ ...drift, corrected: false }] });
  const after = app({
    history: [h(1, "Succeeded"), h(2, "Failed"), h(3, "Succeeded")],
    drift: [
      { ...drift, corrected: true },
      { ...drift, at: "t2", corrected: false },
    ],
  });
  metrics.observeApplication({ type: "MODIFIED", object: after, previous: before });
  metrics.observeApplication({ type: "ADDED", object: after });
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_sync_results_total{outcome="Succeeded"}'), 1);
  assert.equal(sample(text, 'bosun_sync_results_total{outcome="Failed"}'), 1);
  assert.equal(sample(text, "bosun_drift_corrections_total"), 1);
});

test("the Applications gauge counts by sync and health", async () => {
  const metrics = new BosunMetrics();
  const synced = app({ sync: { status: "Synced" }, health: { status: "Healthy", message: "" } });
  metrics.readApplicationsFrom(() => [synced, synced, app(undefined)] as unknown as Application[]);
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_applications{sync="Synced",health="Healthy"}'), 2);
  assert.equal(sample(text, 'bosun_applications{sync="Unknown",health="Unknown"}'), 1);
});
