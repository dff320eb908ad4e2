import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { JsonPointerError } from "./errors.js";
import { formatPointer, isAncestorPointer, parsePointer, removeInPlace, valueAt } from "./json-pointer.js";

describe("parsePointer / formatPointer (RFC 6901)", () => {
  const cases: Array<[string, string[]]> = [
    ["", []],
    ["/spec/replicas", ["spec", "replicas"]],
    ["/metadata/annotations/bosun.dev~1tracking-id", ["metadata", "annotations", "bosun.dev/tracking-id"]],
    ["/a~0b", ["a~b"]],
    ["/~01", ["~1"]],
    ["/a/", ["a", ""]],
    ["/spec/template/spec/containers/0/image", ["spec", "template", "spec", "containers", "0", "image"]],
  ];
  for (const [pointer, tokens] of cases) {
    test(`${JSON.stringify(pointer)} ⇄ ${JSON.stringify(tokens)}`, () => {
      assert.deepEqual(parsePointer(pointer), tokens);
      assert.equal(formatPointer(tokens), pointer);
    });
  }

  for (const bad of ["spec/replicas", "/a~2", "/a~", "#/spec"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => parsePointer(bad),
        (err: unknown) => err instanceof JsonPointerError && err.pointer === bad && err.name === "JsonPointerError",
      );
    });
  }

  test("formats numbers as tokens", () => {
    assert.equal(formatPointer(["containers", 2, "image"]), "/containers/2/image");
  });
});

describe("valueAt / removeInPlace", () => {
  const doc = () => ({ a: { b: [10, 20, 30], "x/y": 1 }, list: [{ name: "w" }] });

  const reads: Array<[string[], unknown]> = [
    [["a", "b", "1"], 20],
    [["a", "x/y"], 1],
    [["list", "0", "name"], "w"],
    [["a", "b", "3"], undefined],
    [["a", "b", "01"], undefined],
    [["a", "b", "-"], undefined],
    [["nope", "deeper"], undefined],
  ];
  for (const [tokens, expected] of reads) {
    test(`valueAt ${JSON.stringify(tokens)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(valueAt(doc(), tokens), expected);
    });
  }

  test("removes a map key", () => {
    const d = doc();
    assert.equal(removeInPlace(d, ["a", "x/y"]), true);
    assert.deepEqual(d.a, { b: [10, 20, 30] });
  });

  test("removes an array item by splicing", () => {
    const d = doc();
    assert.equal(removeInPlace(d, ["a", "b", "0"]), true);
    assert.deepEqual(d.a.b, [20, 30]);
  });

  test("a path that does not exist is not removed and not an error", () => {
    const d = doc();
    for (const tokens of [["a", "zzz"], ["a", "b", "7"], ["a", "b", "-"], ["q", "r"], []])
      assert.equal(removeInPlace(d, tokens), false);
    assert.deepEqual(d, doc());
  });
});

describe("isAncestorPointer", () => {
  const cases: Array<[string, string, boolean]> = [
    ["/spec", "/spec/replicas", true],
    ["", "/spec", true],
    ["/spec/template", "/spec/template/spec/containers/0", true],
    ["/spec", "/spec", false],
    ["/spec/replicas", "/spec", false],
    ["/spec/rep", "/spec/replicas", false],
    ["/a/1", "/a/10", false],
  ];
  for (const [a, p, expected] of cases) {
    test(`${JSON.stringify(a)} of ${JSON.stringify(p)}: ${expected}`, () => {
      assert.equal(isAncestorPointer(a, p), expected);
    });
  }
});
