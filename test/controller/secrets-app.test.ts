// An Application whose repository holds a Secret encrypted by the real sops (age) and a SealedSecret sealed
// by the real kubeseal with the certificate `bosun agent --sealed-secrets` serves: the agent syncs both, the
// Secrets hold the plaintext, and no value appears in `bosun app diff`, `bosun app get`, the status, the
// Events or the agent's log. Then bad input (a SealedSecret sealed for another namespace, a tampered SOPS
// file): clear conditions, and the previous Secrets stay as they were.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { toolPath } from "../../src/tools/locate.js";
import { appTestSetup, getApp, syncedAndHealthy, waitForApp } from "./agent-harness.js";
import { startAgentProcess } from "./agent-process.js";

const SOPS_PLAINTEXT = "s3cr3t-db-password-9f2c";
const SEALED_PLAINTEXT = "sealed-api-token-71d4";
const MOVED_PLAINTEXT = "moved-api-token-30aa";
const REPO_ROOT = join(import.meta.dirname, "../..");

function secretYaml(name: string, namespace: string, key: string, value: string): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ntype: Opaque\nstringData:\n  ${key}: ${value}\n`;
}

function sopsEncrypt(work: string, recipient: string, plaintextYaml: string): string {
  const plainFile = join(work, "plain.yaml");
  writeFileSync(plainFile, plaintextYaml);
  return execFileSync(
    toolPath("sops"),
    ["--encrypt", "--age", recipient, "--encrypted-regex", "^(data|stringData)$", plainFile],
    { env: { PATH: process.env.PATH ?? "", HOME: work, SOPS_DISABLE_VERSION_CHECK: "1" } },
  ).toString("utf8");
}

function kubeseal(certUrl: string, secret: string): string {
  return execFileSync(toolPath("kubeseal"), ["--cert", certUrl, "-o", "yaml"], { input: secret }).toString("utf8");
}

function bosun(args: string[]): { status: number; out: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const secretValue = (json: string, key: string) =>
  Buffer.from((JSON.parse(json) as { data: Record<string, string> }).data[key] ?? "", "base64").toString("utf8");

function assertNoValue(texts: Record<string, string>, values: string[]): void {
  for (const [where, text] of Object.entries(texts))
    for (const value of values) {
      assert.ok(!text.includes(value), `a plaintext appears in ${where}`);
      assert.ok(!text.includes(Buffer.from(value).toString("base64")), `a base64 value appears in ${where}`);
    }
}

test("SOPS and Sealed Secrets in one repository: synced by `bosun agent --sealed-secrets`, never shown", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, dest, temp, repo } = setup;
  const work = await temp.make("bosun-secrets-app-");
  const keyFile = join(work, "key.txt");
  execFileSync(toolPath("age-keygen"), ["-o", keyFile], { stdio: "pipe" });
  const recipient = /# public key: (age1\S+)/.exec(readFileSync(keyFile, "utf8"))?.[1] ?? "";
  ns.kubectl(["create", "secret", "generic", "sops-age", `--from-file=identity.agekey=${keyFile}`]);

  const agent = startAgentProcess(t, ns, {
    args: [
      "--sealed-secrets",
      "--sealed-secrets-namespace",
      ns.name,
      "--sealed-secrets-listen",
      "127.0.0.1:0",
      "--sealed-secrets-watch",
      dest,
    ],
  });
  const serving = await agent.waitForLog("the sealing certificate to be served", /serving the sealing certificate/);
  const certUrl = `http://127.0.0.1:${String(serving.port)}/v1/cert.pem`;

  const encrypted = sopsEncrypt(work, recipient, secretYaml("db", dest, "password", SOPS_PLAINTEXT));
  const sealed = kubeseal(certUrl, secretYaml("api", dest, "token", SEALED_PLAINTEXT));
  assertNoValue({ "the SOPS file": encrypted, "the SealedSecret": sealed }, [SOPS_PLAINTEXT, SEALED_PLAINTEXT]);
  const first = await repo.commit("secrets", {
    "app/db-secret.yaml": encrypted,
    "app/api-sealed.yaml": sealed,
    "app/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n",
  });

  // Manual sync first, so that `app diff` has something to show.
  const application = (automated: boolean): string =>
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name: "secrets", namespace: ns.name },
      spec: {
        source: {
          repoURL: repo.fileUrl,
          path: "app",
          decryption: { provider: "sops", secretRef: { name: "sops-age" } },
        },
        destination: { namespace: dest },
        syncPolicy: {
          ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
          interval: "1s",
          syncOptions: ["CreateNamespace=true"],
        },
      },
    });
  ns.kubectl(["apply", "-f", "-"], application(false));
  await waitForApp(ns, "secrets", "the app to be compared", (a) => a.status?.sync?.status === "OutOfSync");
  const cli = ["--kubeconfig", ns.kubeconfig, "--app-namespace", ns.name];
  const diff = bosun(["app", "diff", "secrets", ...cli]);
  assert.match(diff.out, /Secret.*db/, diff.out);
  assert.match(diff.out, /SealedSecret.*api/, diff.out);

  ns.kubectl(["apply", "-f", "-"], application(true));
  const app = await waitForApp(ns, "secrets", "the app to be Synced and Healthy", syncedAndHealthy(first));
  const dbJson = ns.kubectl(["-n", dest, "get", "secret", "db", "-o", "json"]);
  assert.equal(secretValue(dbJson, "password"), SOPS_PLAINTEXT);
  assert.ok(!dbJson.includes("ENC["), "no SOPS ciphertext reached the cluster");
  const apiJson = ns.kubectl(["-n", dest, "get", "secret", "api", "-o", "json"]);
  assert.equal(secretValue(apiJson, "token"), SEALED_PLAINTEXT);
  assert.match(
    ns.kubectl(["-n", dest, "get", "secret", "api", "-o", "jsonpath={.metadata.ownerReferences[0].kind}"]),
    /SealedSecret/,
  );
  const got = bosun(["app", "get", "secrets", ...cli]);
  assert.match(got.out, /Secret\s+\S+\s+db\s+Synced/);
  assert.match(got.out, /SealedSecret\.bitnami\.com\s+\S+\s+api\s+Synced\s+Healthy\s+Unsealed/);

  // Bad input 1: a SealedSecret sealed for another namespace, under the same name. The Secret keeps its
  // value; the SealedSecret (and so the app) is Degraded, saying why.
  const moved = kubeseal(certUrl, secretYaml("api", `${dest}-elsewhere`, "token", MOVED_PLAINTEXT)).replace(
    `namespace: ${dest}-elsewhere`,
    `namespace: ${dest}`,
  );
  const second = await repo.commit("a SealedSecret from another namespace", { "app/api-sealed.yaml": moved });
  const degraded = await waitForApp(
    ns,
    "secrets",
    "the moved SealedSecret to be reported",
    (a) => a.status?.sync?.revision === second && a.status.health?.status === "Degraded",
  );
  const sealedResource = degraded.status?.resources?.find((r) => r.kind === "SealedSecret");
  assert.match(sealedResource?.healthMessage ?? "", /no key could decrypt/);
  assert.equal(secretValue(ns.kubectl(["-n", dest, "get", "secret", "api", "-o", "json"]), "token"), SEALED_PLAINTEXT);

  // Bad input 2: a tampered SOPS value. Render fails naming the file; nothing is applied or pruned.
  const tampered = encrypted.replace(
    /(password: ENC\[AES256_GCM,data:)([A-Za-z0-9+/])/,
    (_m, head: string, c: string) => {
      return `${head}${c === "A" ? "B" : "A"}`;
    },
  );
  assert.notEqual(tampered, encrypted);
  await repo.commit("tampered", { "app/db-secret.yaml": tampered });
  const failed = await waitForApp(
    ns,
    "secrets",
    "the tampered file to be reported",
    (a) => a.status?.conditions?.some((c) => c.type === "Ready" && c.reason === "RenderFailed") ?? false,
  );
  const ready = failed.status?.conditions?.find((c) => c.type === "Ready");
  assert.match(ready?.message ?? "", /app\/db-secret\.yaml/);
  assert.match(ready?.message ?? "", /MAC|decrypt|authenticat/i);
  assert.equal(secretValue(ns.kubectl(["-n", dest, "get", "secret", "db", "-o", "json"]), "password"), SOPS_PLAINTEXT);
  assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "plain", "-o", "jsonpath={.data.a}"]), "b");

  const final: Application = getApp(ns, "secrets");
  assertNoValue(
    {
      "bosun app diff": diff.out,
      "bosun app get": got.out,
      "bosun app get (after the bad input)": bosun(["app", "get", "secrets", ...cli]).out,
      "the Application's status": JSON.stringify([app.status, final.status]),
      "the agent's log": agent.output(),
      Events: ns.kubectl(["get", "events", "-A", "-o", "json"]),
    },
    [SOPS_PLAINTEXT, SEALED_PLAINTEXT, MOVED_PLAINTEXT],
  );
});
