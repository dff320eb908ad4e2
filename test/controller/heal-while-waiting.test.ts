// Self-heal never waits behind an operation (seen on sock-shop): while a sync waits for an object of a
// later wave that never becomes ready, drift on an object of an earlier wave is reverted at once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { applyApplication, appTestSetup, getApp, startTestAgent, waitForApp } from "./agent-harness.js";

for (const target of CLUSTER_TARGETS) {
  test(`drift on wave 0 is reverted while the sync waits on wave 1 for a load balancer that never comes [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("a config and a LoadBalancer Service", {
      "app/config.yaml": JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "config" },
        data: { mode: "from-git" },
      }),
      "app/lb.yaml": JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "front", annotations: { "bosun.dev/sync-wave": "1" } },
        // A class no load balancer controller implements, on either target (the embedded server's simulated
        // one serves Services without a loadBalancerClass, as a cloud's default controller does).
        spec: {
          type: "LoadBalancer",
          loadBalancerClass: "example.com/none",
          selector: { app: "front" },
          ports: [{ port: 80 }],
        },
      }),
      // Wave 1 gates wave 2 (the last wave alone is not waited for).
      "app/after.yaml": JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "after", annotations: { "bosun.dev/sync-wave": "2" } },
      }),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "shop", { path: "app", timeout: "10m" });
    await waitForApp(
      ns,
      "shop",
      "the sync to wait on wave 1",
      (a) =>
        a.status?.operation?.phase === "Running" && a.status.operation.wave === 1 && a.status.operation.stepApplied,
    );

    ns.kubectl(["-n", dest, "patch", "configmap", "config", "--type=merge", "-p", '{"data":{"mode":"by-hand"}}']);
    const mode = () => ns.kubectl(["-n", dest, "get", "configmap", "config", "-o", "jsonpath={.data.mode}"]);
    await waitFor("the drift to be reverted", async () => mode() === "from-git", {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const app = getApp(ns, "shop");
    assert.equal(app.status?.operation?.phase, "Running", "reverted while the operation still waits");
    assert.equal(app.status?.operation?.wave, 1);
  });
}
