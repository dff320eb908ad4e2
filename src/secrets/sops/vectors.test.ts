// The shared SOPS vectors (files made by the real sops and Flux test suites, ../shared/vectors/sops):
// each decrypts to exactly the values expected-decryption.json lists, in MAC order, and its data key
// is the one listed there.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { armor, Decrypter } from "age-encryption";
import { prepareKeys, unwrapDataKey } from "./data-key.js";
import { decryptSops, parseSopsFile, type SopsFormat } from "./decrypt.js";
import { SopsMacError } from "./errors.js";
import { parseMetadata } from "./metadata.js";

const VECTORS = fileURLToPath(new URL("../../../../shared/vectors/sops/", import.meta.url));

function vector(path: string): Buffer {
  const full = `${VECTORS}${path}`;
  assert.ok(
    existsSync(full),
    `the shared SOPS vectors are missing: expected ${full} (shared/ must sit beside the checkout)`,
  );
  return readFileSync(full);
}

interface ExpectedValue {
  aad: string;
  type: string;
  plaintext: string;
}

interface ExpectedFile {
  format: SopsFormat;
  data_key_hex: string;
  unwrapped_by: string;
  values: ExpectedValue[];
  mac_check: string;
  comments?: ExpectedValue[];
}

const expected = JSON.parse(vector("expected-decryption.json").toString("utf8")) as Record<string, ExpectedFile>;

const KEYS = {
  age: [
    vector("fluxcd-kustomize-controller/keys/age.txt").toString("utf8"),
    vector("fluxcd-kustomize-controller/keys/age-global.txt").toString("utf8"),
  ],
  pgp: [
    vector("getsops-sops/keys/sops_functional_tests_key.asc").toString("utf8"),
    vector("fluxcd-kustomize-controller/keys/pgp.asc").toString("utf8"),
  ],
};

/** Every leaf of a decrypted document in document order, with SOPS's AAD (list items keep their parent's path). */
function leaves(value: unknown, path: string[] = []): Array<{ aad: string; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((item) => leaves(item, path));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, v]) => leaves(v, [...path, key]));
  }
  return value === null ? [] : [{ aad: `${path.join(":")}:`, value }];
}

/** A plaintext of expected-decryption.json as the value a YAML/JSON reader gets. */
function typed(v: ExpectedValue): unknown {
  if (v.type === "float") return Number(v.plaintext);
  if (v.type === "bool") return v.plaintext === "True";
  return v.plaintext;
}

for (const [path, file] of Object.entries(expected)) {
  if (file.mac_check !== "MATCH") continue;
  test(`vector ${path} decrypts to the expected values`, async () => {
    const result = await decryptSops({ content: vector(path), format: file.format, file: path, keys: KEYS });
    assert.equal(result.unwrappedBy, file.unwrapped_by);
    if (file.format === "binary") {
      const [only] = file.values;
      assert.ok(only);
      assert.deepEqual(Buffer.from(result.plaintext), Buffer.from(only.plaintext, "utf8"));
      return;
    }
    const got = result.documents.flatMap((doc) => leaves(doc));
    assert.deepEqual(
      got,
      file.values.map((v) => ({ aad: v.aad, value: typed(v) })),
    );
    for (const comment of file.comments ?? []) {
      assert.ok(
        (result.plaintext as string).includes(`#${comment.plaintext}\n`),
        `the decrypted comment ${JSON.stringify(comment.plaintext)} is in the plaintext`,
      );
    }
    assert.doesNotMatch(result.plaintext as string, /ENC\[AES256_GCM/);
  });

  test(`vector ${path}: the data key is the one expected-decryption.json lists`, async () => {
    const parsed = parseSopsFile(vector(path), file.format, path);
    const { key } = await unwrapDataKey(parseMetadata(parsed.metadata, path), await prepareKeys(KEYS), path);
    assert.equal(Buffer.from(key).toString("hex"), file.data_key_hex);
  });
}

test("no_mac.yaml, which has no MAC, is refused", async () => {
  await assert.rejects(
    decryptSops({ content: vector("getsops-sops/files/no_mac.yaml"), format: "yaml", file: "no_mac.yaml", keys: KEYS }),
    (e: unknown) => e instanceof SopsMacError && /no_mac\.yaml: the file has no MAC/.test(e.message),
  );
});

test("format.enc.env: the key keeps its trailing space and the value its leading one", async () => {
  const result = await decryptSops({
    content: vector("getsops-sops/files/format.enc.env"),
    format: "dotenv",
    keys: KEYS,
  });
  assert.equal(result.plaintext, "foo = bar\n");
  assert.deepEqual(result.documents, [{ "foo ": " bar" }]);
});

test("the age-pq vector (ML-KEM-768 + X25519 hybrid) decrypts with its AGE-SECRET-KEY-PQ identity", async () => {
  const result = await decryptSops({
    content: vector("fluxcd-kustomize-controller/files/algorithms_age-pq.yaml"),
    format: "yaml",
    keys: { age: [vector("fluxcd-kustomize-controller/keys/age-pq.txt").toString("utf8")], pgp: [] },
  });
  assert.match(result.unwrappedBy, /^age1pq1/);
  assert.deepEqual(result.documents, [
    { apiVersion: "v1", kind: "Secret", metadata: { name: "age-pq" }, stringData: { key: "value" } },
  ]);
});

test("the age unit vector: its identity opens it, the other identity does not", async () => {
  const file = armor.decode(vector("getsops-sops/age-unit/mock-encrypted-key.age").toString("utf8"));
  const identity = (name: string): string =>
    vector(`getsops-sops/age-unit/${name}`)
      .toString("utf8")
      .split("\n")
      .find((l) => l.startsWith("AGE-SECRET-KEY-")) ?? "";
  const good = new Decrypter();
  good.addIdentity(identity("mock-identity.txt"));
  assert.deepEqual(Buffer.from(await good.decrypt(file)), vector("getsops-sops/age-unit/mock-encrypted-key.plain"));
  const other = new Decrypter();
  other.addIdentity(identity("mock-other-identity.txt"));
  await assert.rejects(other.decrypt(file));
});
