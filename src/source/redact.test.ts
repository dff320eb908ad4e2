import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redactSecrets } from "./redact.js";

describe("redactSecrets", () => {
  test("removes every secret and any URL user information", () => {
    const text = "fatal: Authentication failed for 'https://bob:pa55@h/r.git/' (pa55, cGE1NQ==)";
    assert.equal(
      redactSecrets(text, ["pa55", "cGE1NQ=="]),
      "fatal: Authentication failed for 'https://h/r.git/' (***, ***)",
    );
  });
  test("longer secrets are replaced before their substrings", () => {
    assert.equal(redactSecrets("x abcdef y", ["abc", "abcdef"]), "x *** y");
  });
});
