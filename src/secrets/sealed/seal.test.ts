import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import { SealInputError } from "./errors.js";
import { hybridDecrypt } from "./hybrid-crypto.js";
import { encryptionLabel } from "./scope.js";
import { sealSecret, sealValue } from "./seal.js";
import { parseSecret } from "./types.js";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const NW = "sealedsecrets.bitnami.com/namespace-wide";
const CW = "sealedsecrets.bitnami.com/cluster-wide";

const secret = (extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  parseSecret({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db", namespace: "prod", ...meta },
    type: "Opaque",
    data: { binary: Buffer.from([0, 1, 2, 255]).toString("base64") },
    stringData: { password: "s3cr3t" },
    ...extra,
  });

const open = (value: string | undefined, label: Buffer) =>
  hybridDecrypt([privateKey], Buffer.from(value ?? "", "base64"), label);

test("a Secret seals as kubeseal writes it: template metadata and type, data and stringData sealed, sorted", () => {
  const sealed = sealSecret(
    secret(
      {},
      {
        labels: { app: "billing" },
        annotations: {
          team: "a",
          "kubectl.kubernetes.io/last-applied-configuration": '{"stringData":{"password":"s3cr3t"}}',
        },
        uid: "1234",
        resourceVersion: "99",
        creationTimestamp: "2020-01-01T00:00:00Z",
        ownerReferences: [{ apiVersion: "v1", kind: "X", name: "x", uid: "u" }],
      },
    ),
    { publicKey },
  );
  assert.equal(sealed.apiVersion, "bitnami.com/v1alpha1");
  assert.equal(sealed.kind, "SealedSecret");
  assert.deepEqual(sealed.metadata, { name: "db", namespace: "prod" });
  assert.deepEqual(sealed.spec.template, {
    metadata: { name: "db", namespace: "prod", labels: { app: "billing" }, annotations: { team: "a" } },
    type: "Opaque",
  });
  assert.deepEqual(Object.keys(sealed.spec.encryptedData), ["binary", "password"]);
  const label = encryptionLabel("strict", "prod", "db");
  assert.deepEqual([...open(sealed.spec.encryptedData.binary, label)], [0, 1, 2, 255]);
  assert.equal(open(sealed.spec.encryptedData.password, label).toString(), "s3cr3t");
  assert.doesNotMatch(JSON.stringify(sealed), /s3cr3t|czNjcjN0/, "no plaintext anywhere, last-applied dropped");
});

test("the scope comes from the Secret's annotations unless given, and is written on both metadata", () => {
  const byAnnotation = sealSecret(secret({}, { annotations: { [NW]: "true" } }), { publicKey });
  assert.deepEqual(byAnnotation.metadata.annotations, { [NW]: "true" });
  assert.deepEqual(byAnnotation.spec.template?.metadata?.annotations, { [NW]: "true" });
  assert.equal(
    open(byAnnotation.spec.encryptedData.password, encryptionLabel("namespace-wide", "prod", "")).toString(),
    "s3cr3t",
  );

  const overridden = sealSecret(secret({}, { annotations: { [NW]: "true" } }), { publicKey, scope: "cluster-wide" });
  assert.deepEqual(overridden.metadata.annotations, { [CW]: "true" });
  assert.deepEqual(overridden.spec.template?.metadata?.annotations, { [CW]: "true" });
  assert.equal(open(overridden.spec.encryptedData.password, Buffer.alloc(0)).toString(), "s3cr3t");

  const strict = sealSecret(secret({}, { annotations: { [CW]: "true" } }), { publicKey, scope: "strict" });
  assert.equal(strict.metadata.annotations, undefined);
  assert.equal(strict.spec.template?.metadata?.annotations, undefined);
});

test("name and namespace can be overridden, and they are what the label binds", () => {
  const sealed = sealSecret(secret(), { publicKey, name: "other", namespace: "staging" });
  assert.deepEqual(sealed.metadata, { name: "other", namespace: "staging" });
  assert.equal(sealed.spec.template?.metadata?.namespace, "staging");
  assert.equal(
    open(sealed.spec.encryptedData.password, encryptionLabel("strict", "staging", "other")).toString(),
    "s3cr3t",
  );
  assert.throws(() => open(sealed.spec.encryptedData.password, encryptionLabel("strict", "prod", "db")));
});

test("what cannot be sealed is refused: no namespace (strict, namespace-wide), no name, no data, bad base64", () => {
  const noNamespace = secret({}, { namespace: undefined });
  assert.throws(() => sealSecret(noNamespace, { publicKey }), /a strict seal needs a namespace/);
  assert.throws(() => sealSecret(noNamespace, { publicKey, scope: "namespace-wide" }), /needs a namespace/);
  const clusterWide = sealSecret(noNamespace, { publicKey, scope: "cluster-wide" });
  assert.equal(clusterWide.metadata.namespace, undefined);
  assert.throws(() => sealSecret(secret({}, { name: undefined }), { publicKey }), /no metadata.name/);
  const empty = secret({ data: undefined, stringData: undefined });
  assert.throws(() => sealSecret(empty, { publicKey }), SealInputError);
  assert.deepEqual(sealSecret(empty, { publicKey, allowEmptyData: true }).spec.encryptedData, {});
  assert.throws(() => sealSecret(secret({ data: { x: "not base64!" } }), { publicKey }), /data.x is not base64/);
});

test("stringData wins over data for the same key, as the API server merges them", () => {
  const sealed = sealSecret(secret({ data: { password: Buffer.from("old").toString("base64") } }), { publicKey });
  assert.equal(open(sealed.spec.encryptedData.password, encryptionLabel("strict", "prod", "db")).toString(), "s3cr3t");
});

test("raw values need the names their scope binds", () => {
  const strict = sealValue(Buffer.from("v"), { publicKey, scope: "strict", namespace: "ns", name: "n" });
  assert.equal(open(strict, encryptionLabel("strict", "ns", "n")).toString(), "v");
  assert.throws(() => sealValue(Buffer.from("v"), { publicKey, scope: "strict", namespace: "ns" }), /needs a name/);
  assert.throws(() => sealValue(Buffer.from("v"), { publicKey, scope: "namespace-wide" }), /needs a namespace/);
  const any = sealValue(Buffer.from("v"), { publicKey, scope: "cluster-wide" });
  assert.equal(open(any, Buffer.alloc(0)).toString(), "v");
});
