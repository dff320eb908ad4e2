// The Sealed Secrets controller among replicas, on the real control plane. Two `bosun agent --leader-elect
// --sealed-secrets` processes on a namespace with no key: the Lease holder alone makes the key and unseals,
// both serve its certificate, and after SIGTERM the other takes over without rewriting what was unsealed.
// Then in-process controllers with a leadership the test hands out: a standby learns the leader's key from
// its watch, makes none on renewal or on request, and renews an overdue key once it leads.
import assert from "node:assert/strict";
import { setMaxListeners } from "node:events";
import { test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import type { LeaseSpec } from "../../src/controller/leader-election.js";
import {
  parseSecret,
  SEALING_KEY_LABEL,
  SealedSecretController,
  type SealedSecretsLogger,
  sealingPublicKey,
  sealSecret,
} from "../../src/secrets/index.js";
import { NotLeaderError, type SealedSecretsLeadership } from "../../src/secrets/sealed/leadership.js";
import { type AgentProcess, startAgentProcess } from "../controller/agent-process.js";
import { type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";
import { kubectlGet } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";

interface KeySecret extends KubeObject {
  data: Record<string, string>;
}

function keySecrets(ns: TestNamespace): KeySecret[] {
  return (
    parse(ns.kubectl(["get", "secrets", "-l", `${SEALING_KEY_LABEL}=active`, "-o", "json"])) as { items: KeySecret[] }
  ).items;
}

const certOf = (secret: KeySecret | undefined) => Buffer.from(secret?.data["tls.crt"] ?? "", "base64").toString();

async function served(port: number): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/cert.pem`, { signal: AbortSignal.timeout(2000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** A SealedSecret for `namespace/name` holding { token }, sealed with the certificate in `pem`. */
function sealedFor(pem: string, namespace: string, name: string, token: string): string {
  const secret = parseSecret({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    stringData: { token },
  });
  return JSON.stringify(sealSecret(secret, { publicKey: sealingPublicKey(pem) }));
}

function secretOf(ns: TestNamespace, name: string): KubeObject | undefined {
  return kubectlGet(ns.kubeconfig, ["-n", ns.name, "secret", name, "--show-managed-fields"]);
}

async function waitForToken(ns: TestNamespace, name: string, token: string): Promise<KubeObject> {
  let secret: KubeObject | undefined;
  await waitFor(
    `Secret ${ns.name}/${name} unsealed`,
    async () => {
      secret = secretOf(ns, name);
      const data = (secret as { data?: Record<string, string> } | undefined)?.data;
      return Buffer.from(data?.token ?? "", "base64").toString() === token;
    },
    { timeoutMs: 60_000 },
  );
  return secret as KubeObject;
}

const unsealedLine = (ns: TestNamespace, name: string) =>
  new RegExp(`"sealedSecret":"${ns.name}/${name}"[^\\n]*"msg":"unsealed"`);

test("two `bosun agent --leader-elect --sealed-secrets`: the leader alone makes the key and unseals; the other takes over on SIGTERM", async (t) => {
  const ns = await testNamespace(t);
  const work = await testNamespace(t);
  const agents = new Map<string, AgentProcess>();
  for (const id of ["sealer-1", "sealer-2"])
    agents.set(
      id,
      startAgentProcess(t, ns, {
        args: [
          "--leader-elect",
          "--leader-elect-identity",
          id,
          "--sealed-secrets",
          "--sealed-secrets-namespace",
          ns.name,
          "--sealed-secrets-listen",
          "127.0.0.1:0",
          "--sealed-secrets-watch",
          work.name,
        ],
      }),
    );
  const ports = new Map<string, number>();
  for (const [id, agent] of agents) {
    const line = await agent.waitForLog(`${id} serving /v1/cert.pem`, /serving the sealing certificate/);
    ports.set(id, Number(line.port));
  }
  const port = (id: string) => ports.get(id) ?? 0;
  const lease = () =>
    kubectlGet<KubeObject & { spec: LeaseSpec }>(ns.kubeconfig, ["-n", ns.name, "lease", "bosun-agent"]);
  let leader = "";
  await waitFor(
    "a leader",
    async () => {
      leader = lease()?.spec.holderIdentity ?? "";
      return leader !== "";
    },
    { timeoutMs: 60_000 },
  );
  const [standby = ""] = [...agents.keys()].filter((id) => id !== leader);
  const log = (id: string) => agents.get(id)?.output() ?? "";

  // One key, made by the leader; both serve its certificate (the standby from its watch or its first read).
  await waitFor("a key Secret", async () => keySecrets(ns).length > 0, { timeoutMs: 60_000 });
  const cert = certOf(keySecrets(ns)[0]);
  for (const id of agents.keys())
    await waitFor(`${id} serving the key's certificate`, async () => (await served(port(id))).body === cert, {
      timeoutMs: 30_000,
      detail: () => log(id).slice(-2000),
    });
  await (agents.get(standby) as AgentProcess).waitForLog("the standby started", /SealedSecret controller started/);
  assert.equal(keySecrets(ns).length, 1, "exactly one key among the replicas");
  assert.match(log(leader), /"why":"first start"[^\n]*"msg":"created a new sealing key"/);
  assert.doesNotMatch(log(standby), /created a new sealing key/, "the standby made a key");
  assert.doesNotMatch(log(standby), /leading: unsealing/);

  // A SealedSecret is unsealed by the leader only.
  work.kubectl(["apply", "-f", "-"], sealedFor(cert, work.name, "first", "first-token-5c1e"));
  const first = await waitForToken(work, "first", "first-token-5c1e");
  await (agents.get(leader) as AgentProcess).waitForLog("the leader's unseal", unsealedLine(work, "first"));
  assert.doesNotMatch(log(standby), /"msg":"unsealed"/, "the standby wrote a Secret");
  assert.deepEqual(
    first.metadata.managedFields?.map((f) => [f.manager, f.operation]),
    [["bosun", "Update"]],
    "one writer",
  );

  // SIGTERM: the leader releases the Lease; the standby leads, reconciles what is there, and unseals what is new.
  const going = agents.get(leader) as AgentProcess;
  const exited = new Promise((r) => going.child.once("exit", r));
  going.child.kill("SIGTERM");
  await exited;
  assert.match(going.output(), /bosun agent stopped/);
  await waitFor("the standby holds the Lease", async () => lease()?.spec.holderIdentity === standby, {
    timeoutMs: 30_000,
  });
  const took = await (agents.get(standby) as AgentProcess).waitForLog(
    "the new leader's sealed-secrets term",
    /leading: unsealing every SealedSecret/,
  );
  assert.equal(took.sealedSecrets, 1, "it reconciles the SealedSecret already there");
  work.kubectl(["apply", "-f", "-"], sealedFor(cert, work.name, "second", "second-token-8a2d"));
  await waitForToken(work, "second", "second-token-8a2d");
  await (agents.get(standby) as AgentProcess).waitForLog("the new leader's unseal", unsealedLine(work, "second"));
  assert.doesNotMatch(log(standby), unsealedLine(work, "first"), "the new leader rewrote an up-to-date Secret");
  assert.equal(secretOf(work, "first")?.metadata.resourceVersion, first.metadata.resourceVersion, "not rewritten");
  assert.equal(keySecrets(ns).length, 1, "the new leader made no key: it had the leader's");
  assert.doesNotMatch(log(standby), /created a new sealing key/);
});

/** A leadership the test hands out and takes back. */
class HandedLeadership implements SealedSecretsLeadership {
  private term: AbortController | undefined;
  private readonly listeners = new Set<(term: AbortSignal) => void>();

  onLeading(listener: (term: AbortSignal) => void): () => void {
    this.listeners.add(listener);
    if (this.term && !this.term.signal.aborted) listener(this.term.signal);
    return () => void this.listeners.delete(listener);
  }

  lead(): void {
    this.term = new AbortController();
    for (const listener of this.listeners) listener(this.term.signal);
  }

  stepDown(): void {
    this.term?.abort();
  }
}

const quiet: SealedSecretsLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

test("a standby learns the leader's key from its watch, makes no key itself, and renews an overdue one once it leads", async (t) => {
  const ns = await testNamespace(t);
  const work = await testNamespace(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // two controllers' watches and servers hang off it
  const controllers: SealedSecretController[] = [];
  t.after(async () => {
    stop.abort();
    await Promise.all(controllers.map((c) => c.done));
  });
  const start = async (leadership: SealedSecretsLeadership, keyRenewPeriodMs: number) => {
    const controller = new SealedSecretController({
      client,
      namespace: ns.name,
      port: 0,
      host: "127.0.0.1",
      keySize: 2048,
      keyRenewPeriodMs,
      watchNamespaces: [work.name],
      leadership,
      log: quiet,
    });
    controllers.push(controller);
    await controller.start(stop.signal);
    return controller;
  };

  // The standby starts first, with no key anywhere: no certificate, and no key on request.
  const standbyTurn = new HandedLeadership();
  const standby = await start(standbyTurn, 1500);
  assert.equal(standby.isLeading(), false);
  assert.equal((await served(standby.port ?? 0)).status, 500);
  await assert.rejects(standby.rotateKey(), NotLeaderError);

  // The leader makes the first key; the standby registers it from its key Secret watch.
  const leaderTurn = new HandedLeadership();
  leaderTurn.lead();
  const leader = await start(leaderTurn, 0);
  await waitFor("the leader's first key", async () => keySecrets(ns).length === 1, { timeoutMs: 30_000 });
  const cert = certOf(keySecrets(ns)[0]);
  await waitFor("the standby serving the leader's key", async () => (await served(standby.port ?? 0)).body === cert, {
    timeoutMs: 30_000,
  });
  assert.equal(leader.certificatePem(), cert);

  // /v1/verify and /v1/rotate only read keys: the standby answers them, and writes nothing.
  const sealed = sealedFor(cert, work.name, "api", "api-token-93fe");
  for (const path of ["/v1/verify", "/v1/rotate"]) {
    const res = await fetch(`http://127.0.0.1:${standby.port}${path}`, { method: "POST", body: sealed });
    assert.equal(res.status, 200, `${path} on the standby`);
    await res.body?.cancel();
  }

  // Its renewal period has passed many times over (1.5 s) while it stood by: it made no key.
  await new Promise((r) => setTimeout(r, 4000));
  assert.equal(keySecrets(ns).length, 1, "a standby renewed");

  // Leading now, it goes by the keys as they are: the newest is overdue, so it renews at once.
  leaderTurn.stepDown();
  standbyTurn.lead();
  assert.equal(standby.isLeading(), true);
  // The key Secret shows in the API before the create call has returned to the controller (kubectl runs
  // while the response waits in the socket): wait for the controller to seal with it before ending its term.
  await waitFor(
    "the new leader's renewal",
    async () => keySecrets(ns).length >= 2 && standby.certificatePem() !== cert,
    { timeoutMs: 30_000 },
  );
  standbyTurn.stepDown();
  const renewed = keySecrets(ns)
    .map(certOf)
    .filter((pem) => pem !== cert);
  assert.deepEqual(renewed, [standby.certificatePem()], "it seals with the one key it renewed");
  await waitFor(
    "the old leader serving the renewed key",
    async () => (await served(leader.port ?? 0)).body === standby.certificatePem(),
    { timeoutMs: 30_000 },
  );
  await assert.rejects(leader.rotateKey(), NotLeaderError, "a former leader makes no key");
});
