import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, EventReason } from "../../api/index.js";
import type { AppNotice } from "../pass.js";
import { dashboardLink, noticeId, notificationEventOf, notificationOf } from "./notification.js";

const app = (source: Record<string, unknown> = {}): Application =>
  ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "shop", namespace: "team", uid: "uid-1" },
    spec: {
      project: "payments",
      source: { repoURL: "https://alice:s3cret@git.example/org/deploy.git", path: "envs/prod", ...source },
      destination: { namespace: "shop" },
    },
  }) as unknown as Application;

const notice = (over: Partial<AppNotice> = {}): AppNotice => ({
  app: app(),
  type: "Normal",
  reason: "Synced",
  message: "synced revision 0123456 (applied 3 objects)",
  revision: "0123456789abcdef0123456789abcdef01234567",
  at: "2025-01-02T03:04:05Z",
  ...over,
});

test("Event reasons map to notification events; the others are not notified", () => {
  const mapped: Array<[EventReason, string]> = [
    ["SyncStarted", "SyncStarted"],
    ["Synced", "SyncSucceeded"],
    ["SyncFailed", "SyncFailed"],
    ["HealthDegraded", "HealthDegraded"],
    ["DriftDetected", "DriftDetected"],
    ["RolledBack", "RolledBack"],
    ["ClusterUnreachable", "ClusterUnreachable"],
  ];
  for (const [reason, event] of mapped) assert.equal(notificationEventOf(reason), event, reason);
  for (const reason of ["Pruned", "SyncRequested", "RefreshRequested", "Adopted"] as EventReason[]) {
    assert.equal(notificationEventOf(reason), undefined, reason);
    assert.equal(notificationOf(notice({ reason })), undefined, reason);
  }
});

test("a notification's id is the same for the same notice and differs when any part differs", () => {
  const id = noticeId(notice());
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(noticeId(notice()), id, "published twice: one id");
  assert.notEqual(noticeId(notice({ at: "2025-01-02T03:04:06Z" })), id);
  assert.notEqual(noticeId(notice({ message: "synced revision 0123456 (applied 4 objects)" })), id);
  assert.notEqual(noticeId(notice({ reason: "SyncFailed" })), id);
  assert.notEqual(noticeId(notice({ revision: "f".repeat(40) })), id);
  const other = app();
  other.metadata.uid = "uid-2";
  assert.notEqual(noticeId(notice({ app: other })), id, "another Application of the same name (re-created)");
});

test("a notification names the Application, its project and source (without credentials), revision and time", () => {
  const n = notificationOf(notice());
  assert.deepEqual(n, {
    id: noticeId(notice()),
    event: "SyncSucceeded",
    severity: "Normal",
    application: { namespace: "team", name: "shop", project: "payments", uid: "uid-1" },
    revision: "0123456789abcdef0123456789abcdef01234567",
    message: "synced revision 0123456 (applied 3 objects)",
    time: "2025-01-02T03:04:05Z",
    source: { repoURL: "https://git.example/org/deploy.git", path: "envs/prod" },
  });
  const { revision: _r, ...withoutRevision } = notice();
  const bare = notificationOf({ ...withoutRevision, reason: "DriftDetected", type: "Warning" });
  assert.equal(bare?.revision, undefined);
  assert.equal(bare?.severity, "Warning");
  const noProject = app();
  delete noProject.spec.project;
  assert.equal(notificationOf(notice({ app: noProject }))?.application.project, "default");
});

test("with a dashboard URL a notification links to the Application's page, escaped (test/ui/notification-link.test.ts reads it as the dashboard does)", () => {
  assert.equal(notificationOf(notice())?.url, undefined, "no dashboard URL: no link");
  const n = notificationOf(notice(), { dashboardUrl: "https://ops.example/bosun/" });
  assert.equal(n?.url, "https://ops.example/bosun/#/apps/team/shop");
  assert.equal(
    dashboardLink("http://127.0.0.1:7480", { namespace: "team", name: "shop" }),
    "http://127.0.0.1:7480/#/apps/team/shop",
  );
  assert.equal(
    dashboardLink("https://ops.example/#/clusters", { namespace: "team", name: "shop" }),
    "https://ops.example/#/apps/team/shop",
  );
  assert.equal(
    dashboardLink("https://ops.example", { namespace: "a b", name: "c#d" }),
    "https://ops.example/#/apps/a%20b/c%23d",
  );
});
