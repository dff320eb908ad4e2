// spec.dependsOn on both targets: a dependent applies nothing while its dependency is not Synced and
// Healthy and says what it waits for; it syncs once the dependency is ready; a cycle is an error on each.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import {
  applyApplication,
  appTestSetup,
  runBosun,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const condition = (app: Application, type: string) => app.status?.conditions?.find((c) => c.type === type);

const database = (ready: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: db }
spec:
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata:
      labels: { app: db }
      annotations: ${ready ? "{}" : '{ "bosun.dev/simulate": "unready" }'}
    spec:
      containers: [{ name: db, image: postgres }]
`;

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name} }
data: { role: ${name} }
`;

for (const target of CLUSTER_TARGETS) {
  test(`an Application waits for the one it depends on, says why, and syncs once it is healthy [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("db not ready", { "db/deploy.yaml": database(false), "web/cm.yaml": configMap("web") });
    await startTestAgent(t, ns);
    applyApplication(setup, "db", { path: "db", timeout: "10m" });
    applyApplication(setup, "web", { path: "web", spec: { dependsOn: [{ name: "db" }] } });

    const waiting = await waitForApp(
      ns,
      "web",
      "web waiting for db, which is rolling out",
      (a) =>
        condition(a, "Ready")?.reason === "WaitingForDependencies" &&
        /^waiting for db \((syncing|Progressing)/.test(condition(a, "Ready")?.message ?? ""),
    );
    assert.equal(waiting.status?.sync?.status, "OutOfSync");
    assert.notEqual(condition(waiting, "Stalled")?.status, "True");
    assert.throws(() => ns.kubectl(["-n", dest, "get", "configmap", "web"]), /not found/);
    const described = await runBosun(ns, ["app", "get", "web"]);
    assert.match(described.out, /Condition: {5}Ready=False WaitingForDependencies: waiting for db/);

    const fixed = await repo.commit("db ready", { "db/deploy.yaml": database(true) });
    await waitForApp(ns, "db", "db healthy", syncedAndHealthy(fixed), 120_000);
    await waitForApp(ns, "web", "web synced once db is healthy", syncedAndHealthy(fixed), 60_000);
    assert.match(ns.kubectl(["-n", dest, "get", "configmap", "web", "-o", "jsonpath={.data.role}"]), /^web$/);
  });

  test(`a dependsOn cycle is reported on every Application in it, and none syncs [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("two", { "a/cm.yaml": configMap("a"), "b/cm.yaml": configMap("b") });
    await startTestAgent(t, ns);
    applyApplication(setup, "a", { path: "a", spec: { dependsOn: [{ name: "b" }] } });
    applyApplication(setup, "b", { path: "b", spec: { dependsOn: [{ name: "a", namespace: ns.name }] } });
    for (const [name, cycle] of [
      ["a", "a → b → a"],
      ["b", "b → a → b"],
    ] as const) {
      const app = await waitForApp(
        ns,
        name,
        `${name} in a cycle`,
        (x) => condition(x, "Ready")?.reason === "DependencyCycle",
      );
      assert.match(condition(app, "Ready")?.message ?? "", new RegExp(`dependsOn makes a cycle: ${cycle}`));
      assert.equal(condition(app, "Stalled")?.status, "True");
    }
    assert.throws(() => ns.kubectl(["-n", dest, "get", "configmap", "a"]), /not found/);
  });
}
