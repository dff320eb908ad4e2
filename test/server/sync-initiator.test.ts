// Who started a sync: a named token's sync through the API is recorded under the token's name in the
// Application's history, by the agent that runs it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildProgram } from "../../src/cli/program.js";
import { applyApplication, appTestSetup, getApp, waitForApp } from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { call, startServerWithAgent } from "./server-harness.js";

for (const target of CLUSTER_TARGETS) {
  test(`a sync a named token asks for is recorded in history under its name [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const server = await startServerWithAgent(t, ns);
    const sha = await repo.commit("one", { "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n" });
    applyApplication(setup, "shop", { path: "app" });
    await waitForApp(ns, "shop", "the first sync", (a) => a.status?.sync?.revision === sha);

    const out: string[] = [];
    await buildProgram({ out: (s) => out.push(s), err: (s) => out.push(s) }).parseAsync([
      "node",
      "bosun",
      "token",
      "create",
      "release-bot",
      "--role",
      "admin",
      "--kubeconfig",
      ns.kubeconfig,
      "--namespace",
      ns.name,
    ]);
    const token = out.join("").trim();
    await waitFor(
      "the token to be accepted",
      async () => (await call(server, "GET", "/api/whoami", { token })).status === 200,
      { timeoutMs: 30_000 },
    );
    const before = getApp(ns, "shop").status?.history?.length ?? 0;
    const res = await call(server, "POST", `/api/applications/${ns.name}/shop/sync`, { token, body: {} });
    assert.equal(res.status, 202);
    const app = await waitForApp(ns, "shop", "the requested sync", (a) => (a.status?.history?.length ?? 0) > before);
    assert.equal(app.status?.history?.at(-1)?.initiatedBy, "release-bot");
  });
}
