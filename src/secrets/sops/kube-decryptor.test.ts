// The render hook: objects that carry a `sops` block come out decrypted, others untouched.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import type { KubeObject } from "../../api/index.js";
import { SopsFormatError, SopsKeyError, SopsMacError, SopsNoKeyError } from "./errors.js";
import { sopsDecryptor } from "./kube-decryptor.js";

const VECTORS = fileURLToPath(new URL("../../../../shared/vectors/sops/", import.meta.url));
const FIXTURES = new URL("./fixtures/", import.meta.url);

function vector(path: string): string {
  assert.ok(existsSync(VECTORS + path), `the shared SOPS vectors are missing: expected ${VECTORS}${path}`);
  return readFileSync(VECTORS + path, "utf8");
}
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const object = (yaml: string): KubeObject => parse(yaml) as KubeObject;

const FLUX_AGE = { age: [vector("fluxcd-kustomize-controller/keys/age.txt")], pgp: [] };

test("an object without a sops block passes through as the same object, and keys are not even read", async () => {
  const decrypt = sopsDecryptor({ age: ["not a key"], pgp: [] });
  const plain: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } };
  assert.equal(await decrypt({ object: plain }), plain);
  const withOtherSops: KubeObject = { ...plain, sops: "a field that happens to be called sops" };
  assert.equal(await decrypt({ object: withOtherSops }), withOtherSops);
});

test("a Secret encrypted with encrypted_regex is decrypted, its sops block gone", async () => {
  const decrypt = sopsDecryptor(FLUX_AGE);
  const result = await decrypt({
    file: "secrets/age.yaml",
    object: object(vector("fluxcd-kustomize-controller/files/algorithms_age.yaml")),
  });
  assert.deepEqual(result, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "age" },
    stringData: { key: "value" },
  });
  const global = await sopsDecryptor({ age: [vector("fluxcd-kustomize-controller/keys/age-global.txt")], pgp: [] })({
    object: object(vector("fluxcd-kustomize-controller/files/global_secret.yaml")),
  });
  assert.equal((global.stringData as Record<string, string>).key, "global-value");
});

test("a PGP-encrypted Secret is decrypted with an armored private key", async () => {
  const decrypt = sopsDecryptor({ age: [], pgp: [vector("fluxcd-kustomize-controller/keys/pgp.asc")] });
  const result = await decrypt({ object: object(vector("fluxcd-kustomize-controller/files/algorithms_pgp.yaml")) });
  assert.deepEqual(result.stringData, { key: "value" });
});

test("a Secret made by the real sops with --mac-only-encrypted and an unquoted timestamp is decrypted", async () => {
  const decrypt = sopsDecryptor({ age: [fixture("age-key-a.txt")], pgp: [] });
  const result = await decrypt({ object: object(fixture("secret-mac-only-encrypted.yaml.enc")) });
  assert.deepEqual(result.stringData, { username: "admin", password: "s3cr3t-p4ss" });
  assert.deepEqual(result.data, { token: "dG9rZW4tdmFsdWU=" });
  assert.equal(result.metadata.name, "database");
});

test("a wrong key is the no-usable-key error, naming the file and the object", async () => {
  const decrypt = sopsDecryptor({ age: [fixture("age-key-b.txt")], pgp: [] });
  await assert.rejects(
    decrypt({
      file: "secrets/age.yaml",
      object: object(vector("fluxcd-kustomize-controller/files/algorithms_age.yaml")),
    }),
    (e: unknown) =>
      e instanceof SopsNoKeyError &&
      e.message.startsWith("secrets/age.yaml (Secret/age): no usable key") &&
      e.message.includes("age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29"),
  );
});

test("bad keys fail on the first object that needs them", async () => {
  const decrypt = sopsDecryptor({ age: ["AGE-SECRET-KEY-1BROKEN"], pgp: [] });
  await assert.rejects(
    decrypt({ object: object(vector("fluxcd-kustomize-controller/files/algorithms_age.yaml")) }),
    SopsKeyError,
  );
});

test("one document of a multi-document file cannot be decrypted alone: its MAC covers all documents", async () => {
  const decrypt = sopsDecryptor({ age: [fixture("age-key-a.txt")], pgp: [] });
  const [first] = parseAllDocuments(fixture("multi-document.yaml.enc")).map((d) => d.toJS() as KubeObject);
  assert.ok(first);
  await assert.rejects(
    decrypt({ file: "multi.yaml", object: first }),
    (e: unknown) =>
      e instanceof SopsMacError &&
      e.message.startsWith("multi.yaml (an object whose kind or name is encrypted): MAC mismatch") &&
      e.message.includes("must be decrypted whole"),
  );
});

test("the documents of a multi-document file, given together, decrypt to what the real sops prints", async () => {
  const decrypt = sopsDecryptor({ age: [fixture("age-key-a.txt")], pgp: [] });
  const documents = parseAllDocuments(fixture("multi-document.yaml.enc")).map((d) => d.toJS() as KubeObject);
  const expected = parseAllDocuments(fixture("multi-document.yaml.sops-decrypt")).map((d) => d.toJS() as unknown);
  assert.ok(documents.length > 1);
  const decrypted = await Promise.all(
    documents.map((object, index) => decrypt({ file: "multi.yaml", object, fileDocuments: documents, index })),
  );
  assert.deepEqual(decrypted, expected);
});

test("a tampered document of a multi-document file fails the shared MAC, naming the file", async () => {
  const decrypt = sopsDecryptor({ age: [fixture("age-key-a.txt")], pgp: [] });
  const documents = parseAllDocuments(fixture("multi-document.yaml.enc")).map((d) => d.toJS() as KubeObject);
  const [, second] = documents;
  assert.ok(second);
  delete (second as Record<string, unknown>).apiVersion;
  await assert.rejects(
    decrypt({ file: "multi.yaml", object: documents[0] as KubeObject, fileDocuments: documents, index: 0 }),
    (e: unknown) => e instanceof SopsMacError && e.message.startsWith("multi.yaml: MAC mismatch"),
  );
});

test("an object whose sops block was stripped but whose values are still ciphertext is refused, not passed through", async () => {
  const stripped = object(vector("fluxcd-kustomize-controller/files/algorithms_age.yaml"));
  delete stripped.sops;
  await assert.rejects(
    sopsDecryptor(FLUX_AGE)({ file: "secrets/age.yaml", object: stripped }),
    (e: unknown) =>
      e instanceof SopsFormatError &&
      e.message ===
        "secrets/age.yaml (Secret/age): holds SOPS-encrypted values but no sops metadata; bosun will not apply ciphertext",
  );
  const noMac = object(vector("getsops-sops/files/no_mac.yaml"));
  await assert.rejects(
    sopsDecryptor({ age: [], pgp: [vector("getsops-sops/keys/sops_functional_tests_key.asc")] })({ object: noMac }),
    SopsMacError,
  );
});
