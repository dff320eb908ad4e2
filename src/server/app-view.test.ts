import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, ResourceStatus } from "../api/index.js";
import { appDetail, appSummary, groupByWave, viewChanged } from "./app-view.js";

const resource = (name: string, wave: number): ResourceStatus => ({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  namespace: "shop",
  name,
  status: "Synced",
  health: "Healthy",
  wave,
});

const app: Application = {
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "shop", namespace: "bosun" },
  spec: { source: { repoURL: "https://git.example/deploy.git", path: "shop" }, destination: { namespace: "shop" } },
  status: {
    sync: { status: "Synced", revision: "a".repeat(40) },
    health: { status: "Healthy", message: "" },
    history: [
      { id: 1, revision: "b".repeat(40), deployedAt: "2025-01-01T00:00:00Z", initiatedBy: "agent", result: "Failed" },
      {
        id: 2,
        revision: "a".repeat(40),
        deployedAt: "2025-01-02T00:00:00Z",
        initiatedBy: "admin",
        result: "Succeeded",
      },
    ],
    resources: [resource("late", 2), resource("early", -1), resource("plain", 0), resource("plain-too", 0)],
  },
};

test("the summary shows sync, health, revision and the last sync", () => {
  const s = appSummary(app);
  assert.equal(s.sync, "Synced");
  assert.equal(s.health, "Healthy");
  assert.equal(s.lastSync?.result, "Succeeded");
  assert.equal(s.lastSync?.initiatedBy, "admin");
  assert.equal(s.suspended, false);
});

test("an Application without status is Unknown, never synced", () => {
  const s = appSummary({ ...app, status: undefined });
  assert.equal(s.sync, "Unknown");
  assert.equal(s.health, "Unknown");
  assert.equal(s.lastSync, undefined);
});

test("resources are grouped by wave, waves in order", () => {
  const waves = groupByWave(app.status?.resources ?? []);
  assert.deepEqual(
    waves.map((w) => [w.wave, w.resources.map((r) => r.name)]),
    [
      [-1, ["early"]],
      [0, ["plain", "plain-too"]],
      [2, ["late"]],
    ],
  );
  assert.equal(appDetail(app).waves.length, 3);
});

test("a change only to metadata is no change of the view", () => {
  const touched = { ...app, metadata: { ...app.metadata, resourceVersion: "9" } };
  assert.equal(viewChanged(app, touched), false);
  const degraded = { ...app, status: { ...app.status, health: { status: "Degraded" as const, message: "x" } } };
  assert.equal(viewChanged(app, degraded), true);
  assert.equal(viewChanged(undefined, app), true);
});

test("a new drift record or history entry is a change of the view (the dashboard re-reads them)", () => {
  const drifted = {
    ...app,
    status: {
      ...app.status,
      drift: [
        {
          resource: "Deployment.apps/shop/web",
          fields: ["/spec/replicas"],
          manager: "kubectl",
          at: "t",
          corrected: true,
        },
      ],
    },
  };
  assert.equal(viewChanged(app, drifted), true);
  const history = [...(app.status?.history ?? [])];
  history.push({ id: 3, revision: "c".repeat(40), deployedAt: "t", initiatedBy: "agent", result: "Succeeded" });
  assert.equal(viewChanged(app, { ...app, status: { ...app.status, history } }), true);
  assert.equal(viewChanged(drifted, structuredClone(drifted)), false);
});

test("the summary names the cluster: the destination's name, else its server, else in-cluster", () => {
  const to = (destination: Application["spec"]["destination"]) =>
    appSummary({ ...app, spec: { ...app.spec, destination } });
  assert.equal(to({ namespace: "shop" }).cluster, "in-cluster");
  assert.equal(to({ namespace: "shop", name: "prod" }).cluster, "prod");
  assert.equal(to({ server: "https://10.0.0.9:6443/" }).cluster, "https://10.0.0.9:6443");
  assert.equal(to({ server: "https://kubernetes.default.svc" }).cluster, "in-cluster");
  assert.equal(to({ name: "prod", server: "https://10.0.0.9:6443" }).cluster, "prod");
  // A namer that knows the clusters names one given by its server.
  const known = appSummary({ ...app, spec: { ...app.spec, destination: { server: "https://10.0.0.9:6443" } } }, (d) =>
    d.server === "https://10.0.0.9:6443" ? "prod" : "in-cluster",
  );
  assert.equal(known.cluster, "prod");
});

const ready = (name: string, namespace = "bosun"): Application => ({
  ...app,
  metadata: { name, namespace, generation: 2 },
  spec: { ...app.spec, destination: { namespace: name } },
  status: {
    observedGeneration: 2,
    sync: { status: "Synced", revision: "a" },
    health: { status: "Healthy", message: "" },
  },
});

test("the detail lists what the Application depends on, each ready or why not, through the lookup given", () => {
  const db = ready("db");
  const queue: Application = {
    ...ready("queue", "infra"),
    status: {
      observedGeneration: 2,
      sync: { status: "Synced", revision: "a" },
      health: { status: "Progressing", message: "1 of 3 replicas ready" },
    },
  };
  const found = new Map([
    ["bosun/db", db],
    ["infra/queue", queue],
  ]);
  const asked: string[] = [];
  const lookup = (key: { namespace: string; name: string }) => {
    asked.push(`${key.namespace}/${key.name}`);
    return found.get(`${key.namespace}/${key.name}`);
  };
  const web: Application = {
    ...app,
    spec: { ...app.spec, dependsOn: [{ name: "db" }, { name: "queue", namespace: "infra" }, { name: "cache" }] },
  };
  const detail = appDetail(web, { lookup });
  assert.deepEqual(asked, ["bosun/db", "infra/queue", "bosun/cache"], "a dependency's namespace defaults to the app's");
  assert.deepEqual(detail.dependsOn, [
    { namespace: "bosun", name: "db", ready: true, sync: "Synced", health: "Healthy" },
    {
      namespace: "infra",
      name: "queue",
      ready: false,
      why: "Progressing: 1 of 3 replicas ready",
      sync: "Synced",
      health: "Progressing",
    },
    { namespace: "bosun", name: "cache", ready: false, why: "not found" },
  ]);
  assert.deepEqual(appDetail(app, { lookup }).dependsOn, [], "none named, none shown");
  assert.equal(appDetail(web).dependsOn, undefined, "without a lookup (the event stream's payload) none is computed");
  // An OutOfSync dependency is not ready either.
  const drifted = { ...db, status: { ...db.status, sync: { status: "OutOfSync" as const, revision: "a" } } };
  const [only] =
    appDetail({ ...web, spec: { ...web.spec, dependsOn: [{ name: "db" }] } }, { lookup: () => drifted }).dependsOn ??
    [];
  assert.deepEqual(only, {
    namespace: "bosun",
    name: "db",
    ready: false,
    why: "OutOfSync",
    sync: "OutOfSync",
    health: "Healthy",
  });
});
