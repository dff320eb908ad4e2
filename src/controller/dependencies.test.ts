import assert from "node:assert/strict";
import { test } from "node:test";
import type { AppKey, Application, ApplicationStatus } from "../api/index.js";
import { applicationConditions } from "./app-conditions.js";
import { deletionLayers, dependencyCycle, dependencyWait, dependentsOf } from "./dependencies.js";

function app(name: string, dependsOn: Application["spec"]["dependsOn"] = [], status?: ApplicationStatus, ns = "apps") {
  return {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name, namespace: ns, generation: 2 },
    spec: { source: { repoURL: "https://git.example/x.git" }, destination: {}, dependsOn },
    ...(status ? { status } : {}),
  } as Application;
}

const healthy: ApplicationStatus = {
  observedGeneration: 2,
  sync: { status: "Synced", revision: "abc" },
  health: { status: "Healthy", message: "" },
};

const lookupOf = (apps: Application[]) => (key: AppKey) =>
  apps.find((a) => a.metadata.namespace === key.namespace && a.metadata.name === key.name);

test("a cycle is found from every Application in it, and only from those", () => {
  const a = app("a", [{ name: "b" }]);
  const b = app("b", [{ name: "c" }]);
  const c = app("c", [{ name: "a" }]);
  const d = app("d", [{ name: "a" }]); // depends on the cycle, is not in it
  const self = app("self", [{ name: "self" }]);
  const lookup = lookupOf([a, b, c, d, self]);
  assert.equal(dependencyCycle(a, lookup), "a → b → c → a");
  assert.equal(dependencyCycle(b, lookup), "b → c → a → b");
  assert.equal(dependencyCycle(d, lookup), undefined);
  assert.equal(dependencyCycle(self, lookup), "self → self");
  const other = app("x", [{ name: "y", namespace: "infra" }]);
  const y = app("y", [{ name: "x", namespace: "apps" }], undefined, "infra");
  assert.equal(dependencyCycle(other, lookupOf([other, y])), "x → infra/y → x");
  // A diamond is no cycle.
  const top = app("top", [{ name: "l" }, { name: "r" }]);
  const l = app("l", [{ name: "base" }]);
  const r = app("r", [{ name: "base" }]);
  assert.equal(dependencyCycle(top, lookupOf([top, l, r, app("base")])), undefined);
});

test("an Application waits for each dependency not Synced and Healthy at its current revision, saying why", () => {
  const progressing = app("db", [], {
    ...healthy,
    health: { status: "Progressing", message: "1 of 3 replicas ready" },
  });
  const web = app("web", [{ name: "db" }, { name: "cache" }, { name: "queue", namespace: "infra" }]);
  const queue = app("queue", [], healthy, "infra");
  assert.equal(
    dependencyWait(web, lookupOf([web, progressing, queue])),
    "waiting for db (Progressing: 1 of 3 replicas ready), cache (not found)",
  );
  const cache = app("cache", [], { ...healthy, sync: { status: "OutOfSync", revision: "old" } });
  const stale = app("db", [], { ...healthy, observedGeneration: 1 });
  assert.equal(
    dependencyWait(web, lookupOf([web, stale, cache, queue])),
    "waiting for db (not reconciled yet), cache (OutOfSync)",
  );
  const syncing = app("db", [], { ...healthy, operation: { phase: "Running", message: "wave 1" } as never });
  assert.match(dependencyWait(web, lookupOf([web, syncing, queue])) ?? "", /db \(syncing: wave 1\)/);
  const ready = [web, app("db", [], healthy), app("cache", [], healthy), queue];
  assert.equal(dependencyWait(web, lookupOf(ready)), undefined);
});

test("the dependents of an Application are the ones whose dependsOn names it, namespace defaulted", () => {
  const web = app("web", [{ name: "db" }]);
  const api = app("api", [{ name: "db", namespace: "apps" }]);
  const elsewhere = app("web", [{ name: "db" }], undefined, "team-b");
  assert.deepEqual(
    dependentsOf([web, api, elsewhere, app("db")], { namespace: "apps", name: "db" }).map((a) => a.metadata.name),
    ["web", "api"],
  );
});

test("Ready says WaitingForDependencies while out of sync and waiting; once synced it no longer matters", () => {
  const ready = (status: ApplicationStatus, waitingFor?: string) =>
    applicationConditions(status, { emptyRender: false, waitingFor }, "2026-12-05T00:00:00Z").find(
      (c) => c.type === "Ready",
    );
  const outOfSync: ApplicationStatus = { ...healthy, sync: { status: "OutOfSync" } };
  assert.deepEqual(
    [ready(outOfSync, "waiting for db (Degraded)")?.reason, ready(outOfSync, "waiting for db (Degraded)")?.message],
    ["WaitingForDependencies", "waiting for db (Degraded)"],
  );
  assert.equal(ready(outOfSync)?.reason, "OutOfSync");
  assert.equal(ready(healthy, "waiting for db (Degraded)")?.status, "True");
});

test("deletion layers: Applications that others depend on go after them, everything else last", () => {
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "apps" } };
  const db = app("db");
  const api = app("api", [{ name: "db" }]);
  const web = app("web", [{ name: "api" }, { name: "db" }]);
  const solo = app("solo");
  const names = (layers: unknown[][]) =>
    layers.map((l) => l.map((o) => (o as { metadata: { name: string } }).metadata.name).sort());
  const objects = [db, cm, api, web, solo] as unknown as Array<typeof cm>;
  assert.deepEqual(names(deletionLayers(objects)), [["solo", "web"], ["api"], ["db"], ["x"]]);
  // Only dependencies among the objects deleted count; a cycle goes in one layer.
  const a = app("a", [{ name: "b" }]);
  const b = app("b", [{ name: "a" }]);
  assert.deepEqual(names(deletionLayers([a, b, api] as unknown as Array<typeof cm>)), [["api"], ["a", "b"]]);
});
