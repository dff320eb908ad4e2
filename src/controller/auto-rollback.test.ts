import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, ApplicationStatus, HistoryEntry } from "../api/index.js";
import {
  autoRollbackDecision,
  autoRollbackInitiator,
  lifted,
  MAX_QUARANTINED,
  markHealthy,
  quarantine,
  unquarantineRequest,
} from "./auto-rollback.js";

const app = (syncPolicy: Application["spec"]["syncPolicy"], annotations?: Record<string, string>): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "shop", namespace: "bosun", ...(annotations ? { annotations } : {}) },
  spec: { source: { repoURL: "file:///r" }, destination: {}, syncPolicy },
});
const on = app({ automated: {}, autoRollback: true });
const T0 = Date.parse("2026-12-06T12:00:00Z");
const entry = (id: number, revision: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id,
  revision,
  deployedAt: new Date(T0 + id * 60_000).toISOString(),
  initiatedBy: "automated",
  result: "Succeeded",
  ...extra,
});
const good = entry(1, "aaaa1111", { healthy: true });
const bad = entry(2, "bbbb2222");
/** The sync of bbbb2222 succeeded (its last wave is not waited for) and the Application turned Degraded. */
const degraded: ApplicationStatus = {
  history: [good, bad],
  sync: { status: "Synced", revision: "bbbb2222" },
  health: { status: "Degraded", message: "Deployment.apps/shop/web: ProgressDeadlineExceeded" },
  operation: {
    phase: "Succeeded",
    revision: "bbbb2222",
    initiatedBy: "automated",
    step: 1,
    stepApplied: false,
    message: "",
    startedAt: "",
  },
};
const decide = (status: ApplicationStatus, now = T0 + 3 * 60_000, a = on) =>
  autoRollbackDecision({ app: a, status, now, timeoutMs: 5 * 60_000 });

test("a sync whose Application turns Degraded goes back to the last Healthy entry", () => {
  const rollback = decide(degraded);
  assert.equal(rollback?.bad, "bbbb2222");
  assert.equal(rollback?.target.id, 1);
  assert.match(rollback?.reason ?? "", /Degraded after the sync: .*ProgressDeadlineExceeded/);
  assert.equal(
    autoRollbackInitiator(rollback ?? assert.fail()),
    "auto-rollback (bbbb222 failed its health gate; back to history 1)",
  );
});

test("Progressing is a failure only once the sync timeout passed since the sync", () => {
  const progressing = { ...degraded, health: { status: "Progressing" as const, message: "1 of 2 ready" } };
  assert.equal(decide(progressing, T0 + 2 * 60_000 + 299_000), undefined, "within the timeout");
  assert.match(decide(progressing, T0 + 2 * 60_000 + 300_000)?.reason ?? "", /not Healthy 300s after the sync/);
  const healthyOnce = { ...degraded, history: [good, { ...bad, healthy: true }] };
  assert.equal(decide(healthyOnce), undefined, "Degraded later, after it was Healthy: no rollback");
});

test("a failed operation rolls back when its health gate failed, not when a write failed", () => {
  const failedEntry = { ...bad, result: "Failed" as const };
  const op = {
    ...(degraded.operation ?? assert.fail()),
    phase: "Failed" as const,
    message: "timed out after 300s in Sync wave 0",
  };
  const onHealth = { ...degraded, history: [good, failedEntry], operation: { ...op, healthGateFailed: true } };
  assert.equal(decide(onHealth)?.reason, "timed out after 300s in Sync wave 0");
  assert.equal(decide({ ...onHealth, operation: op }), undefined, "a refused write is not a health gate");
});

test("not without autoRollback, automation, or while something else is in charge", () => {
  assert.equal(decide(degraded, undefined, app({ automated: {} })), undefined);
  assert.equal(decide(degraded, undefined, app({ autoRollback: true })), undefined, "not automated");
  assert.equal(decide(degraded, undefined, app({ automated: {}, autoRollback: true, suspend: true })), undefined);
  assert.equal(decide({ ...degraded, rollback: { revision: "aaaa1111", historyId: 1, at: "" } }), undefined);
  const running = { ...degraded, operation: { ...(degraded.operation ?? assert.fail()), phase: "Running" as const } };
  assert.equal(decide(running), undefined);
});

test("never a rollback of a rollback, never twice for one revision, only to a Healthy revision elsewhere", () => {
  const fromRollback = { ...degraded, history: [good, { ...bad, initiatedBy: "auto-rollback (x)" }] };
  assert.equal(decide(fromRollback), undefined);
  const byHand = { ...degraded, history: [good, { ...bad, initiatedBy: "alice (rollback to history 1)" }] };
  assert.equal(decide(byHand), undefined);
  const already = {
    ...degraded,
    quarantined: [{ revision: "bbbb2222", at: "", reason: "", rolledBackTo: "aaaa1111" }],
  };
  assert.equal(decide(already), undefined);
  assert.equal(decide({ ...degraded, history: [{ ...good, healthy: false }, bad] }), undefined, "nowhere to go");
  const older = entry(0, "cccc3333", { healthy: true });
  const skipping = {
    ...degraded,
    history: [older, good, bad],
    quarantined: [{ revision: "aaaa1111", at: "", reason: "", rolledBackTo: "cccc3333" }],
  };
  assert.equal(decide(skipping)?.target.revision, "cccc3333", "a quarantined revision is no target");
  const sameRevision = { ...degraded, history: [entry(1, "bbbb2222", { healthy: true }), bad] };
  assert.equal(decide(sameRevision), undefined, "the failing revision itself is no target");
});

test("quarantine keeps one entry per revision and at most MAX_QUARANTINED", () => {
  const rollback = decide(degraded) ?? assert.fail();
  let list = quarantine(undefined, rollback, "t1");
  assert.deepEqual(list, [{ revision: "bbbb2222", at: "t1", reason: rollback.reason, rolledBackTo: "aaaa1111" }]);
  list = quarantine(list, rollback, "t2");
  assert.deepEqual(
    list.map((q) => q.at),
    ["t2"],
  );
  for (let i = 0; i < MAX_QUARANTINED + 3; i++) list = quarantine(list, { ...rollback, bad: `r${i}` }, `t${i}`);
  assert.equal(list.length, MAX_QUARANTINED);
  assert.equal(list.at(-1)?.revision, `r${MAX_QUARANTINED + 2}`);
});

test("unquarantine lifts the revisions it names (by prefix) that were quarantined before it was asked", () => {
  const list = [
    { revision: "bbbb2222", at: "2026-12-06T12:00:00Z", reason: "", rolledBackTo: "a" },
    { revision: "bbbb9999", at: "2026-12-06T13:00:00Z", reason: "", rolledBackTo: "a" },
    { revision: "dddd4444", at: "2026-12-06T11:00:00Z", reason: "", rolledBackTo: "a" },
  ];
  const request = unquarantineRequest(
    app({}, { "bosun.dev/unquarantine": JSON.stringify({ revision: "bbbb", at: "2026-12-06T12:30:00Z" }) }),
  );
  assert.deepEqual(request, { revision: "bbbb", at: "2026-12-06T12:30:00Z" });
  const out = lifted(list, request ?? assert.fail());
  assert.deepEqual(out.lifted, ["bbbb2222"], "the later quarantine of bbbb9999 stays");
  assert.deepEqual(
    out.kept.map((q) => q.revision),
    ["bbbb9999", "dddd4444"],
  );
  for (const raw of ["not json", JSON.stringify({ revision: "ab", at: "t" }), JSON.stringify({ revision: "abcd" })])
    assert.equal(unquarantineRequest(app({}, { "bosun.dev/unquarantine": raw })), undefined, raw);
});

test("the last sync's entry is marked Healthy once the Application is Healthy at its revision", () => {
  const status: ApplicationStatus = {
    history: [good, { ...bad }],
    sync: { status: "OutOfSync", revision: "bbbb2222" },
    health: { status: "Progressing", message: "" },
  };
  markHealthy(status);
  assert.equal(status.history?.[1]?.healthy, undefined);
  status.health = { status: "Healthy", message: "" };
  markHealthy(status);
  assert.equal(status.history?.[1]?.healthy, true, "OutOfSync with Git (a newer commit), Healthy at what is live");
  const failed: ApplicationStatus = { ...status, history: [{ ...bad, result: "Failed" }] };
  markHealthy(failed);
  assert.equal(failed.history?.[0]?.healthy, undefined, "a failed sync is never a target");
});
