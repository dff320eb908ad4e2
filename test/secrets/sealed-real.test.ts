// Cross-checks of bosun's Sealed Secrets with the real, pinned kubeseal on the real control plane:
// kubeseal seals with the certificate bosun's controller serves and bosun's controller unseals (each scope);
// `bosun seal` output is opened by `kubeseal --recovery-unseal` with bosun's private key; bad input leaves
// the previous Secret alone, says why in a Synced=False condition, and no plaintext reaches logs, status or events.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import {
  parseSecret,
  SEALED_SECRET_API_VERSION,
  SEALED_SECRET_KIND,
  SEALING_KEY_LABEL,
  SealedSecretController,
  type SealedSecretsLogger,
  sealingPublicKey,
  sealSecret,
} from "../../src/secrets/index.js";
import { toolPath } from "../../src/tools/locate.js";
import { type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";
import { freePort, httpStatus, waitFor } from "../harness/net.js";

const KUBESEAL = toolPath("kubeseal");
const REPO = join(import.meta.dirname, "../..");

interface Running {
  controller: SealedSecretController;
  client: KubeClient;
  certUrl: string;
  logs: string[];
}

/** bosun's controller with its keys in `ns`, on a free loopback port; stopped when the test ends. */
async function startController(
  t: { after: (fn: () => void | Promise<void>) => void },
  ns: TestNamespace,
  keySize = 2048,
): Promise<Running> {
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const logs: string[] = [];
  const capture =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      logs.push(JSON.stringify({ level, message, ...fields }));
      if (process.env.SEALED_DEBUG) console.error(logs.at(-1));
    };
  const log: SealedSecretsLogger = { info: capture("info"), warn: capture("warn"), error: capture("error") };
  const stop = new AbortController();
  const controller = new SealedSecretController({
    client,
    namespace: ns.name,
    port: 0,
    host: "127.0.0.1",
    keySize,
    log,
  });
  t.after(async () => {
    stop.abort();
    await controller.done;
  });
  await controller.start(stop.signal);
  return { controller, client, certUrl: `http://127.0.0.1:${controller.port}/v1/cert.pem`, logs };
}

/** Runs a command without blocking the event loop (the controller serving its certificate lives in this process). */
async function run(
  command: string,
  args: string[],
  options: { input: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<{ status: number; stdout: string; stderr: string }> {
  return await new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input);
  });
}

async function kubeseal(ns: TestNamespace, args: string[], input: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), "bosun-kubeseal-home-"));
  try {
    const r = await run(KUBESEAL, args, {
      input,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, KUBECONFIG: ns.kubeconfig },
    });
    assert.equal(r.status, 0, `kubeseal ${args.join(" ")} failed:\n${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function bosun(args: string[], input: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { input, cwd: REPO });
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

function secretYaml(
  meta: { name: string; namespace?: string; annotations?: Record<string, string> },
  data: Record<string, string>,
): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { ...meta, labels: { app: "billing", tier: "db" } },
    type: "Opaque",
    stringData: data,
  });
}

async function getSecret(client: KubeClient, namespace: string, name: string): Promise<KubeObject | undefined> {
  return await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
}

async function getSealed(client: KubeClient, namespace: string, name: string): Promise<KubeObject | undefined> {
  return await client.get({ apiVersion: SEALED_SECRET_API_VERSION, kind: SEALED_SECRET_KIND, namespace, name });
}

interface Synced {
  status?: string;
  message?: string;
  reason?: string;
}

function syncedOf(obj: KubeObject | undefined): Synced | undefined {
  const status = obj?.status as { conditions?: Array<Synced & { type: string }> } | undefined;
  return status?.conditions?.find((c) => c.type === "Synced");
}

function observedGeneration(obj: KubeObject | undefined): number | undefined {
  return (obj?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
}

/** Waits until the SealedSecret's status reports its current generation with Synced = want. */
async function waitSynced(
  client: KubeClient,
  namespace: string,
  name: string,
  want: "True" | "False",
): Promise<Synced> {
  let last: KubeObject | undefined;
  await waitFor(
    `SealedSecret ${namespace}/${name} Synced=${want}`,
    async () => {
      last = await getSealed(client, namespace, name);
      return syncedOf(last)?.status === want && observedGeneration(last) === last?.metadata.generation;
    },
    { timeoutMs: 60_000, detail: () => JSON.stringify(last?.status) },
  );
  return syncedOf(last) ?? {};
}

function decoded(secret: KubeObject | undefined): Record<string, string> {
  const data = (secret as { data?: Record<string, string> } | undefined)?.data ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
}

async function waitSecretData(
  client: KubeClient,
  namespace: string,
  name: string,
  want: Record<string, string>,
): Promise<KubeObject> {
  let last: KubeObject | undefined;
  await waitFor(
    `Secret ${namespace}/${name} with the unsealed data`,
    async () => {
      last = await getSecret(client, namespace, name);
      return JSON.stringify(decoded(last)) === JSON.stringify(want);
    },
    { timeoutMs: 60_000, detail: () => `has keys ${Object.keys(decoded(last)).join(",") || "(no Secret)"}` },
  );
  return last as KubeObject;
}

test("Secrets sealed by the real kubeseal with the certificate bosun serves are unsealed by bosun, in each scope", async (t) => {
  const ctl = await testNamespace(t);
  const work = await testNamespace(t);
  const elsewhere = await testNamespace(t);
  const { client, certUrl, controller } = await startController(t, ctl, 4096);

  // The served certificate is the newest key Secret's, stored as Bitnami stores it.
  const keySecrets = parse(ctl.kubectl(["get", "secrets", "-l", `${SEALING_KEY_LABEL}=active`, "-o", "json"])) as {
    items: Array<KubeObject & { type: string; data: Record<string, string> }>;
  };
  assert.equal(keySecrets.items.length, 1);
  const keySecret = keySecrets.items[0] as KubeObject & { type: string; data: Record<string, string> };
  assert.equal(keySecret.type, "kubernetes.io/tls");
  assert.match(keySecret.metadata.name ?? "", /^sealed-secrets-key[a-z0-9]{5}$/);
  assert.match(Buffer.from(keySecret.data["tls.key"] ?? "", "base64").toString(), /^-----BEGIN RSA PRIVATE KEY-----/);
  const served = await (await fetch(certUrl)).text();
  assert.equal(served, Buffer.from(keySecret.data["tls.crt"] ?? "", "base64").toString());
  assert.equal(served, controller.certificatePem());
  assert.equal(sealingPublicKey(served).asymmetricKeyDetails?.modulusLength ?? 0, 4096);

  // strict: kubeseal fetches the certificate from bosun's URL.
  const strict = await kubeseal(
    ctl,
    ["--cert", certUrl, "-o", "json"],
    secretYaml(
      { name: "db-strict", namespace: work.name, annotations: { owner: "team-a" } },
      { password: "strict-plaintext-1", user: "admin" },
    ),
  );
  work.kubectl(["apply", "-f", "-"], strict);
  const strictSecret = await waitSecretData(client, work.name, "db-strict", {
    password: "strict-plaintext-1",
    user: "admin",
  });
  const strictSealed = await getSealed(client, work.name, "db-strict");
  assert.deepEqual(strictSecret.metadata.labels, { app: "billing", tier: "db" });
  assert.equal(strictSecret.metadata.annotations?.owner, "team-a");
  assert.equal((strictSecret as { type?: string }).type, "Opaque");
  assert.deepEqual(
    strictSecret.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
    [["SealedSecret", "db-strict", strictSealed?.metadata.uid, true]],
  );
  const synced = await waitSynced(client, work.name, "db-strict", "True");
  assert.equal(synced.message ?? "", "");

  // namespace-wide, chosen by the Secret's annotation: it also opens under another name in that namespace.
  const nsWide = await kubeseal(
    ctl,
    ["--cert", certUrl, "-o", "json"],
    secretYaml(
      { name: "db-ns", namespace: work.name, annotations: { "sealedsecrets.bitnami.com/namespace-wide": "true" } },
      { password: "namespace-wide-plaintext-2" },
    ),
  );
  const renamed = JSON.parse(nsWide) as KubeObject;
  renamed.metadata.name = "db-ns-renamed";
  work.kubectl(["apply", "-f", "-"], nsWide);
  work.kubectl(["apply", "-f", "-"], JSON.stringify(renamed));
  await waitSecretData(client, work.name, "db-ns", { password: "namespace-wide-plaintext-2" });
  await waitSecretData(client, work.name, "db-ns-renamed", { password: "namespace-wide-plaintext-2" });

  // cluster-wide (--scope): it opens in any namespace, under any name.
  const clusterWide = await kubeseal(
    ctl,
    ["--cert", certUrl, "--scope", "cluster-wide", "-o", "json"],
    secretYaml({ name: "db-any" }, { password: "cluster-wide-plaintext-3" }),
  );
  execFileSync(toolPath("kubectl"), ["--kubeconfig", ctl.kubeconfig, "-n", elsewhere.name, "apply", "-f", "-"], {
    input: clusterWide,
  });
  await waitSecretData(client, elsewhere.name, "db-any", { password: "cluster-wide-plaintext-3" });
  await waitSynced(client, elsewhere.name, "db-any", "True");

  // A strict seal does not open under another name: the renamed copy fails and gets no Secret.
  const strictRenamed = JSON.parse(strict) as KubeObject;
  strictRenamed.metadata.name = "db-strict-renamed";
  work.kubectl(["apply", "-f", "-"], JSON.stringify(strictRenamed));
  const failed = await waitSynced(client, work.name, "db-strict-renamed", "False");
  assert.match(failed.message ?? "", /no key could decrypt/);
  assert.equal(await getSecret(client, work.name, "db-strict-renamed"), undefined);

  // A deleted Secret comes back.
  work.kubectl(["delete", "secret", "db-strict"]);
  await waitSecretData(client, work.name, "db-strict", { password: "strict-plaintext-1", user: "admin" });
});

test("SealedSecrets from `bosun seal` open with the real kubeseal --recovery-unseal and bosun's private key", async (t) => {
  const ctl = await testNamespace(t);
  const work = await testNamespace(t);
  const { client, certUrl } = await startController(t, ctl);
  const dir = mkdtempSync(join(tmpdir(), "bosun-sealed-real-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  // --fetch-cert reads the key Secret through the API: the same certificate the controller serves.
  const fetched = await bosun(
    ["seal", "--fetch-cert", "--kubeconfig", ctl.kubeconfig, "--controller-namespace", ctl.name],
    "",
  );
  assert.equal(fetched.status, 0, fetched.stderr);
  assert.equal(fetched.stdout, await (await fetch(certUrl)).text());

  const keySecret = parse(ctl.kubectl(["get", "secrets", "-l", `${SEALING_KEY_LABEL}=active`, "-o", "json"])) as {
    items: Array<{ data: Record<string, string> }>;
  };
  const keyFile = join(dir, "bosun-key.pem");
  writeFileSync(keyFile, Buffer.from(keySecret.items[0]?.data["tls.key"] ?? "", "base64"), { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);

  const cases = [
    { scope: "strict", name: "api-strict", value: "bosun-sealed-strict-4" },
    { scope: "namespace-wide", name: "api-ns", value: "bosun-sealed-ns-5" },
    { scope: "cluster-wide", name: "api-cluster", value: "bosun-sealed-cluster-6" },
  ];
  for (const c of cases) {
    const input = secretYaml({ name: c.name, namespace: work.name }, { token: c.value });
    const sealed = await bosun(
      ["seal", "--kubeconfig", ctl.kubeconfig, "--controller-namespace", ctl.name, "--scope", c.scope],
      input,
    );
    assert.equal(sealed.status, 0, sealed.stderr);
    assert.doesNotMatch(sealed.stdout, new RegExp(c.value));
    const opened = JSON.parse(
      await kubeseal(ctl, ["--recovery-unseal", "--recovery-private-key", keyFile, "-o", "json"], sealed.stdout),
    ) as KubeObject;
    assert.deepEqual(decoded(opened), { token: c.value }, c.scope);
    assert.deepEqual(opened.metadata.labels, { app: "billing", tier: "db" });

    // And bosun's own controller unseals it on the cluster.
    work.kubectl(["apply", "-f", "-"], sealed.stdout);
    await waitSecretData(client, work.name, c.name, { token: c.value });
  }

  // --raw: one value, wrapped into a SealedSecret by hand, opens with kubeseal too.
  const raw = await bosun(
    ["seal", "--raw", "--cert", certUrl, "--namespace", work.name, "--name", "raw-one", "--from-file", "-"],
    "raw-plaintext-7",
  );
  assert.equal(raw.status, 0, raw.stderr);
  const wrapped = JSON.stringify({
    apiVersion: SEALED_SECRET_API_VERSION,
    kind: SEALED_SECRET_KIND,
    metadata: { name: "raw-one", namespace: work.name },
    spec: { encryptedData: { value: raw.stdout.trim() } },
  });
  const rawOpened = JSON.parse(
    await kubeseal(ctl, ["--recovery-unseal", "--recovery-private-key", keyFile, "-o", "json"], wrapped),
  ) as KubeObject;
  assert.deepEqual(decoded(rawOpened), { value: "raw-plaintext-7" });
});

test("bad input: moved, truncated, wrong-key and foreign Secrets give Synced=False, keep the previous Secret, and leak nothing", async (t) => {
  const ctl = await testNamespace(t);
  const work = await testNamespace(t);
  const other = await testNamespace(t);
  const { client, certUrl, logs } = await startController(t, ctl);
  const publicKey = sealingPublicKey(await (await fetch(certUrl)).text());
  const seal = (namespace: string, name: string, password: string, key = publicKey) =>
    sealSecret(
      parseSecret({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, stringData: { password } }),
      {
        publicKey: key,
      },
    );
  const plaintexts = ["original-plaintext-8", "moved-plaintext-9", "truncated-plaintext-10", "wrong-key-plaintext-11"];

  work.kubectl(["apply", "-f", "-"], JSON.stringify(seal(work.name, "db", "original-plaintext-8")));
  const original = await waitSecretData(client, work.name, "db", { password: "original-plaintext-8" });

  const attempts: Array<{ what: string; sealed: KubeObject; message: RegExp }> = [];
  // Sealed (strict) for the same name in another namespace, then moved here.
  const moved = seal(other.name, "db", "moved-plaintext-9");
  moved.metadata.namespace = work.name;
  attempts.push({ what: "moved", sealed: moved, message: /encryptedData\.password .*no key could decrypt/ });
  // A good value with its tail cut off.
  const truncated = seal(work.name, "db", "truncated-plaintext-10");
  const full = truncated.spec.encryptedData.password ?? "";
  truncated.spec.encryptedData.password = Buffer.from(full, "base64").subarray(0, 200).toString("base64");
  attempts.push({ what: "truncated", sealed: truncated, message: /truncated/ });
  // Sealed with a key this controller does not hold.
  const foreign = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
  attempts.push({
    what: "wrong key",
    sealed: seal(work.name, "db", "wrong-key-plaintext-11", foreign),
    message: /no key could decrypt it/,
  });

  for (const attempt of attempts) {
    work.kubectl(["apply", "-f", "-"], JSON.stringify(attempt.sealed));
    const condition = await waitSynced(client, work.name, "db", "False");
    assert.match(condition.message ?? "", attempt.message, attempt.what);
    assert.match(condition.message ?? "", /^Failed to unseal: SealedSecret\.bitnami\.com\//, attempt.what);
    const now = await getSecret(client, work.name, "db");
    assert.deepEqual(decoded(now), { password: "original-plaintext-8" }, `${attempt.what}: the Secret stays`);
    assert.equal(now?.metadata.resourceVersion, original.metadata.resourceVersion, `${attempt.what}: not rewritten`);
  }

  // A Secret bosun does not own is not overwritten, until it is annotated managed.
  work.kubectl(["create", "secret", "generic", "taken", "--from-literal=password=someone-elses"]);
  work.kubectl(["apply", "-f", "-"], JSON.stringify(seal(work.name, "taken", "takeover-plaintext-12")));
  const refused = await waitSynced(client, work.name, "taken", "False");
  assert.match(refused.message ?? "", /Resource "taken" already exists and is not managed by SealedSecret/);
  assert.deepEqual(decoded(await getSecret(client, work.name, "taken")), { password: "someone-elses" });
  work.kubectl(["annotate", "secret", "taken", "sealedsecrets.bitnami.com/managed=true"]);
  work.kubectl(["annotate", "sealedsecret", "taken", "retry=1"]);
  await waitSecretData(client, work.name, "taken", { password: "takeover-plaintext-12" });
  plaintexts.push("takeover-plaintext-12", "someone-elses");

  // Nothing secret in what the controller logged, wrote into statuses, or recorded as events.
  const statuses = work.kubectl(["get", "sealedsecrets", "-o", "json"]);
  const events = work.kubectl(["get", "events", "-o", "json"]);
  assert.match(events, /ErrUnsealFailed/);
  assert.ok(
    logs.some((l) => l.includes("SealedSecret not synced")),
    "the failures were logged",
  );
  const keyPem = Buffer.from(
    (
      parse(ctl.kubectl(["get", "secrets", "-l", `${SEALING_KEY_LABEL}=active`, "-o", "json"])) as {
        items: Array<{ data: Record<string, string> }>;
      }
    ).items[0]?.data["tls.key"] ?? "",
    "base64",
  ).toString();
  const keyBody = keyPem.split("\n")[5] ?? "";
  assert.ok(keyBody.length > 40);
  for (const [where, text] of [
    ["logs", logs.join("\n")],
    ["statuses", statuses],
    ["events", events],
  ] as const) {
    for (const secret of plaintexts) {
      assert.ok(!text.includes(secret), `${where} contain the plaintext ${secret}`);
      assert.ok(!text.includes(b64(secret)), `${where} contain the base64 of ${secret}`);
    }
    assert.ok(!text.includes("PRIVATE KEY") && !text.includes(keyBody), `${where} contain key material`);
  }
});

test("after a key rotation the newest key seals, older ones still decrypt, and a restart makes no new key", async (t) => {
  const ctl = await testNamespace(t);
  const work = await testNamespace(t);
  const stop = new AbortController();
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ctl.kubeconfig }));
  const first = new SealedSecretController({ client, namespace: ctl.name, port: 0, host: "127.0.0.1", keySize: 2048 });
  t.after(async () => {
    stop.abort();
    await first.done;
  });
  await first.start(stop.signal);
  const oldCert = first.certificatePem() ?? "";
  const oldSealed = sealSecret(
    parseSecret({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "old", namespace: work.name },
      stringData: { v: "old-key-13" },
    }),
    { publicKey: sealingPublicKey(oldCert) },
  );
  const rotated = await first.rotateKey();
  const newCert = await (await fetch(`http://127.0.0.1:${first.port}/v1/cert.pem`)).text();
  assert.notEqual(newCert, oldCert, "the served certificate is the new key's");
  assert.equal(first.keys()[0]?.fingerprint, rotated.fingerprint);
  work.kubectl(["apply", "-f", "-"], JSON.stringify(oldSealed));
  await waitSecretData(client, work.name, "old", { v: "old-key-13" });
  stop.abort();
  await first.done;

  const again = await startController(t, ctl);
  assert.equal(again.controller.keys().length, 2);
  assert.equal(again.controller.keys()[0]?.fingerprint, rotated.fingerprint);
  const keySecrets = parse(ctl.kubectl(["get", "secrets", "-l", `${SEALING_KEY_LABEL}=active`, "-o", "json"])) as {
    items: unknown[];
  };
  assert.equal(keySecrets.items.length, 2, "a restart reuses the stored keys");
});

test("`bosun sealed-secrets-controller` runs alone: makes its key, serves it, and stops on SIGTERM", async (t) => {
  const ctl = await testNamespace(t);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "sealed-secrets-controller",
      "--kubeconfig",
      ctl.kubeconfig,
      "--namespace",
      ctl.name,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
    ],
    { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  await waitFor(
    "the controller's /healthz",
    async () => (await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200,
    {
      timeoutMs: 90_000,
      detail: () => output,
    },
  );
  const served = await (await fetch(`http://127.0.0.1:${port}/v1/cert.pem`)).text();
  const keys = parse(ctl.kubectl(["get", "secrets", "-l", `${SEALING_KEY_LABEL}=active`, "-o", "json"])) as {
    items: Array<{ data: Record<string, string> }>;
  };
  assert.equal(keys.items.length, 1);
  assert.equal(served, Buffer.from(keys.items[0]?.data["tls.crt"] ?? "", "base64").toString());
  // /healthz answers as soon as the certificate server listens; the "started" line follows once the watch synced.
  await waitFor("the controller's start line", async () => /SealedSecret controller started/.test(output), {
    timeoutMs: 60_000,
    detail: () => output,
  });
  assert.match(output, /SealedSecret controller started/);
  assert.doesNotMatch(output, /PRIVATE KEY/);
  child.kill("SIGTERM");
  assert.equal(await exited, 0, output);
});
