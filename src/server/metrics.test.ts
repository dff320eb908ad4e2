import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../api/index.js";
import { type AgentObserver, guardedObserver } from "../controller/index.js";
import { BosunMetrics } from "./metrics.js";

const sample = (text: string, line: string) => {
  const found = text.split("\n").find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

const shop = { namespace: "bosun", name: "shop" };

test("reconciles count by outcome, with their duration", async () => {
  const metrics = new BosunMetrics();
  const observer: AgentObserver = metrics;
  observer.reconciled({ app: shop, outcome: "success", durationMs: 250 });
  observer.reconciled({ app: shop, outcome: "success", durationMs: 40 });
  observer.reconciled({ app: shop, outcome: "source_failed", durationMs: 3000 });
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_reconciles_total{outcome="success"}'), 2);
  assert.equal(sample(text, 'bosun_reconciles_total{outcome="source_failed"}'), 1);
  assert.equal(sample(text, 'bosun_reconcile_duration_seconds_count{outcome="success"}'), 2);
  assert.equal(sample(text, 'bosun_reconcile_duration_seconds_sum{outcome="success"}'), 0.29);
  assert.equal(sample(text, 'bosun_reconcile_duration_seconds_bucket{le="0.25",outcome="success"}'), 2);
  assert.equal(sample(text, 'bosun_reconcile_duration_seconds_bucket{le="0.1",outcome="success"}'), 1);
});

test("sync results by outcome, and drift corrections", async () => {
  const metrics = new BosunMetrics();
  metrics.synced({ app: shop, result: "Succeeded", revision: "a" });
  metrics.synced({ app: shop, result: "Failed", revision: "b" });
  metrics.synced({ app: shop, result: "Succeeded", revision: "b" });
  metrics.driftCorrected();
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_sync_results_total{outcome="Succeeded"}'), 2);
  assert.equal(sample(text, 'bosun_sync_results_total{outcome="Failed"}'), 1);
  assert.equal(sample(text, "bosun_drift_corrections_total"), 1);
});

test("git fetches: duration per repository, errors by reason; credentials never reach a label", async () => {
  const metrics = new BosunMetrics();
  const withToken = "https://deploy-bot:ghp_Sup3rS3cretT0ken@git.example/org/deploy.git";
  metrics.gitFetched({ app: shop, repo: withToken, durationMs: 1200 });
  metrics.gitFetched({ app: shop, repo: withToken, durationMs: 30_000, error: "unreachable" });
  metrics.gitFetched({ app: shop, repo: "file:///srv/git/shop", durationMs: 5 });
  const text = await metrics.text();
  assert.equal(text.includes("ghp_Sup3rS3cretT0ken"), false, "the token is in the metrics");
  assert.equal(text.includes("deploy-bot"), false, "the user name is in the metrics");
  const repo = "https://git.example/org/deploy.git";
  assert.equal(sample(text, `bosun_git_fetch_duration_seconds_count{repo="${repo}"}`), 2);
  assert.equal(sample(text, `bosun_git_fetch_duration_seconds_sum{repo="${repo}"}`), 31.2);
  assert.equal(sample(text, 'bosun_git_fetch_duration_seconds_count{repo="file:///srv/git/shop"}'), 1);
  assert.equal(sample(text, `bosun_git_fetch_errors_total{repo="${repo}",reason="unreachable"}`), 1);
  assert.equal(
    sample(text, 'bosun_git_fetch_errors_total{repo="file:///srv/git/shop",reason="unreachable"}'),
    undefined,
  );
});

test("renders: duration by tool, cache hits apart", async () => {
  const metrics = new BosunMetrics();
  metrics.rendered({ app: shop, tool: "helm", durationMs: 800, fromCache: false });
  metrics.rendered({ app: shop, tool: "helm", durationMs: 2, fromCache: true });
  metrics.rendered({ app: shop, tool: "kustomize", durationMs: -1, fromCache: false });
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_render_duration_seconds_count{tool="helm",cache="miss"}'), 1);
  assert.equal(sample(text, 'bosun_render_duration_seconds_count{tool="helm",cache="hit"}'), 1);
  assert.equal(sample(text, 'bosun_render_duration_seconds_sum{tool="helm",cache="miss"}'), 0.8);
  assert.equal(sample(text, 'bosun_render_duration_seconds_sum{tool="kustomize",cache="miss"}'), 0, "a clock step");
});

test("an observer that throws is logged, and the agent goes on", () => {
  const warnings: string[] = [];
  const failing: AgentObserver = {
    reconciled: () => {
      throw new Error("observer broke");
    },
    synced: () => undefined,
    driftCorrected: () => undefined,
    gitFetched: () => undefined,
    rendered: () => undefined,
  };
  const guarded = guardedObserver(failing, { warn: (obj) => void warnings.push(String(obj.error)) });
  assert.doesNotThrow(() => guarded.reconciled({ app: shop, outcome: "success", durationMs: 1 }));
  assert.deepEqual(warnings, ["observer broke"]);
});

const app = (status: Application["status"]): KubeObject =>
  ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "shop", namespace: "bosun" },
    spec: { source: { repoURL: "x" }, destination: {} },
    status,
  }) as unknown as KubeObject;

test("the Applications gauge counts by sync and health", async () => {
  const metrics = new BosunMetrics();
  const synced = app({ sync: { status: "Synced" }, health: { status: "Healthy", message: "" } });
  metrics.readApplicationsFrom(() => [synced, synced, app(undefined)] as unknown as Application[]);
  const text = await metrics.text();
  assert.equal(sample(text, 'bosun_applications{sync="Synced",health="Healthy"}'), 2);
  assert.equal(sample(text, 'bosun_applications{sync="Unknown",health="Unknown"}'), 1);
});
