// The shared vectors (values sealed by the real kubeseal, strict scope, my-namespace/my-secret) open with
// their controller key and only under their own label; values sealed here open under their scope's label only.
import assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { SealedValueError } from "./errors.js";
import { hybridDecrypt, hybridEncrypt } from "./hybrid-crypto.js";
import { encryptionLabel } from "./scope.js";

const VECTORS = fileURLToPath(new URL("../../../../shared/vectors/sealed-secrets/mikube-kseal/", import.meta.url));

function vectorFile(name: string): string {
  const path = `${VECTORS}${name}`;
  assert.ok(existsSync(path), `the shared Sealed Secrets vectors are missing: expected ${path}`);
  return readFileSync(path, "utf8");
}

interface ExpectedValue {
  file: string;
  yq_path: string;
  plaintext: string;
  decoded_len: number;
}

function vectorKey(): KeyObject {
  const secret = parse(vectorFile("example-key.yaml")) as { data: Record<string, string> };
  return createPrivateKey(Buffer.from(secret.data["tls.key"] ?? "", "base64").toString("utf8"));
}

/** The sealed value a yq path of the expected file points at. */
function sealedValue(file: string, yqPath: string): string {
  const doc = parse(vectorFile(file)) as { secrets: Array<{ value: string }>; secretMessage: string };
  const index = /^\.secrets\[(\d)\]/.exec(yqPath)?.[1];
  return index === undefined ? doc.secretMessage : (doc.secrets[Number(index)]?.value ?? "");
}

const expected = (JSON.parse(vectorFile("expected-decryption.json")) as { values: ExpectedValue[] }).values;

test("every kubeseal vector opens with the controller key under the label my-namespace/my-secret", () => {
  const key = vectorKey();
  assert.equal(expected.length, 6);
  for (const v of expected) {
    const sealed = Buffer.from(sealedValue(v.file, v.yq_path), "base64");
    assert.equal(sealed.length, v.decoded_len, `${v.file} ${v.yq_path}`);
    assert.equal(sealed.readUInt16BE(0), 512, "a 4096-bit key wraps the session key in 512 bytes");
    const plain = hybridDecrypt([key], sealed, encryptionLabel("strict", "my-namespace", "my-secret"));
    assert.equal(plain.toString("utf8"), v.plaintext);
  }
});

test("a kubeseal vector does not open under another namespace, name, or scope", () => {
  const key = vectorKey();
  const sealed = Buffer.from(sealedValue("dev-values.yaml", ".secretMessage"), "base64");
  for (const label of [
    encryptionLabel("strict", "other", "my-secret"),
    encryptionLabel("strict", "my-namespace", "other"),
    encryptionLabel("namespace-wide", "my-namespace", "my-secret"),
    encryptionLabel("cluster-wide", "my-namespace", "my-secret"),
    Buffer.from("my-namespacemy-secret"), // the concatenation the Bitnami crypto doc wrongly describes
  ]) {
    assert.throws(() => hybridDecrypt([key], sealed, label), /no key could decrypt/, label.toString());
  }
});

test("values sealed here open only under their own scope's label", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const labels = {
    strict: encryptionLabel("strict", "prod", "db"),
    namespaceWide: encryptionLabel("namespace-wide", "prod", "db"),
    clusterWide: encryptionLabel("cluster-wide", "prod", "db"),
  };
  assert.equal(labels.strict.toString(), "prod/db");
  assert.equal(labels.namespaceWide.toString(), "prod");
  assert.equal(labels.clusterWide.length, 0);
  for (const [scope, label] of Object.entries(labels)) {
    const sealed = hybridEncrypt(publicKey, Buffer.from(`secret for ${scope}`), label);
    assert.equal(sealed.readUInt16BE(0), 256);
    assert.equal(sealed.length, 2 + 256 + `secret for ${scope}`.length + 16);
    assert.equal(hybridDecrypt([privateKey], sealed, label).toString(), `secret for ${scope}`);
    for (const [other, otherLabel] of Object.entries(labels)) {
      if (other === scope) continue;
      assert.throws(() => hybridDecrypt([privateKey], sealed, otherLabel), SealedValueError, `${scope} vs ${other}`);
    }
  }
});

test("every key held is tried: a value sealed with an older key still opens", () => {
  const older = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const newer = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const label = encryptionLabel("strict", "ns", "s");
  const sealed = hybridEncrypt(older.publicKey, Buffer.from("old"), label);
  assert.equal(hybridDecrypt([newer.privateKey, older.privateKey], sealed, label).toString(), "old");
  assert.throws(() => hybridDecrypt([newer.privateKey], sealed, label), /no key could decrypt it \(tried 1 key\)/);
  assert.throws(() => hybridDecrypt([], sealed, label), /no sealing key is loaded/);
});

test("truncated or altered values are refused with what went wrong, never with the value", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const label = encryptionLabel("strict", "ns", "s");
  const sealed = hybridEncrypt(publicKey, Buffer.from("hunter2-plaintext"), label);
  assert.throws(() => hybridDecrypt([privateKey], sealed.subarray(0, 1), label), /shorter than its 2-byte header/);
  assert.throws(() => hybridDecrypt([privateKey], sealed.subarray(0, 200), label), /truncated \(200 bytes/);
  const cut = sealed.subarray(0, sealed.length - 3);
  assert.throws(() => hybridDecrypt([privateKey], cut, label), /session key opened but the data failed authentication/);
  const flipped = Buffer.from(sealed);
  flipped[flipped.length - 20] = (flipped[flipped.length - 20] ?? 0) ^ 1;
  try {
    hybridDecrypt([privateKey], flipped, label);
    assert.fail("an altered value decrypted");
  } catch (err) {
    assert.ok(err instanceof SealedValueError);
    assert.doesNotMatch(err.message, /hunter2/);
  }
});

test("an empty value round-trips (GCM of nothing is just the tag)", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sealed = hybridEncrypt(publicKey, Buffer.alloc(0), Buffer.alloc(0));
  assert.equal(sealed.length, 2 + 256 + 16);
  assert.equal(hybridDecrypt([privateKey], sealed, Buffer.alloc(0)).length, 0);
});
