// Files made by the real sops 3.13.2 (fixtures/README.md): bosun's plaintext means what `sops --decrypt`
// printed, every encrypted value comes back with the type its ENC[…] names, and comments come back.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { decryptSops, type SopsFormat } from "./decrypt.js";
import { SopsNoKeyError } from "./errors.js";
import { parseJsonTree } from "./json-store.js";
import type { TreeNode } from "./tree.js";
import { parseYamlFile } from "./yaml-store.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));
const ageKey = (k: "a" | "b" | "c"): string => fixture(`age-key-${k}.txt`).toString("utf8");
const KEY_A = { age: [ageKey("a")], pgp: [] };

const FORMATS: Record<string, SopsFormat> = { yaml: "yaml", json: "json", env: "dotenv", bin: "binary" };

/** The documents of a YAML or JSON text as go-yaml / SOPS types them, numbers compared as numbers. */
function goTyped(text: string, format: SopsFormat): unknown[] {
  const docs = format === "json" ? [parseJsonTree(text, "json")] : parseYamlFile(text, "yaml").documents;
  return docs.map((d) => comparable(d));
}

function comparable(node: TreeNode): unknown {
  if (node.kind === "map") {
    return node.entries.flatMap((e) => (e.kind === "pair" ? [[e.key, comparable(e.value)]] : []));
  }
  if (node.kind === "list") return node.items.flatMap((i) => (i.kind === "comment" ? [] : [comparable(i)]));
  const v = node.value;
  if (v.kind === "int") return Number(v.value);
  if (v.kind === "float") return Object.is(v.value, -0) ? 0 : v.value;
  if (v.kind === "null") return null;
  if (v.kind === "bytes") return Buffer.from(v.value).toString("utf8");
  return v.value;
}

/** [path, type] of every leaf, in order: for an encrypted leaf the type its ENC[…] names. */
function leafTypes(node: TreeNode, path = ""): Array<[string, string]> {
  if (node.kind === "map") {
    return node.entries.flatMap((e) => (e.kind === "pair" ? leafTypes(e.value, `${path}.${e.key}`) : []));
  }
  if (node.kind === "list") return node.items.flatMap((i) => (i.kind === "comment" ? [] : leafTypes(i, `${path}[]`)));
  const v = node.value;
  const encType = v.kind === "str" ? /^ENC\[AES256_GCM,.*,type:(\w+)\]$/.exec(v.value)?.[1] : undefined;
  if (encType === "comment" || v.kind === "null") return [];
  return [[path, encType ?? v.kind]];
}

function treesOf(text: string, format: SopsFormat): TreeNode[] {
  return format === "json" ? [parseJsonTree(text, "json")] : parseYamlFile(text, "yaml").documents;
}

const encrypted = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".enc"))
  .sort();

describe("fixtures made by the real sops", () => {
  for (const name of encrypted) {
    const base = name.slice(0, -".enc".length);
    const format = FORMATS[base.split(".").pop() ?? ""] ?? "yaml";
    const keys = base.startsWith("shamir-") ? { age: [ageKey("a"), ageKey("c")], pgp: [] } : KEY_A;
    const expectedName = readdirSync(FIXTURES).find((f) => f.startsWith(`${base}.sops-decrypt`)) ?? "";

    test(`${name} decrypts to what sops --decrypt printed (${expectedName})`, async () => {
      const result = await decryptSops({ content: fixture(name), format, file: name, keys });
      const expected = fixture(expectedName);
      if (format === "dotenv" || format === "binary") {
        assert.deepEqual(Buffer.from(result.plaintext), expected);
        assert.deepEqual(Buffer.from(result.plaintext), fixture(`${base}.plain`));
        return;
      }
      assert.equal(typeof result.plaintext, "string");
      assert.deepEqual(goTyped(result.plaintext as string, format), goTyped(expected.toString("utf8"), format));
      assert.doesNotMatch(result.plaintext as string, /ENC\[|^sops:|"sops":/m);
    });

    if (format === "yaml" || format === "json") {
      test(`${name}: every encrypted value comes back with the type its ENC[…] names`, async () => {
        const result = await decryptSops({ content: fixture(name), format, file: name, keys });
        const encTrees = treesOf(fixture(name).toString("utf8"), format);
        const plainTrees = treesOf(result.plaintext as string, format);
        const withoutSops = encTrees.map((t) => leafTypes(t).filter(([path]) => !path.startsWith(".sops")));
        assert.deepEqual(
          plainTrees.map((t) => leafTypes(t)),
          withoutSops,
        );
      });
    }
  }
});

test("types-and-comments: ints, floats, bools, times and strings keep their YAML types", async () => {
  const result = await decryptSops({ content: fixture("types-and-comments.yaml.enc"), format: "yaml", keys: KEY_A });
  const [doc] = result.documents as Array<Record<string, unknown>>;
  assert.ok(doc);
  assert.equal(doc.int, 42);
  // The plain document holds a JavaScript number (2^63 - 1 rounds to 2^63); the plaintext keeps every digit.
  assert.equal(doc.max_int64, 2 ** 63);
  assert.equal(doc.hex_int, 31);
  assert.equal(doc.legacy_octal_int, 15);
  assert.equal(doc.float_with_exponent, 1e21);
  assert.equal(doc.tiny_float, 1e-7);
  assert.equal(doc.infinity, Number.POSITIVE_INFINITY);
  assert.equal(doc.yes_bool, true);
  assert.equal(doc.quoted_number, "123");
  assert.equal(doc.yaml11_yes, "yes");
  assert.equal(doc.empty, "");
  assert.equal(doc.unicode, "héllo ✓");
  assert.equal(doc.timestamp, "2024-01-02T03:04:05.12+02:00");
  assert.equal(doc.multi_line, "first line\nsecond line\n");
  assert.equal(doc.nothing, null);
  // In the text: the exact int, a float that stays a float, a string that stays a string.
  const text = result.plaintext as string;
  assert.match(text, /^max_int64: 9223372036854775807$/m);
  assert.match(text, /^integral_float: 1\.0$/m);
  assert.match(text, /^negative_zero: -0\.0$/m);
  assert.match(text, /^quoted_number: "123"$/m);
  assert.match(text, /^yaml11_yes: "yes"$/m);
});

test("types-and-comments: encrypted comments are decrypted where they stood", async () => {
  const result = await decryptSops({ content: fixture("types-and-comments.yaml.enc"), format: "yaml", keys: KEY_A });
  const text = result.plaintext as string;
  assert.match(text, /^# a comment at the top of the file\nint: 42$/m);
  assert.match(text, /^ {2}# a comment inside a nested map\n {2}inner: 7 # a comment at the end of a line$/m);
  assert.match(text, /^# a comment before the last key\nlast: end$/m);
  assert.deepEqual(result.warnings, []);
});

test("list-comment: a comment between list items, which sops 3.13.2 itself refuses (MAC mismatch), decrypts", async () => {
  const result = await decryptSops({ content: fixture("list-comment.yaml.enc"), format: "yaml", keys: KEY_A });
  assert.equal(result.plaintext, "items:\n  - first\n  # a comment between list items\n  - second\n");
  assert.deepEqual(result.documents, [{ items: ["first", "second"] }]);
});

test("integer-like-keys: JSON keys stay in file order (the MAC order) and numbers keep int or float", async () => {
  const result = await decryptSops({ content: fixture("integer-like-keys.json.enc"), format: "json", keys: KEY_A });
  const text = result.plaintext as string;
  const keys = [...text.matchAll(/^\t"([^"]+)":/gm)].map((m) => m[1]);
  assert.deepEqual(keys, ["z", "10", "2", "1.5", "big", "small", "max", "over", "b", "n", "s", "arr", "e", "obj"]);
  assert.match(text, /"2": 2\.0,/);
  assert.match(text, /"max": 9223372036854775807,/);
  assert.match(text, /"big": 1e\+21,/);
});

test("shamir-2-of-3: any two of the three key groups give the data key; one is not enough", async () => {
  const content = fixture("shamir-2-of-3.yaml.enc");
  for (const pair of [
    ["a", "b"],
    ["b", "c"],
    ["a", "c"],
  ] as const) {
    const result = await decryptSops({ content, format: "yaml", keys: { age: pair.map((k) => ageKey(k)), pgp: [] } });
    assert.deepEqual(result.documents, [{ secret: "shared-by-three-groups", count: 3 }], pair.join("+"));
  }
  await assert.rejects(
    decryptSops({ content, format: "yaml", file: "shamir-2-of-3.yaml.enc", keys: { age: [ageKey("b")], pgp: [] } }),
    (e: unknown) =>
      e instanceof SopsNoKeyError &&
      /split over 3 key groups and needs 2; the keys given open 1/.test(e.message) &&
      e.recipients.age.length === 3,
  );
});

test("multi-document: both documents decrypt under the one MAC", async () => {
  const result = await decryptSops({ content: fixture("multi-document.yaml.enc"), format: "yaml", keys: KEY_A });
  assert.deepEqual(
    result.documents.map((d) => (d as { stringData: unknown }).stringData),
    [{ key: "one" }, { key: "two" }],
  );
  assert.match(result.plaintext as string, /\n---\n/);
});
