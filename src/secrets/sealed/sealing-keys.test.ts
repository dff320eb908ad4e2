import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { KubeObject } from "../../api/index.js";
import { generateSealingKey } from "./certificate.js";
import { SealingKeyError } from "./errors.js";
import {
  isSealingKeySecret,
  type SealingKey,
  SealingKeyRegistry,
  sealingKeyFromSecret,
  sealingKeySecret,
} from "./sealing-keys.js";

const VECTOR = fileURLToPath(
  new URL("../../../../shared/vectors/sealed-secrets/mikube-kseal/example-key.yaml", import.meta.url),
);

const stored = (
  key: { privateKeyPem: string; certificatePem: string },
  name: string,
  createdAt = "2030-01-01T00:00:00Z",
) => {
  const secret = sealingKeySecret(key, "bosun");
  return { ...secret, metadata: { ...secret.metadata, name, creationTimestamp: createdAt } } as KubeObject;
};

test("the key Secret a real Bitnami controller wrote (shared vector) is a usable sealing key", () => {
  assert.ok(existsSync(VECTOR), `missing vector ${VECTOR}`);
  const secret = parse(readFileSync(VECTOR, "utf8")) as KubeObject;
  assert.ok(isSealingKeySecret(secret));
  const key = sealingKeyFromSecret(secret);
  assert.equal(key.secretName, "sealed-secrets-keygvqgl");
  assert.equal(key.notBefore.toISOString().slice(0, 10), "2021-01-25");
  assert.equal(key.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
  assert.match(key.fingerprint, /^[0-9a-f]{64}$/);
});

test("a new key is stored as Bitnami stores it: generateName, label, kubernetes.io/tls, PKCS#1 tls.key", async () => {
  const generated = await generateSealingKey({ keySize: 2048 });
  const secret = sealingKeySecret(generated, "bosun");
  assert.deepEqual(secret.metadata, {
    generateName: "sealed-secrets-key",
    namespace: "bosun",
    labels: { "sealedsecrets.bitnami.com/sealed-secrets-key": "active" },
  });
  assert.equal(secret.type, "kubernetes.io/tls");
  assert.match(Buffer.from(secret.data["tls.key"] ?? "", "base64").toString(), /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.equal(Buffer.from(secret.data["tls.crt"] ?? "", "base64").toString(), generated.certificatePem);
  assert.equal(
    sealingKeyFromSecret(stored(generated, "sealed-secrets-keyabcde")).certificatePem,
    generated.certificatePem,
  );
});

test("unusable key Secrets are refused by name, never with their contents", async () => {
  const [a, b] = await Promise.all([generateSealingKey({ keySize: 2048 }), generateSealingKey({ keySize: 2048 })]);
  const mismatched = stored({ privateKeyPem: a.privateKeyPem, certificatePem: b.certificatePem }, "k1");
  assert.throws(() => sealingKeyFromSecret(mismatched), /k1: tls.crt does not belong to tls.key/);
  const missing = stored(a, "k2");
  delete (missing.data as Record<string, string>)["tls.crt"];
  assert.throws(() => sealingKeyFromSecret(missing), /k2 has no data.tls.crt/);
  const garbage = stored(
    {
      privateKeyPem: "-----BEGIN RSA PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END RSA PRIVATE KEY-----\n",
      certificatePem: a.certificatePem,
    },
    "k3",
  );
  try {
    sealingKeyFromSecret(garbage);
    assert.fail("accepted garbage");
  } catch (err) {
    assert.ok(err instanceof SealingKeyError);
    assert.equal(err.message, "key Secret k3: tls.key is not an RSA private key");
  }
});

test("the registry seals with the newest certificate and decrypts with all, newest first", async () => {
  const base = await generateSealingKey({ keySize: 2048 });
  const key = (name: string, notBefore: string, createdAt = "2030-01-01T00:00:00Z"): SealingKey => ({
    ...sealingKeyFromSecret(stored(base, name, createdAt)),
    notBefore: new Date(notBefore),
  });
  const registry = new SealingKeyRegistry();
  assert.equal(registry.latest(), undefined);
  assert.ok(registry.set(key("old", "2030-01-01T00:00:00Z")));
  assert.ok(registry.set(key("new", "2030-02-01T00:00:00Z")));
  assert.ok(registry.set(key("tie-created-later", "2030-02-01T00:00:00Z", "2030-02-01T00:00:05Z")));
  assert.deepEqual(
    registry.all().map((k) => k.secretName),
    ["tie-created-later", "new", "old"],
  );
  assert.equal(registry.latest()?.secretName, "tie-created-later");
  assert.equal(registry.privateKeys().length, 3);
  assert.equal(registry.set(key("old", "2030-01-01T00:00:00Z")), false, "the same key again is no change");
  assert.ok(registry.delete("tie-created-later"));
  assert.equal(registry.latest()?.secretName, "new");
  assert.equal(registry.size, 2);
});
