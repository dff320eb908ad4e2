// Leader election over a real Lease on the real control plane, with short durations (lease 3 s, renew
// deadline 2 s, retry 250 ms): one leader among candidates, a released Lease taken over at once, an expired
// one only after its duration, and a holder whose Lease is taken from it stops leading.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { LeaderElector, type LeaseSpec, microTime } from "../../src/controller/leader-election.js";
import { testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

interface Candidate {
  elector: LeaderElector;
  stop: () => Promise<void>;
  events: string[];
  leading: () => AbortSignal | undefined;
}

function candidate(client: KubeClient, namespace: string, identity: string): Candidate {
  const events: string[] = [];
  let leadingSignal: AbortSignal | undefined;
  const controller = new AbortController();
  const elector = new LeaderElector({
    client,
    namespace,
    name: "bosun-agent",
    identity,
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 250,
    onStartedLeading: (signal) => {
      leadingSignal = signal;
      events.push("started");
    },
    onStoppedLeading: () => events.push("stopped"),
  });
  const running = elector.run(controller.signal);
  return {
    elector,
    events,
    leading: () => leadingSignal,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

test("one leader among candidates; a released Lease is taken over at once, an expired one after its duration", async (t) => {
  const ns = await testNamespace(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const lease = () =>
    client.get({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      namespace: ns.name,
      name: "bosun-agent",
    }) as Promise<(KubeObject & { spec: LeaseSpec }) | undefined>;
  const a = candidate(client, ns.name, "agent-a");
  t.after(a.stop);
  await waitFor("a leads", async () => a.elector.isLeader, { timeoutMs: 10_000 });
  const b = candidate(client, ns.name, "agent-b");
  t.after(b.stop);
  // b keeps trying through a few renewals of a's and never leads while a renews.
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(b.elector.isLeader, false);
    assert.equal(a.elector.isLeader, true);
  }
  const held = await lease();
  assert.equal(held?.spec.holderIdentity, "agent-a");
  assert.equal(held?.spec.leaseDurationSeconds, 3);
  assert.match(held?.spec.renewTime ?? "", /\.\d{6}Z$/);

  // a stops: it releases the Lease, and b takes it on its next try (well before the 3 s duration).
  await a.stop();
  assert.deepEqual(a.events, ["started", "stopped"]);
  assert.equal(a.leading()?.aborted, true);
  const released = await lease();
  assert.equal(released?.spec.holderIdentity, "");
  await waitFor("b leads", async () => b.elector.isLeader, { timeoutMs: 2000, intervalMs: 50 });
  assert.equal((await lease())?.spec.leaseTransitions, 1);

  // A Lease some other holder renewed just now is not taken before its duration passes.
  await b.stop();
  const current = await lease();
  await client.update({
    ...(current as KubeObject),
    spec: { ...current?.spec, holderIdentity: "ghost", leaseDurationSeconds: 3, renewTime: microTime(Date.now()) },
  } as KubeObject);
  const c = candidate(client, ns.name, "agent-c");
  t.after(c.stop);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(c.elector.isLeader, false, "the ghost's Lease has not expired yet");
  await waitFor("c leads once the ghost's Lease expired", async () => c.elector.isLeader, { timeoutMs: 10_000 });
});

test("a holder whose Lease is taken from it stops leading within its renew deadline", async (t) => {
  const ns = await testNamespace(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const d = candidate(client, ns.name, "agent-d");
  t.after(d.stop);
  await waitFor("d leads", async () => d.elector.isLeader, { timeoutMs: 10_000 });
  const thief = setInterval(() => {
    void (async () => {
      const live = (await client.get({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        namespace: ns.name,
        name: "bosun-agent",
      })) as (KubeObject & { spec: LeaseSpec }) | undefined;
      if (!live) return;
      await client
        .update({
          ...live,
          spec: { ...live.spec, holderIdentity: "thief", renewTime: microTime(Date.now()) },
        } as KubeObject)
        .catch(() => undefined);
    })();
  }, 200);
  t.after(() => clearInterval(thief));
  await waitFor("d stopped leading", async () => d.events.includes("stopped"), { timeoutMs: 6000, intervalMs: 50 });
  assert.equal(d.leading()?.aborted, true);
  assert.equal(d.elector.isLeader, false);
});
