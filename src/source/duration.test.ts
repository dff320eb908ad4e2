import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseDuration } from "./duration.js";
import { InvalidDurationError } from "./errors.js";

describe("parseDuration", () => {
  const cases: Array<[string, number]> = [
    ["30s", 30_000],
    ["1m", 60_000],
    ["1h30m", 5_400_000],
    ["1h30m15s", 5_415_000],
    ["500ms", 500],
    ["1m500ms", 60_500],
    ["1.5h", 5_400_000],
    [".5s", 500],
    ["0", 0],
    ["0s", 0],
  ];
  for (const [input, ms] of cases) {
    test(`${input} is ${ms} ms`, () => assert.equal(parseDuration(input), ms));
  }

  const bad: Array<[string, RegExp]> = [
    ["", /empty/],
    ["10", /needs a unit/],
    ["1d", /unexpected/],
    ["-1m", /unexpected/],
    ["1 m", /unexpected/],
    ["1m ", /unexpected/],
    ["m", /unexpected/],
    ["1M", /unexpected/],
    ["99999999999999999999h", /too large/],
  ];
  for (const [input, reason] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseDuration(input),
        (e: unknown) => e instanceof InvalidDurationError && e.input === input && reason.test(e.message),
      );
    });
  }
});
