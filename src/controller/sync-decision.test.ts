import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, ApplicationStatus } from "../api/index.js";
import { decideSyncStart, retryAt, retryDelayMs } from "./sync-decision.js";

const app = (syncPolicy: Application["spec"]["syncPolicy"] = {}): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "a", namespace: "bosun" },
  spec: { source: { repoURL: "file:///r" }, destination: {}, syncPolicy },
});
const synced: ApplicationStatus = { sync: { status: "Synced", revision: "old" } };
const base = { status: synced, revision: "old", outOfSync: true, manualRequest: false, retryDue: false, now: "t" };
const auto = { automated: {} };
const heal = { automated: { selfHeal: true } };

test("automated Applications sync when Git moved; drift alone needs self-heal", () => {
  assert.equal(decideSyncStart({ ...base, app: app(auto), revision: "new" })?.initiatedBy, "automated");
  assert.equal(decideSyncStart({ ...base, app: app(auto) }), undefined, "drift without self-heal waits");
  assert.ok(decideSyncStart({ ...base, app: app(heal) }), "drift with self-heal syncs");
  assert.equal(decideSyncStart({ ...base, app: app(heal), outOfSync: false }), undefined, "nothing to do");
});

test("the drift policy decides what heals: a revert rule without self-heal syncs, detect-only drift does not", () => {
  assert.ok(decideSyncStart({ ...base, app: app(auto), heal: true }), "a revert rule heals without self-heal");
  assert.equal(decideSyncStart({ ...base, app: app(heal), heal: false }), undefined, "only detected: no sync");
  assert.ok(
    decideSyncStart({ ...base, app: app(heal), heal: false, revision: "new" }),
    "Git moving syncs whatever the drift policy says",
  );
  assert.equal(decideSyncStart({ ...base, app: app({}), heal: true }), undefined, "a manual Application never heals");
});

test("manual Applications sync only when asked; suspended and rolled-back ones do not auto-sync", () => {
  assert.equal(decideSyncStart({ ...base, app: app({}), revision: "new" }), undefined);
  assert.equal(
    decideSyncStart({ ...base, app: app({}), manualRequest: true, outOfSync: false })?.initiatedBy,
    "user (bosun app sync)",
  );
  assert.equal(decideSyncStart({ ...base, app: app({ ...heal, suspend: true }), revision: "new" }), undefined);
  const rollback = { revision: "older", historyId: 3 };
  const rolled = { ...synced, rollback: { ...rollback, at: "t0" } };
  assert.equal(
    decideSyncStart({ ...base, app: app(heal), status: rolled, rollback, revision: "older" }),
    undefined,
    "a rollback in force freezes automation",
  );
  assert.equal(
    decideSyncStart({ ...base, app: app(heal), rollback, revision: "older" })?.initiatedBy,
    "user (rollback to history 3)",
    "a new rollback syncs once",
  );
});

test("a failed sync of the same revision is retried only when the retry is due (or self-heal)", () => {
  const failed: ApplicationStatus = {
    ...synced,
    operation: {
      phase: "Failed",
      revision: "new",
      initiatedBy: "automated",
      step: 1,
      stepApplied: true,
      message: "x",
      startedAt: "t",
      retries: 1,
    },
  };
  assert.equal(decideSyncStart({ ...base, app: app(auto), status: failed, revision: "new" }), undefined);
  const retry = decideSyncStart({ ...base, app: app(auto), status: failed, revision: "new", retryDue: true });
  assert.equal(retry?.retries, 2);
  const inSync = decideSyncStart({
    ...base,
    app: app(auto),
    status: failed,
    revision: "new",
    retryDue: true,
    outOfSync: false,
  });
  assert.equal(inSync?.retries, 2, "a sync that failed on health is retried though everything is applied");
  assert.equal(
    decideSyncStart({ ...base, app: app(auto), status: failed, revision: "newer" })?.retries,
    0,
    "a new revision starts afresh",
  );
});

test("retry delays follow the policy and stop at the limit", () => {
  const policy = app({ retry: { limit: 3, backoff: { duration: "5s", factor: 2, maxDuration: "12s" } } });
  const parse = (d: string | undefined, fallback: number) => (d ? Number(d.replace("s", "")) * 1000 : fallback);
  const op = (retries: number) => ({
    phase: "Failed" as const,
    revision: "r",
    initiatedBy: "a",
    step: 0,
    stepApplied: false,
    message: "",
    startedAt: "t",
    retries,
  });
  assert.deepEqual(
    [0, 1, 2, 3].map((n) => retryDelayMs(policy, op(n), parse)),
    [5000, 10_000, 12_000, undefined],
  );
  assert.equal(retryDelayMs(app({}), op(0), parse), undefined, "no policy, no retry");
});

test("a manual request's options go on the operation; automated syncs and rollbacks take none", () => {
  const options = {
    prune: true,
    dryRun: true,
    resources: ["apps_Deployment_ns_web", "_ConfigMap_ns_a", "_ConfigMap_ns_a"],
  };
  const op = decideSyncStart({ ...base, app: app({}), manualRequest: true, requestOptions: options });
  assert.equal(op?.prune, true);
  assert.equal(op?.dryRun, true);
  assert.deepEqual(op?.resources, ["_ConfigMap_ns_a", "apps_Deployment_ns_web"], "sorted, once each");
  const automated = decideSyncStart({ ...base, app: app(auto), revision: "new", requestOptions: options });
  assert.equal(automated?.initiatedBy, "automated");
  assert.equal(automated?.dryRun, undefined, "options belong to a request by hand");
  assert.equal(automated?.resources, undefined);
  const plain = decideSyncStart({ ...base, app: app({}), manualRequest: true, requestOptions: {} });
  assert.deepEqual(
    Object.keys(plain ?? {}).filter((k) => ["prune", "dryRun", "resources"].includes(k)),
    [],
  );
});

test("a dry run that found a refusal is not a failed sync: no retry, no restart by drift", () => {
  const dryRunFailed: ApplicationStatus = {
    ...synced,
    operation: {
      phase: "Failed",
      dryRun: true,
      revision: "old",
      initiatedBy: "u",
      step: 0,
      stepApplied: false,
      message: "dry run",
      startedAt: "t0",
    },
  };
  const retry = { limit: 3, backoff: { duration: "1s" } };
  const healing = app({ ...heal, retry });
  assert.ok(decideSyncStart({ ...base, app: healing, status: dryRunFailed }), "self-heal syncs the drift as usual");
  assert.equal(
    decideSyncStart({ ...base, app: app({ ...auto, retry }), status: dryRunFailed, outOfSync: false, retryDue: true }),
    undefined,
    "nothing to retry",
  );
  assert.equal(
    retryAt(app({ ...auto, retry }), dryRunFailed.operation, "old", () => 1000),
    undefined,
  );
});
