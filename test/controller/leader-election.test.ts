// Three `bosun agent --leader-elect` processes on one namespace: one holds the Lease and reconciles, the
// others stand by; SIGTERM of the holder hands the Lease over (released, not expired); kill -9 of the next
// holder leaves the Lease to expire and the last one takes over; each new leader converges a new commit, and
// the managed object is written once per change (its resourceVersions as a watch sees them).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../../src/cluster/index.js";
import type { LeaseSpec } from "../../src/controller/leader-election.js";
import { kubectlGet } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";
import { applyApplication, appTestSetup, syncedAndHealthy, waitForApp } from "./agent-harness.js";
import { type AgentProcess, startAgentProcess } from "./agent-process.js";

const configMap = (value: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { value } });

test("three agents elect one leader; SIGTERM hands over at once, kill -9 after the Lease expires", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  const first = await repo.commit("v1", { "app/cm.json": configMap("v1") });
  const agents = new Map<string, AgentProcess>();
  for (const id of ["agent-1", "agent-2", "agent-3"])
    agents.set(id, startAgentProcess(t, ns, { args: ["--leader-elect", "--leader-elect-identity", id] }));
  const lease = () =>
    kubectlGet<KubeObject & { spec: LeaseSpec }>(ns.kubeconfig, ["-n", ns.name, "lease", "bosun-agent"]);
  let holder = "";
  await waitFor(
    "a leader",
    async () => {
      holder = lease()?.spec.holderIdentity ?? "";
      return holder !== "";
    },
    { timeoutMs: 60_000 },
  );
  applyApplication(setup, "web", { path: "app" });
  await waitForApp(ns, "web", "synced by the leader", syncedAndHealthy(first));
  // Every write of the managed ConfigMap, as its resourceVersions reach a watch: one per change, by one agent.
  const writes: string[] = [];
  const watch = new WatchCache(new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig })), {
    namespace: setup.dest,
    accept: (o) => o.metadata.name === "settings",
    onEvent: (e) => writes.push(`${e.type} ${(e.object as { data?: { value?: string } }).data?.value}`),
  });
  t.after(() => watch.stop());
  await watch.watchKind("v1", "ConfigMap");
  const leaderLog = (id: string) => agents.get(id)?.output() ?? "";
  assert.match(leaderLog(holder), /leading: reconciling/);
  assert.match(leaderLog(holder), /"app":"[^"]+\/web".*"msg":"reconciled/);
  for (const [id] of agents)
    if (id !== holder) {
      assert.doesNotMatch(leaderLog(id), /leading: reconciling/, `${id} leads too`);
      assert.doesNotMatch(leaderLog(id), /"msg":"reconciled/, `${id} reconciled as a standby`);
    }

  // SIGTERM: the holder releases the Lease on its way out; another takes it without waiting for expiry.
  const before = lease()?.spec.leaseTransitions ?? 0;
  const graceful = agents.get(holder) as AgentProcess;
  const exited = new Promise((r) => graceful.child.once("exit", r));
  graceful.child.kill("SIGTERM");
  await exited;
  assert.match(graceful.output(), /bosun agent stopped/);
  agents.delete(holder);
  let next = "";
  await waitFor(
    "a new leader after the release",
    async () => {
      next = lease()?.spec.holderIdentity ?? "";
      return next !== "" && next !== holder;
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );
  // Released: a transition through the empty holder, so one more than a plain takeover would count.
  assert.ok((lease()?.spec.leaseTransitions ?? 0) >= before + 1);
  const second = await repo.commit("v2", { "app/cm.json": configMap("v2") });
  await waitForApp(ns, "web", "v2 synced by the new leader", syncedAndHealthy(second));
  assert.match(leaderLog(next), /leading: reconciling/);

  // kill -9: nothing is released; the last standby takes over once the Lease expires, and converges v3.
  await (agents.get(next) as AgentProcess).kill();
  agents.delete(next);
  const [last] = [...agents.keys()];
  await waitFor("the last agent leads", async () => lease()?.spec.holderIdentity === last, { timeoutMs: 60_000 });
  const third = await repo.commit("v3", { "app/cm.json": configMap("v3") });
  await waitForApp(ns, "web", "v3 synced by the last agent", syncedAndHealthy(third));
  assert.equal(ns.kubectl(["-n", setup.dest, "get", "configmap", "settings", "-o", "jsonpath={.data.value}"]), "v3");
  await waitFor("the v3 write to reach the watch", async () => writes.includes("MODIFIED v3"), { timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 3000)); // room for a second writer's late write to show
  assert.deepEqual(writes, ["ADDED v1", "MODIFIED v2", "MODIFIED v3"], "one write per change, through three leaders");
});
