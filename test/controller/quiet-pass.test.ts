// A settled Application re-checked at its interval is a quiet pass (nothing compared, nothing written), and
// quiet passes hide nothing: drift is still reverted and a new commit still synced. The passes after a sync
// compare what the sync applied without a dry run (the apply's answer is the comparison).
import assert from "node:assert/strict";
import { test } from "node:test";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const config = (mode: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "config" }, data: { mode } });

for (const target of CLUSTER_TARGETS) {
  test(`quiet passes of a settled Application still see drift and new commits [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const first = await repo.commit("v1", { "app/config.yaml": config("v1") });
    let dryRuns = 0;
    const agent = await startTestAgent(t, ns, {
      observeRequests: (r) => {
        if (r.query?.dryRun === "All" && r.path.includes(`/namespaces/${dest}/`)) dryRuns++;
      },
    });
    applyApplication(setup, "calm", { path: "app", interval: "1s" });
    await waitForApp(ns, "calm", "Synced and Healthy", syncedAndHealthy(first));
    const quiet = () =>
      agent.logs.filter((l) => l.includes('"reconciled: nothing changed"') && l.includes(`"${ns.name}/calm"`)).length;
    await waitFor("quiet passes at the interval", async () => quiet() >= 2, { timeoutMs: 30_000 });
    assert.equal(dryRuns, 0, "nothing was dry-run: created by the sync, then compared from what the apply answered");
    const resourceVersion = () =>
      ns.kubectl(["get", "applications.bosun.dev", "calm", "-o", "jsonpath={.metadata.resourceVersion}"]);
    const before = resourceVersion();
    const seen = quiet();
    await waitFor("more quiet passes", async () => quiet() >= seen + 2, { timeoutMs: 30_000 });
    assert.equal(resourceVersion(), before, "a quiet pass writes nothing");

    ns.kubectl(["-n", dest, "patch", "configmap", "config", "--type=merge", "-p", '{"data":{"mode":"by-hand"}}']);
    const mode = () => ns.kubectl(["-n", dest, "get", "configmap", "config", "-o", "jsonpath={.data.mode}"]);
    await waitFor("the drift to be reverted", async () => mode() === "v1", { timeoutMs: 30_000, intervalMs: 100 });

    const second = await repo.commit("v2", { "app/config.yaml": config("v2") });
    await waitForApp(ns, "calm", "the new commit synced", syncedAndHealthy(second));
    assert.equal(mode(), "v2");
  });
}
