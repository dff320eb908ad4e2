// An Application whose repository holds a Secret encrypted by the real sops (age): it syncs, the Secret
// holds the plaintext, and no value appears in the agent's log, the status or `bosun app get`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { toolPath } from "../../src/tools/locate.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const PLAINTEXT = "s3cr3t-db-password-9f2c";

test("a SOPS-encrypted Secret in Git is decrypted inside the cluster and never shown", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, dest, temp } = setup;
  const work = await temp.make("bosun-sops-app-");
  const keyFile = join(work, "key.txt");
  execFileSync(toolPath("age-keygen"), ["-o", keyFile], { stdio: "pipe" });
  const recipient = /# public key: (age1\S+)/.exec(readFileSync(keyFile, "utf8"))?.[1] ?? "";
  const secretYaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  password: ${PLAINTEXT}\n`;
  const plainFile = join(work, "secret.yaml");
  execFileSync("sh", ["-c", `cat > "$1"`, "sh", plainFile], { input: secretYaml });
  const encrypted = execFileSync(
    toolPath("sops"),
    [
      "--encrypt",
      "--age",
      recipient,
      "--encrypted-regex",
      "^(data|stringData)$",
      "--input-type",
      "yaml",
      "--output-type",
      "yaml",
      plainFile,
    ],
    { env: { PATH: process.env.PATH ?? "", HOME: work, SOPS_DISABLE_VERSION_CHECK: "1" } },
  ).toString("utf8");
  assert.ok(!encrypted.includes(PLAINTEXT), "the file in Git is encrypted");

  const sha = await setup.repo.commit("encrypted secret", {
    "app/secret.yaml": encrypted,
    "app/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: b\n",
  });
  ns.kubectl(["create", "secret", "generic", "sops-age", `--from-file=identity.agekey=${keyFile}`]);
  const agent = await startTestAgent(t, ns);
  applyApplication(setup, "sops", {
    path: "app",
    interval: "2s",
    source: { decryption: { provider: "sops", secretRef: { name: "sops-age" } } },
  });
  const app = await waitForApp(ns, "sops", "the app to be Synced and Healthy", syncedAndHealthy(sha));
  const data = JSON.parse(ns.kubectl(["-n", dest, "get", "secret", "db", "-o", "jsonpath={.data}"])) as Record<
    string,
    string
  >;
  assert.equal(Buffer.from(data.password ?? "", "base64").toString("utf8"), PLAINTEXT);
  const secret = ns.kubectl(["-n", dest, "get", "secret", "db", "-o", "json"]);
  assert.ok(!secret.includes("ENC["), "no ciphertext reached the cluster");
  assert.equal((JSON.parse(secret) as { sops?: unknown }).sops, undefined, "nor the sops metadata");

  // Where people look, the value never shows.
  const shown = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "app",
      "get",
      "sops",
      "--kubeconfig",
      ns.kubeconfig,
      "--app-namespace",
      ns.name,
    ],
    { encoding: "utf8" },
  );
  assert.match(shown, /Secret\s+\S+\s+db\s+Synced/);
  for (const text of [
    shown,
    JSON.stringify(app.status),
    agent.logs.join(""),
    ns.kubectl(["get", "events", "-o", "json"]),
  ]) {
    assert.ok(!text.includes(PLAINTEXT), "the plaintext appears nowhere");
    assert.ok(!text.includes(Buffer.from(PLAINTEXT).toString("base64")), "nor its base64");
  }
});
