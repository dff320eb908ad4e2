import assert from "node:assert/strict";
import { test } from "node:test";
import type { NotifierSpec } from "../../api/index.js";
import { notifierWants } from "./match.js";
import type { Notification } from "./notification.js";

const n = (over: Partial<Notification> = {}): Notification => ({
  id: "abc",
  event: "SyncSucceeded",
  severity: "Normal",
  application: { namespace: "team", name: "shop-web", project: "default", uid: "u" },
  revision: "a".repeat(40),
  message: "synced",
  time: "2025-01-01T00:00:00Z",
  source: { repoURL: "https://github.com/org/deploy.git" },
  ...over,
});

const webhook = (over: Partial<NotifierSpec> = {}): NotifierSpec => ({
  type: "webhook",
  address: "https://hooks.example/bosun",
  ...over,
});

test("no events and no applications listed: every notification", () => {
  assert.equal(notifierWants(webhook(), n()), true);
  assert.equal(notifierWants(webhook({ events: [], applications: [] }), n({ event: "DriftDetected" })), true);
});

test("events: only those listed", () => {
  const spec = webhook({ events: ["SyncFailed", "HealthDegraded"] });
  assert.equal(notifierWants(spec, n()), false);
  assert.equal(notifierWants(spec, n({ event: "SyncFailed" })), true);
  assert.equal(notifierWants(spec, n({ event: "HealthDegraded" })), true);
});

test("applications: globs over NAMESPACE/NAME, or NAME for a glob without a slash", () => {
  assert.equal(notifierWants(webhook({ applications: ["shop-*"] }), n()), true);
  assert.equal(notifierWants(webhook({ applications: ["team/shop-web"] }), n()), true);
  assert.equal(notifierWants(webhook({ applications: ["team/*"] }), n()), true);
  assert.equal(notifierWants(webhook({ applications: ["other/*"] }), n()), false);
  assert.equal(notifierWants(webhook({ applications: ["shop"] }), n()), false);
  assert.equal(notifierWants(webhook({ applications: ["billing", "*/shop-w?b"] }), n()), true);
});

test("a suspended Notifier hears nothing", () => {
  assert.equal(notifierWants(webhook({ suspend: true }), n()), false);
});

test("commit-status providers hear only events that set a status, on a full commit SHA", () => {
  const github: NotifierSpec = { type: "github", secretRef: { name: "gh" } };
  assert.equal(notifierWants(github, n()), true);
  assert.equal(notifierWants(github, n({ event: "SyncStarted" })), true);
  assert.equal(notifierWants(github, n({ event: "RolledBack" })), true);
  assert.equal(notifierWants(github, n({ event: "DriftDetected" })), false);
  assert.equal(notifierWants(github, n({ event: "ClusterUnreachable" })), false);
  const { revision: _r, ...noRevision } = n();
  assert.equal(notifierWants(github, noRevision), false, "events without a revision are skipped");
  assert.equal(notifierWants(github, n({ revision: "1.2.3" })), false, "a chart version is no commit");
  assert.equal(notifierWants(webhook(), noRevision), true, "a webhook hears them all");
});
