import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { test } from "node:test";
import { type CertServerKeys, startCertServer } from "./cert-server.js";
import { generateSealingKey, parsePrivateKey, sealingPublicKey } from "./certificate.js";
import { sealSecret } from "./seal.js";
import { parseSealedSecret, parseSecret } from "./types.js";
import { unsealSecret } from "./unseal.js";

async function serve(t: { after: (fn: () => Promise<void>) => void }, keys: CertServerKeys): Promise<string> {
  const stop = new AbortController();
  const server = await startCertServer({ keys, port: 0, host: "127.0.0.1", signal: stop.signal });
  t.after(async () => {
    stop.abort();
    await server.closed;
  });
  return `http://127.0.0.1:${server.port}`;
}

function keysOf(pairs: Array<{ privateKey: KeyObject; publicKey: KeyObject; pem?: string }>): CertServerKeys {
  return {
    certificatePem: () => pairs[0]?.pem,
    sealingPublicKey: () => pairs[0]?.publicKey,
    privateKeys: () => pairs.map((p) => p.privateKey),
  };
}

const secretFor = (name: string) =>
  parseSecret({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "ns" }, stringData: { pw: "hunter2" } });

test("the certificate is served at kubeseal's path as a PEM, and /healthz answers", async (t) => {
  const key = await generateSealingKey({ keySize: 2048 });
  const pair = {
    privateKey: parsePrivateKey(key.privateKeyPem),
    publicKey: sealingPublicKey(key.certificatePem),
    pem: key.certificatePem,
  };
  const base = await serve(t, keysOf([pair]));
  const cert = await fetch(`${base}/v1/cert.pem`);
  assert.equal(cert.status, 200);
  assert.equal(cert.headers.get("content-type"), "application/x-pem-file");
  assert.equal(await cert.text(), key.certificatePem);
  const health = await fetch(`${base}/healthz`);
  assert.equal(await health.text(), "ok\n");
  assert.equal((await fetch(`${base}/v1/nothing`)).status, 404);
  assert.equal((await fetch(`${base}/v1/cert.pem`, { method: "POST" })).status, 405);
});

test("without a key the certificate path answers 500", async (t) => {
  const base = await serve(t, keysOf([]));
  assert.equal((await fetch(`${base}/v1/cert.pem`)).status, 500);
});

test("/v1/verify says 200 or 409 without echoing values; /v1/rotate re-seals with the newest key", async (t) => {
  const old = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const current = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const base = await serve(t, keysOf([current, old]));
  const sealedOld = sealSecret(secretFor("db"), { publicKey: old.publicKey });
  const verify = (body: string) => fetch(`${base}/v1/verify`, { method: "POST", body });
  assert.equal((await verify(JSON.stringify(sealedOld))).status, 200);
  const moved = { ...sealedOld, metadata: { ...sealedOld.metadata, namespace: "elsewhere" } };
  const refused = await verify(JSON.stringify(moved));
  assert.equal(refused.status, 409);
  assert.doesNotMatch(await refused.text(), /hunter2/);
  assert.equal((await verify("{not yaml: [")).status, 400);
  assert.equal((await fetch(`${base}/v1/verify`)).status, 405);

  const rotated = await fetch(`${base}/v1/rotate`, { method: "POST", body: JSON.stringify(sealedOld) });
  assert.equal(rotated.status, 200);
  const resealed = parseSealedSecret(await rotated.json());
  assert.notEqual(resealed.spec.encryptedData.pw, sealedOld.spec.encryptedData.pw);
  const opened = unsealSecret(resealed, [current.privateKey]);
  assert.equal(Buffer.from(opened.data?.pw ?? "", "base64").toString(), "hunter2");
  assert.throws(() => unsealSecret(resealed, [old.privateKey]), /no key could decrypt/);
});
