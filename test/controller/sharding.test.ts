// Three `bosun agent --shards 3` processes share 60 Applications. The first alone holds every shard and hands
// two over (released, not expired) when the others join; then each holds one shard Lease and reconciles
// only that shard's Applications, whose status names it; kill -9 of one leaves its shard to expire, another
// replica takes it and converges a new commit there.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../../src/cluster/index.js";
import type { LeaseSpec } from "../../src/controller/leader-election.js";
import { shardOf } from "../../src/controller/shards.js";
import { kubectlGet } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";
import { appTestSetup } from "./agent-harness.js";
import { type AgentProcess, startAgentProcess } from "./agent-process.js";

const SHARDS = 3;
const APPS = 60;
const names = Array.from({ length: APPS }, (_, i) => `app-${String(i).padStart(2, "0")}`);
const configMaps = (rev: string) =>
  Object.fromEntries(
    names.map((n) => [
      `apps/${n}/cm.json`,
      JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: n }, data: { rev } }),
    ]),
  );

test("--shards 3: every Application reconciled by exactly one replica; a killed replica's shard is taken over [real]", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo, dest } = setup;
  const first = await repo.commit("rev 1", configMaps("1"));
  const agents = new Map<string, AgentProcess>();
  const startReplica = (id: string) =>
    agents.set(id, startAgentProcess(t, ns, { args: ["--shards", String(SHARDS), "--leader-elect-identity", id] }));
  // Every holder each shard Lease has had, in order, as a watch sees them ("" when released).
  const history = new Map<string, string[]>();
  const leaseWatch = new WatchCache(new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig })), {
    namespace: ns.name,
    accept: (o) => o.metadata.name?.startsWith("bosun-agent-shard-") ?? false,
    onEvent: (e) => {
      const holder = (e.object as { spec?: LeaseSpec }).spec?.holderIdentity ?? "";
      const seen = history.get(e.object.metadata.name ?? "") ?? [];
      if (seen[seen.length - 1] !== holder) seen.push(holder);
      history.set(e.object.metadata.name ?? "", seen);
    },
  });
  t.after(() => leaseWatch.stop());
  await leaseWatch.watchKind("coordination.k8s.io/v1", "Lease");

  const holders = () =>
    Array.from({ length: SHARDS }, (_, k) => {
      const lease = kubectlGet<KubeObject & { spec: LeaseSpec }>(ns.kubeconfig, [
        "-n",
        ns.name,
        "lease",
        `bosun-agent-shard-${k}`,
      ]);
      return lease?.spec.holderIdentity ?? "";
    });
  // Alone, a replica takes every shard; two more join and it gives two back, released rather than left to expire.
  startReplica("replica-a");
  await waitFor("replica-a holds every shard", async () => holders().every((h) => h === "replica-a"), {
    timeoutMs: 60_000,
    detail: () => holders().join(", "),
  });
  startReplica("replica-b");
  startReplica("replica-c");
  await waitFor("one shard per replica", async () => new Set(holders().filter(Boolean)).size === SHARDS, {
    timeoutMs: 60_000,
    detail: () => holders().join(", "),
  });
  const owner = holders();
  for (const [k, holder] of owner.entries()) {
    if (holder === "replica-a") continue;
    // The history comes from a watch, which may see the new holder a moment after `holders()` read it.
    const seen = () => history.get(`bosun-agent-shard-${k}`) ?? [];
    await waitFor(`shard ${k}'s handover in the watch`, async () => seen().length >= 3, { timeoutMs: 10_000 });
    assert.deepEqual(seen(), ["replica-a", "", holder], `shard ${k} handed over`);
  }

  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: names.map((name) => ({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Application",
        metadata: { name, namespace: ns.name },
        spec: {
          source: { repoURL: repo.fileUrl, path: `apps/${name}` },
          destination: { namespace: dest },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ["CreateNamespace=true"],
            interval: "2s",
          },
        },
      })),
    }),
  );
  const apps = () =>
    (
      kubectlGet<{ items: Application[] }>(ns.kubeconfig, ["-n", ns.name, "applications.bosun.dev"])?.items ?? []
    ).filter((a) => names.includes(a.metadata.name));
  const allAt = (sha: string) => () => {
    const list = apps();
    return (
      list.length === APPS &&
      list.every(
        (a) =>
          a.status?.sync?.status === "Synced" &&
          a.status.sync.revision === sha &&
          a.status.health?.status === "Healthy",
      )
    );
  };
  await waitFor("all 60 synced at rev 1", async () => allAt(first)(), { timeoutMs: 180_000 });

  // Each status names the replica holding its shard; the logs show no other replica reconciled it.
  for (const app of apps()) {
    const k = shardOf(app, SHARDS);
    assert.deepEqual(app.status?.reconciledBy, { replica: owner[k], shard: k }, app.metadata.name);
  }
  const reconcilers = (name: string) =>
    [...agents].filter(([, a]) => a.output().includes(`"app":"${ns.name}/${name}"`)).map(([id]) => id);
  // A pass logs after its status write: give the last lines time to arrive through the pipes.
  await waitFor("every Application in a replica's log", async () => names.every((n) => reconcilers(n).length > 0), {
    timeoutMs: 10_000,
  });
  for (const name of names) assert.equal(reconcilers(name).length, 1, `${name}: ${reconcilers(name).join(", ")}`);
  const spread = new Set(apps().map((a) => a.status?.reconciledBy?.replica));
  assert.equal(spread.size, SHARDS, "every replica has work");

  // kill -9 the holder of shard 1: nothing is released; another replica takes the shard when its Lease expires.
  const victim = owner[1] as string;
  await (agents.get(victim) as AgentProcess).kill();
  agents.delete(victim);
  await waitFor(
    "shard 1 taken over by a live replica",
    async () => {
      const now = holders()[1] ?? "";
      return now !== victim && agents.has(now);
    },
    { timeoutMs: 30_000, intervalMs: 200, detail: () => holders().join(", ") },
  );
  const second = await repo.commit("rev 2", configMaps("2"));
  await waitFor("all 60 synced at rev 2", async () => allAt(second)(), { timeoutMs: 180_000 });
  const final = holders();
  for (const app of apps()) {
    const k = shardOf(app, SHARDS);
    assert.ok(agents.has(app.status?.reconciledBy?.replica ?? ""), `${app.metadata.name} by a live replica`);
    assert.equal(app.status?.reconciledBy?.replica, final[k], app.metadata.name);
  }
  assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "app-07", "-o", "jsonpath={.data.rev}"]), "2");
});
