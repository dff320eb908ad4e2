import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Command, CommanderError } from "commander";
import { parse } from "yaml";
import {
  encryptionLabel,
  generateSealingKey,
  hybridDecrypt,
  parsePrivateKey,
  parseSealedSecret,
  unsealSecret,
} from "../secrets/index.js";
import { registerSealCommands } from "./seal-command.js";

let dir = "";
let certFile = "";
let privateKeyPem = "";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "bosun-seal-cli-"));
  const key = await generateSealingKey({ keySize: 2048 });
  certFile = join(dir, "cert.pem");
  writeFileSync(certFile, key.certificatePem);
  privateKeyPem = key.privateKeyPem;
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `bosun …` in-process with `stdin` as standard input; exit codes as main.ts maps them. */
async function bosun(args: string[], stdin = ""): Promise<{ out: string; err: string; exitCode: number }> {
  let out = "";
  let err = "";
  const io = {
    out: (s: string) => (out += s),
    err: (s: string) => (err += s),
    readStdin: async () => Buffer.from(stdin),
  };
  const program = new Command("bosun").exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerSealCommands(program, io);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    await program.parseAsync(args, { from: "user" });
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, exitCode: e.exitCode === 0 ? 0 : 2 };
    const error = e as Error;
    return { out, err: `${err}error: ${error.message}\n`, exitCode: error.name === "UsageError" ? 2 : 1 };
  }
}

const SECRET_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: prod
  labels: { app: billing }
type: Opaque
stringData:
  password: cli-plaintext
`;

test("bosun seal turns a YAML Secret on stdin into a SealedSecret that opens with the key", async () => {
  const r = await bosun(["seal", "--cert", certFile], SECRET_YAML);
  assert.equal(r.exitCode, 0, r.err);
  assert.doesNotMatch(r.out, /cli-plaintext/);
  const sealed = parseSealedSecret(parse(r.out));
  assert.deepEqual({ ...sealed.metadata }, { name: "db", namespace: "prod" });
  const secret = unsealSecret(sealed, [parsePrivateKey(privateKeyPem)]);
  assert.equal(Buffer.from(secret.data?.password ?? "", "base64").toString(), "cli-plaintext");
  assert.deepEqual(secret.metadata.labels, { app: "billing" });
});

test("JSON in, JSON out, with a scope and a name from the flags", async () => {
  const input = JSON.stringify(parse(SECRET_YAML));
  const r = await bosun(
    ["seal", "--cert", certFile, "-o", "json", "--scope", "namespace-wide", "--name", "db2"],
    input,
  );
  assert.equal(r.exitCode, 0, r.err);
  const sealed = parseSealedSecret(JSON.parse(r.out));
  assert.equal(sealed.metadata.name, "db2");
  assert.deepEqual(sealed.metadata.annotations, { "sealedsecrets.bitnami.com/namespace-wide": "true" });
  const value = Buffer.from(sealed.spec.encryptedData.password ?? "", "base64");
  assert.equal(
    hybridDecrypt([parsePrivateKey(privateKeyPem)], value, encryptionLabel("namespace-wide", "prod", "")).toString(),
    "cli-plaintext",
  );
});

test("--raw seals one value from stdin or a file for the scope's label", async () => {
  const fromStdin = await bosun(["seal", "--raw", "--cert", certFile, "--namespace", "ns", "--name", "n"], "raw-value");
  assert.equal(fromStdin.exitCode, 0, fromStdin.err);
  const key = parsePrivateKey(privateKeyPem);
  const open = (b64: string, label: Buffer) =>
    hybridDecrypt([key], Buffer.from(b64.trim(), "base64"), label).toString();
  assert.equal(open(fromStdin.out, encryptionLabel("strict", "ns", "n")), "raw-value");
  const file = join(dir, "value.txt");
  writeFileSync(file, "file-value");
  const fromFile = await bosun(["seal", "--raw", "--cert", certFile, "--scope", "cluster-wide", "--from-file", file]);
  assert.equal(fromFile.exitCode, 0, fromFile.err);
  assert.equal(open(fromFile.out, Buffer.alloc(0)), "file-value");
});

test("--fetch-cert with --cert prints the certificate", async () => {
  const r = await bosun(["seal", "--fetch-cert", "--cert", certFile]);
  assert.equal(r.exitCode, 0, r.err);
  assert.match(r.out, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
});

test("usage errors exit 2: bad scope, bad output, --raw without the names its scope needs, unknown flag", async () => {
  for (const args of [
    ["seal", "--cert", certFile, "--scope", "galaxy-wide"],
    ["seal", "--cert", certFile, "-o", "table"],
    ["seal", "--cert", certFile, "--raw", "--namespace", "ns"],
    ["seal", "--cert", certFile, "--raw", "--scope", "namespace-wide"],
    ["seal", "--cert", certFile, "--from-file", "x"],
    ["seal", "--no-such-flag"],
  ]) {
    const r = await bosun(args, SECRET_YAML);
    assert.equal(r.exitCode, 2, `${args.join(" ")}: ${r.err}`);
  }
});

test("failures exit 1 with a message: missing certificate, not a Secret, no namespace, several documents", async () => {
  const cases: Array<[string[], string, RegExp]> = [
    [["seal", "--cert", join(dir, "missing.pem")], SECRET_YAML, /cannot read the certificate/],
    [["seal", "--cert", certFile], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", /not a v1 Secret/],
    [["seal", "--cert", certFile], SECRET_YAML.replace("  namespace: prod\n", ""), /needs a namespace/],
    [["seal", "--cert", certFile], `${SECRET_YAML}---\n${SECRET_YAML}`, /expected one Secret .* got 2 documents/],
    [["seal", "--cert", "http://127.0.0.1:1/v1/cert.pem"], SECRET_YAML, /cannot fetch the certificate/],
  ];
  for (const [args, input, message] of cases) {
    const r = await bosun(args, input);
    assert.equal(r.exitCode, 1, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /cli-plaintext|\n\s+at /, "no value, no stack");
  }
});

test("sealed-secrets-controller rejects a bad port or renewal period as usage errors, before touching a cluster", async () => {
  for (const args of [
    ["sealed-secrets-controller", "--kubeconfig", join(dir, "none"), "--port", "http"],
    ["sealed-secrets-controller", "--kubeconfig", join(dir, "none"), "--port", "70000"],
    ["sealed-secrets-controller", "--kubeconfig", join(dir, "none"), "--key-renew-period", "30"],
  ]) {
    const r = await bosun(args);
    assert.equal(r.exitCode, 2, `${args.join(" ")}: ${r.err}`);
  }
});
