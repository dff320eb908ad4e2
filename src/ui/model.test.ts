import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DecodeError,
  decodeClusters,
  decodeDetail,
  decodeDriftRecord,
  decodeItems,
  decodeSummary,
  decodeWhoAmI,
} from "./model.js";

// The detail as GET /api/applications/:ns/:name answers (src/server/app-view.ts).
const detail = {
  namespace: "bosun",
  name: "shop",
  sync: "Synced",
  health: "Progressing",
  revision: "a".repeat(40),
  revisionMessage: "deploy web",
  lastSync: { at: "2024-03-01T12:00:00Z", result: "Succeeded", revision: "a".repeat(40), initiatedBy: "admin" },
  operation: { phase: "Running", syncPhase: "Sync", wave: 1, message: "waiting for Deployment/web" },
  suspended: false,
  source: { repoURL: "file:///repo", path: "app", revision: "main" },
  destination: { namespace: "shop" },
  syncPolicy: { automated: { prune: true, selfHeal: false }, interval: "1m" },
  conditions: [{ type: "Ready", status: "False", reason: "Progressing", message: "m", lastTransitionTime: "t" }],
  waves: [
    {
      wave: 1,
      resources: [
        { group: "apps", version: "v1", kind: "Deployment", namespace: "shop", name: "web", status: "Synced", wave: 1 },
      ],
    },
  ],
};

test("a detail answer reads into what the page shows", () => {
  const app = decodeDetail(detail);
  assert.equal(app.operation?.wave, 1);
  assert.deepEqual(app.policy, { automated: true, prune: true, selfHeal: false, interval: "1m" });
  assert.equal(app.destinationNamespace, "shop");
  assert.equal(app.waves[0]?.resources[0]?.kind, "Deployment");
  assert.equal(app.waves[0]?.resources[0]?.health, undefined);
  assert.equal(app.lastSync?.initiatedBy, "admin");
});

test("a large Application's summary says how many resources the waves leave out", () => {
  assert.equal(decodeDetail(detail).notListed, undefined);
  const large = decodeDetail({
    ...detail,
    summary: { total: 5000, shown: 500, omittedSynced: true, sync: { Synced: 5000 }, health: { Healthy: 5000 } },
  });
  assert.deepEqual(large.notListed, { count: 4500, allSyncedAndHealthy: true });
  const all = decodeDetail({ ...detail, summary: { total: 1, shown: 1, omittedSynced: true, sync: {}, health: {} } });
  assert.equal(all.notListed, undefined, "nothing left out, nothing said");
});

test("the project, what it refused, and an object's error read into the page", () => {
  const app = decodeDetail({
    ...detail,
    project: "team-a",
    denied: [
      { resource: "ConfigMap/kube-system/x", rule: "namespace kube-system is not a destination of project team-a" },
    ],
    waves: [
      {
        wave: 0,
        resources: [
          { kind: "Secret", namespace: "shop", name: "creds", status: "Missing", wave: 0, message: "forbidden" },
        ],
      },
    ],
  });
  assert.equal(app.project, "team-a");
  assert.deepEqual(app.denied, [
    { resource: "ConfigMap/kube-system/x", rule: "namespace kube-system is not a destination of project team-a" },
  ]);
  assert.equal(app.waves[0]?.resources[0]?.message, "forbidden");
  assert.deepEqual(decodeDetail(detail).denied, [], "an older server sends none");
  assert.equal(decodeDetail(detail).project, "default");
});

test("a manual Application has no automation; absent optional parts stay absent", () => {
  const app = decodeDetail({ ...detail, syncPolicy: undefined, operation: undefined, lastSync: undefined });
  assert.deepEqual(app.policy, { automated: false, prune: false, selfHeal: false });
  assert.equal(app.operation, undefined);
  assert.equal(app.lastSync, undefined);
});

test("answers of the wrong shape are refused, naming the field", () => {
  assert.throws(
    () => decodeSummary({ ...detail, sync: 3 }),
    (e: unknown) => e instanceof DecodeError && /sync/.test(e.message),
  );
  assert.throws(() => decodeItems({ items: "x" }, decodeSummary), DecodeError);
  assert.throws(() => decodeItems([], decodeSummary), DecodeError);
  assert.throws(() => decodeWhoAmI({ name: "x", role: "root" }), /role/);
  assert.throws(
    () => decodeDriftRecord({ resource: "r", fields: [1], manager: "kubectl", at: "t", corrected: true }, "drift[0]"),
    /drift\[0\]\.fields\[0\]/,
  );
});

test("drift records keep fields, manager and whether self-heal corrected them", () => {
  const d = decodeDriftRecord(
    { resource: "Deployment.apps/shop/web", fields: ["/spec/replicas"], manager: "kubectl", at: "t", corrected: false },
    "drift",
  );
  assert.deepEqual(d, {
    resource: "Deployment.apps/shop/web",
    fields: ["/spec/replicas"],
    changes: [],
    manager: "kubectl",
    operation: undefined,
    at: "t",
    corrected: false,
    action: undefined,
    rule: undefined,
  });
  const allowed = decodeDriftRecord({ ...d, action: "allow", rule: 1 }, "drift");
  assert.deepEqual([allowed.action, allowed.rule], ["allow", 1], "what the drift policy did, and its rule");
});

test("drift records carry each field's old and new value; a side the field is missing on stays absent", () => {
  const d = decodeDriftRecord(
    {
      resource: "Deployment.apps/shop/web",
      fields: ["/spec/replicas", "/spec/paused"],
      changes: [
        { path: "/spec/replicas", from: "1", to: "3" },
        { path: "/spec/paused", to: "true" },
      ],
      manager: "kubectl",
      at: "t",
      corrected: true,
    },
    "drift",
  );
  assert.deepEqual(d.changes, [
    { path: "/spec/replicas", from: "1", to: "3" },
    { path: "/spec/paused", from: undefined, to: "true" },
  ]);
  assert.throws(
    () => decodeDriftRecord({ resource: "r", fields: [], changes: [{ from: "1" }], manager: "m", at: "t" }, "drift"),
    /drift\.changes\[0\]\.path/,
  );
});

test("a summary names its cluster; one from an older server deploys to in-cluster", () => {
  assert.equal(decodeSummary({ ...detail, cluster: "prod" }).cluster, "prod");
  assert.equal(decodeSummary(detail).cluster, "in-cluster");
  assert.equal(decodeSummary({ ...detail, cluster: 7 }).cluster, "in-cluster");
  assert.equal(decodeDetail({ ...detail, cluster: "https://10.0.0.9:6443" }).cluster, "https://10.0.0.9:6443");
});

test("dependsOn reads each dependency, ready or waiting and why; absent or not a list is none", () => {
  const app = decodeDetail({
    ...detail,
    dependsOn: [
      { namespace: "bosun", name: "db", ready: true, sync: "Synced", health: "Healthy" },
      { namespace: "infra", name: "queue", ready: false, why: "Progressing: 1 of 3 replicas ready" },
      { namespace: "bosun", name: "cache", ready: "yes", why: "not found" },
    ],
  });
  assert.deepEqual(app.dependsOn, [
    { namespace: "bosun", name: "db", ready: true, why: undefined, sync: "Synced", health: "Healthy" },
    {
      namespace: "infra",
      name: "queue",
      ready: false,
      why: "Progressing: 1 of 3 replicas ready",
      sync: undefined,
      health: undefined,
    },
    { namespace: "bosun", name: "cache", ready: false, why: "not found", sync: undefined, health: undefined },
  ]);
  assert.deepEqual(decodeDetail(detail).dependsOn, [], "an older server sends none");
  assert.deepEqual(decodeDetail({ ...detail, dependsOn: "db" }).dependsOn, []);
  assert.throws(
    () => decodeDetail({ ...detail, dependsOn: [{ namespace: "bosun", ready: true }] }),
    /application\.dependsOn\[0\]\.name/,
  );
});

test("the clusters answer reads each cluster and the Secrets not used", () => {
  const answer = decodeClusters({
    clusters: [
      {
        name: "in-cluster",
        server: "https://kubernetes.default.svc",
        state: "Reachable",
        version: "1.33.1",
        applications: 2,
      },
      { name: "prod", server: "https://10.0.0.9:6443", state: "Unreachable", message: "refused", since: "t" },
    ],
    rejected: [{ secret: "cluster-bad", message: "has no server" }],
  });
  assert.deepEqual(answer, {
    clusters: [
      {
        name: "in-cluster",
        server: "https://kubernetes.default.svc",
        state: "Reachable",
        version: "1.33.1",
        message: undefined,
        since: undefined,
        applications: 2,
      },
      {
        name: "prod",
        server: "https://10.0.0.9:6443",
        state: "Unreachable",
        version: undefined,
        message: "refused",
        since: "t",
        applications: 0,
      },
    ],
    rejected: [{ secret: "cluster-bad", message: "has no server" }],
  });
  assert.deepEqual(decodeClusters({ clusters: [] }).rejected, [], "no rejected list: none");
  assert.equal(decodeClusters({ clusters: [{ name: "x" }] }).clusters[0]?.state, "Unknown");
  assert.throws(() => decodeClusters({ clusters: "x" }), /clusters\.clusters is not a list/);
  assert.throws(() => decodeClusters({ clusters: [{ server: "s" }] }), /clusters\.clusters\[0\]\.name/);
  assert.throws(() => decodeClusters([]), DecodeError);
});

test("a sync window's state reads into the page; a detail without one has none", () => {
  assert.equal(decodeDetail(detail).syncWindow, undefined);
  const closed = decodeDetail({
    ...detail,
    syncWindow: {
      state: "Closed",
      manualSync: false,
      message: "blocked by deny window",
      nextChange: "2026-12-06T23:00:00Z",
    },
  });
  assert.deepEqual(closed.syncWindow, {
    state: "Closed",
    manualSync: false,
    message: "blocked by deny window",
    nextChange: "2026-12-06T23:00:00Z",
  });
  assert.throws(() => decodeDetail({ ...detail, syncWindow: { manualSync: true } }), /state/);
});

test("quarantined revisions read into the page; a detail without any has none", () => {
  assert.deepEqual(decodeDetail(detail).quarantined, []);
  const q = { revision: "bbbb2222", at: "2026-12-06T12:00:00Z", reason: "Degraded", rolledBackTo: "aaaa1111" };
  assert.deepEqual(decodeDetail({ ...detail, quarantined: [q] }).quarantined, [q]);
  assert.throws(() => decodeDetail({ ...detail, quarantined: [{ at: "t" }] }), /quarantined\[0\]\.revision/);
});
