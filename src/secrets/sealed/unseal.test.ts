import assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { UnsealError } from "./errors.js";
import { hybridEncrypt } from "./hybrid-crypto.js";
import { encryptionLabel, type SealingScope } from "./scope.js";
import { sealSecret } from "./seal.js";
import { parseSealedSecret, parseSecret, type SealedSecret } from "./types.js";
import { unsealSecret } from "./unseal.js";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const VECTORS = fileURLToPath(new URL("../../../../shared/vectors/sealed-secrets/mikube-kseal/", import.meta.url));

function sealed(scope: SealingScope, data: Record<string, string> = { password: "s3cr3t" }): SealedSecret {
  const out = sealSecret(
    parseSecret({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "prod", labels: { app: "billing" }, annotations: { team: "a" } },
      type: "kubernetes.io/basic-auth",
      stringData: data,
    }),
    { publicKey, scope },
  );
  out.metadata.uid = "uid-1";
  out.metadata.namespace = "prod";
  return out;
}

const decoded = (data: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));

test("a whole SealedSecret made by the real kubeseal's values (shared vector) unseals with its controller key", () => {
  const path = `${VECTORS}example-key.yaml`;
  assert.ok(existsSync(path), `missing vector ${path}`);
  const keySecret = parse(readFileSync(path, "utf8")) as { data: Record<string, string> };
  const key = createPrivateKey(Buffer.from(keySecret.data["tls.key"] ?? "", "base64").toString());
  const values = parse(readFileSync(`${VECTORS}dev-values.yaml`, "utf8")) as {
    secrets: Array<{ name: string; value: string }>;
    secretMessage: string;
  };
  const encryptedData = Object.fromEntries(values.secrets.map((s) => [s.name, s.value]));
  encryptedData.message = values.secretMessage;
  const object = parseSealedSecret({
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: { name: "my-secret", namespace: "my-namespace", uid: "u" },
    spec: { encryptedData },
  });
  assert.deepEqual(decoded(unsealSecret(object, [key]).data), {
    api_secret: "my-dev-api-secret",
    db_password: "my-password-for-dev-db",
    message: "This is a secret message",
  });
  object.metadata.namespace = "other-namespace";
  assert.throws(() => unsealSecret(object, [key]), /no key could decrypt/);
});

test("the Secret carries the template's metadata and type, the SealedSecret's name, and an owner reference", () => {
  const secret = unsealSecret(sealed("strict"), [privateKey]);
  assert.deepEqual(decoded(secret.data), { password: "s3cr3t" });
  assert.equal(secret.type, "kubernetes.io/basic-auth");
  assert.deepEqual(secret.metadata, {
    name: "db",
    namespace: "prod",
    labels: { app: "billing" },
    annotations: { team: "a" },
    ownerReferences: [
      { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret", name: "db", uid: "uid-1", controller: true },
    ],
  });
});

test("strict: neither another namespace nor another name opens it", () => {
  for (const move of [{ namespace: "staging" }, { name: "db2" }]) {
    const s = sealed("strict");
    Object.assign(s.metadata, move);
    try {
      unsealSecret(s, [privateKey]);
      assert.fail(`opened after ${JSON.stringify(move)}`);
    } catch (err) {
      assert.ok(err instanceof UnsealError);
      assert.match(
        err.message,
        /^SealedSecret\.bitnami\.com\/\S+: cannot decrypt encryptedData\.password \(scope strict/,
      );
      assert.doesNotMatch(err.message, /s3cr3t/);
    }
  }
});

test("namespace-wide opens under another name but not in another namespace; cluster-wide opens anywhere", () => {
  const renamed = sealed("namespace-wide");
  renamed.metadata.name = "renamed";
  assert.equal(decoded(unsealSecret(renamed, [privateKey]).data).password, "s3cr3t");
  const moved = sealed("namespace-wide");
  moved.metadata.namespace = "staging";
  assert.throws(() => unsealSecret(moved, [privateKey]), /scope namespace-wide, namespace "staging"/);
  const anywhere = sealed("cluster-wide");
  Object.assign(anywhere.metadata, { namespace: "elsewhere", name: "x" });
  const secret = unsealSecret(anywhere, [privateKey]);
  assert.equal(decoded(secret.data).password, "s3cr3t");
  assert.equal(secret.metadata.namespace, "elsewhere");
});

test("the label comes from the SealedSecret's own annotations, not the template's", () => {
  const s = sealed("cluster-wide");
  s.metadata.annotations = {}; // the scope annotation removed from the object, still in the template
  assert.throws(() => unsealSecret(s, [privateKey]), /scope strict/);
});

test("one bad item fails the whole unseal, naming the item", () => {
  const s = sealed("strict", { a: "1", b: "2" });
  s.spec.encryptedData.b = "AgA=";
  assert.throws(() => unsealSecret(s, [privateKey]), /encryptedData\.b .*truncated/);
  s.spec.encryptedData.b = "%%%";
  assert.throws(() => unsealSecret(s, [privateKey]), /encryptedData\.b: it is not base64/);
});

test("template data (Go templates) is refused clearly; skip-set-owner-references is honoured", () => {
  const templated = sealed("strict");
  templated.spec.template = { ...templated.spec.template, data: { "config.json": "{{ .password }}" } };
  assert.throws(
    () => unsealSecret(templated, [privateKey]),
    /spec\.template\.data \(templated keys: config\.json\) is not supported/,
  );
  const noOwner = sealed("strict");
  noOwner.spec.template = {
    ...noOwner.spec.template,
    metadata: { annotations: { "sealedsecrets.bitnami.com/skip-set-owner-references": "true" } },
  };
  assert.equal(unsealSecret(noOwner, [privateKey]).metadata.ownerReferences, undefined);
});

test("the deprecated spec.data blob (a whole Secret as JSON) unseals", () => {
  const blob = hybridEncrypt(
    publicKey,
    Buffer.from(JSON.stringify({ data: { a: Buffer.from("x").toString("base64") }, stringData: { b: "y" } })),
    encryptionLabel("strict", "prod", "old"),
  ).toString("base64");
  const s = parseSealedSecret({
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: { name: "old", namespace: "prod" },
    spec: { encryptedData: {}, data: blob },
  });
  assert.deepEqual(decoded(unsealSecret(s, [privateKey]).data), { a: "x", b: "y" });
});

test("objects that are not SealedSecrets are refused by the parser", () => {
  assert.throws(
    () => parseSealedSecret({ apiVersion: "v1", kind: "Secret", metadata: {} }),
    /not a bitnami\.com\/v1alpha1 SealedSecret/,
  );
  assert.throws(
    () =>
      parseSealedSecret({
        apiVersion: "bitnami.com/v1alpha1",
        kind: "SealedSecret",
        metadata: {},
        spec: { encryptedData: { a: 1 } },
      }),
    /spec\.encryptedData\.a must be a string/,
  );
  assert.throws(() => parseSecret({ apiVersion: "v1", kind: "ConfigMap" }), /not a v1 Secret/);
});
