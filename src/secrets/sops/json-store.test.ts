import assert from "node:assert/strict";
import { test } from "node:test";
import { SopsFormatError } from "./errors.js";
import { emitJson, parseJsonTree } from "./json-store.js";

test("keys keep document order, integer-like ones included, and numbers are typed as SOPS 3.13 types them", () => {
  const tree = parseJsonTree('{"b": 1, "10": 2.0, "2": -0, "a": 1e2, "big": 9223372036854775808, "s": "\\u00e9"}', "t");
  assert.deepEqual(
    tree.entries.map((e) => (e.kind === "pair" && e.value.kind === "leaf" ? [e.key, e.value.value] : [])),
    [
      ["b", { kind: "int", value: 1n }],
      ["10", { kind: "float", value: 2 }],
      ["2", { kind: "int", value: 0n }],
      ["a", { kind: "float", value: 100 }],
      ["big", { kind: "float", value: 2 ** 63 }],
      ["s", { kind: "str", value: "é" }],
    ],
  );
});

test("emitJson writes tab-indented JSON with floats that stay floats", () => {
  const tree = parseJsonTree('{"i": 1, "f": 2.0, "e": 1e21, "l": [true, null, {}], "m": {}}', "t");
  assert.equal(
    emitJson(tree, "t"),
    '{\n\t"i": 1,\n\t"f": 2.0,\n\t"e": 1e+21,\n\t"l": [\n\t\ttrue,\n\t\tnull,\n\t\t{}\n\t],\n\t"m": {}\n}',
  );
});

test("invalid JSON is refused with a position, never the text", () => {
  for (const bad of [
    '["top-level array"]',
    '{"a": 1,}',
    '{"a": 01}',
    '{"a": "x" "b"}',
    '{"a": 1e400}',
    '{"a": "\\q"}',
    "{} extra",
  ]) {
    assert.throws(
      () => parseJsonTree(bad, "bad.json"),
      (e: unknown) =>
        e instanceof SopsFormatError && /^bad\.json: the JSON is not valid: .* at line 1, column \d+$/.test(e.message),
      bad,
    );
  }
});
