// go-yaml v3's typing of plain scalars. Each surprising case here was checked against the real sops
// 3.13.2 (the type it gave the encrypted value, or how it failed).
import assert from "node:assert/strict";
import { test } from "node:test";
import { plainWouldNotBeString, resolvePlainScalar, resolveTaggedScalar, UnsignedIntError } from "./go-yaml-resolve.js";

test("plain scalars get go-yaml's types", () => {
  const cases: Array<[string, unknown]> = [
    ["42", { kind: "int", value: 42n }],
    ["0x1F", { kind: "int", value: 31n }],
    ["0o17", { kind: "int", value: 15n }],
    ["017", { kind: "int", value: 15n }],
    ["1_000", { kind: "int", value: 1000n }],
    ["08", { kind: "float", value: 8 }],
    ["1e21", { kind: "float", value: 1e21 }],
    ["99999999999999999999999", { kind: "float", value: 1e23 }],
    [".5", { kind: "float", value: 0.5 }],
    ["-.5", { kind: "float", value: -0.5 }],
    [".inf", { kind: "float", value: Number.POSITIVE_INFINITY }],
    ["-.Inf", { kind: "float", value: Number.NEGATIVE_INFINITY }],
    ["true", { kind: "bool", value: true }],
    ["FALSE", { kind: "bool", value: false }],
    ["~", { kind: "null" }],
    ["", { kind: "null" }],
    ["2024-01-02", { kind: "time", value: "2024-01-02T00:00:00Z" }],
    ["2024-01-02T03:04:05.120+02:00", { kind: "time", value: "2024-01-02T03:04:05.12+02:00" }],
    ["yes", { kind: "str", value: "yes" }],
    ["on", { kind: "str", value: "on" }],
    ["1e400", { kind: "str", value: "1e400" }],
    ["1.2.3", { kind: "str", value: "1.2.3" }],
    ["-", { kind: "str", value: "-" }],
    ["<<", { kind: "str", value: "<<" }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(resolvePlainScalar(text), expected, text);
  assert.ok(Number.isNaN((resolvePlainScalar(".nan") as { value: number }).value));
});

test("an integer beyond int64 but within uint64 is an error, as sops cannot walk a uint64", () => {
  assert.throws(() => resolvePlainScalar("18446744073709551615"), UnsignedIntError);
});

test("explicit tags: an int is accepted as a float, a mismatch is refused, other tags are strings", () => {
  assert.deepEqual(resolveTaggedScalar("tag:yaml.org,2002:float", "1"), { kind: "float", value: 1 });
  assert.deepEqual(resolveTaggedScalar("tag:yaml.org,2002:int", "0x10"), { kind: "int", value: 16n });
  assert.equal(resolveTaggedScalar("tag:yaml.org,2002:int", "abc"), undefined);
  assert.deepEqual(resolveTaggedScalar("!custom", "5"), { kind: "str", value: "5" });
});

test("strings that a YAML reader would type are marked for quoting", () => {
  for (const s of ["123", "true", "yes", "on", "1e400", "0x1F", "1_000", "2024-01-02", "", "null", "1:20", ".inf"]) {
    assert.equal(plainWouldNotBeString(s), true, s);
  }
  for (const s of ["hello", "1.2.3", "a: b", "s3cr3t"]) assert.equal(plainWouldNotBeString(s), false, s);
});
