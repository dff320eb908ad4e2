import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, ApplicationStatus } from "../api/index.js";
import { ApiError } from "../cluster/index.js";
import { writeStatus } from "./status-writer.js";

const conflict = () => new ApiError(409, "Conflict", "PUT", "/status", "the object has been modified");

function setup(fresh: { resourceVersion: string; status: ApplicationStatus }) {
  const writes: string[] = [];
  const app = {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "web", namespace: "bosun", resourceVersion: "1" },
    spec: { source: { repoURL: "https://git.example/x.git" }, destination: {} },
    status: { sync: { status: "OutOfSync" } },
  } as Application;
  const deps = {
    applications: {
      writeStatus: async (a: Application) => {
        writes.push(a.metadata.resourceVersion ?? "");
        if (a.metadata.resourceVersion !== fresh.resourceVersion) throw conflict();
        return String(Number(fresh.resourceVersion) + 1);
      },
      get: async () => ({
        ...app,
        metadata: { ...app.metadata, resourceVersion: fresh.resourceVersion },
        status: fresh.status,
      }),
    },
    events: { record: async () => undefined },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  } as unknown as Parameters<typeof writeStatus>[0];
  return { app, deps, writes };
}

const synced: ApplicationStatus = { sync: { status: "Synced", revision: "abc" }, inventory: ["_ConfigMap_ns_a"] };

test("a conflict from a metadata change alone is written again on the fresh resourceVersion", async () => {
  const { app, deps, writes } = setup({ resourceVersion: "7", status: { sync: { status: "OutOfSync" } } });
  await writeStatus(deps, app, synced);
  assert.deepEqual(writes, ["1", "7"]);
  assert.equal(app.metadata.resourceVersion, "8");
  assert.deepEqual(app.status, synced);
});

test("a conflict over the status itself fails the write, for the reconcile to start again from fresh data", async () => {
  const { app, deps, writes } = setup({
    resourceVersion: "7",
    status: { sync: { status: "Synced", revision: "other" } },
  });
  await assert.rejects(writeStatus(deps, app, synced), (err: unknown) => err instanceof ApiError && err.isConflict);
  assert.deepEqual(writes, ["1"]);
  assert.equal(app.metadata.resourceVersion, "1");
});
