import assert from "node:assert/strict";
import { test } from "node:test";
import { SopsFormatError, SopsUnsupportedError } from "./errors.js";
import { treeToPlain } from "./tree.js";
import { parseYamlFile } from "./yaml-store.js";

const plain = (yaml: string): unknown[] => parseYamlFile(yaml, "t.yaml").documents.map((d) => treeToPlain(d));

test("scalars are typed by go-yaml's rules, not YAML 1.2's", () => {
  assert.deepEqual(plain("a: 017\nb: 1_000\nc: yes\nd: 2024-01-02\ne: '017'\nf: !!str 5\ng: !!float 1\nh:\n"), [
    { a: 15, b: 1000, c: "yes", d: "2024-01-02T00:00:00Z", e: "017", f: "5", g: 1, h: null },
  ]);
});

test("the sops block is taken off the first document and given as plain values", () => {
  const parsed = parseYamlFile(
    "a: 1\nsops:\n  version: 3.13.2\n  shamir_threshold: 2\n---\nb: 2\nsops:\n  version: x\n",
    "t",
  );
  assert.deepEqual(parsed.metadata, { version: "3.13.2", shamir_threshold: "2" });
  assert.deepEqual(
    parsed.documents.map((d) => treeToPlain(d)),
    [{ a: 1 }, { b: 2 }],
  );
  assert.doesNotMatch(parsed.emit() as string, /sops/);
});

test("aliases are walked as their anchors' content (as sops expands them); the output keeps them", () => {
  const parsed = parseYamlFile("base: &b {x: 1}\ncopy: *b\n", "t");
  assert.deepEqual(
    parsed.documents.map((d) => treeToPlain(d)),
    [{ base: { x: 1 }, copy: { x: 1 } }],
  );
  assert.match(parsed.emit() as string, /copy: \*b/);
});

test("what sops refuses is refused: non-string keys, documents that are not maps, uint64 values", () => {
  assert.throws(
    () => parseYamlFile("80: http\n", "t"),
    (e: unknown) => e instanceof SopsFormatError && /is a int/.test(e.message),
  );
  assert.throws(() => parseYamlFile("? [a, b]\n: c\n", "t"), SopsFormatError);
  assert.throws(() => parseYamlFile("- a\n- b\n", "t"), /not a map/);
  assert.throws(() => parseYamlFile("n: 18446744073709551615\n", "t"), SopsUnsupportedError);
});
