import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fieldChanges, MAX_VALUE_CHARS, renderValue } from "./field-change.js";

describe("renderValue", () => {
  const cases: Array<[string, unknown, string]> = [
    ["a number", 3, "3"],
    ["a plain string, unquoted", "nginx:1.27", "nginx:1.27"],
    ["a string that reads as a number is quoted", "3", '"3"'],
    ["a string that reads as a boolean is quoted", "true", '"true"'],
    ["the empty string", "", '""'],
    ["a string with a line break, escaped on one line", "a\nb", '"a\\nb"'],
    ["leading space is shown", " x", '" x"'],
    ["null", null, "null"],
    ["a boolean", false, "false"],
    ["a map, compact JSON", { cpu: "100m", memory: "64Mi" }, '{"cpu":"100m","memory":"64Mi"}'],
    ["a list", ["-g", "daemon off;"], '["-g","daemon off;"]'],
  ];
  for (const [name, value, expected] of cases) test(name, () => assert.equal(renderValue(value), expected));

  test(`a long value is cut to ${MAX_VALUE_CHARS} characters, ending with …`, () => {
    const long = "x".repeat(500);
    const shown = renderValue(long);
    assert.equal([...shown].length, MAX_VALUE_CHARS);
    assert.ok(shown.endsWith("…"));
    assert.ok(shown.startsWith("x".repeat(MAX_VALUE_CHARS - 1)));
    assert.equal(
      renderValue("x".repeat(MAX_VALUE_CHARS)),
      "x".repeat(MAX_VALUE_CHARS),
      "exactly the limit stays whole",
    );
  });

  test("cutting counts characters, never splitting one in two", () => {
    const shown = renderValue("😀".repeat(200), 10);
    assert.equal(shown, `${"😀".repeat(9)}…`);
  });
});

test("fieldChanges: desired from the a side, live from the b side, nothing for an absent side", () => {
  assert.deepEqual(
    fieldChanges([
      { path: "/spec/replicas", a: 2, b: 5 },
      { path: "/spec/paused", a: true, b: undefined },
      { path: "/metadata/labels/team", a: undefined, b: "ops" },
    ]),
    [
      { path: "/spec/replicas", desired: "2", live: "5" },
      { path: "/spec/paused", desired: "true" },
      { path: "/metadata/labels/team", live: "ops" },
    ],
  );
});
