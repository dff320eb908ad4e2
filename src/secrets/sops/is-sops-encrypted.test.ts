import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { isSopsEncrypted } from "./decrypt.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));

test("files sops encrypted are recognised in each format", () => {
  assert.equal(isSopsEncrypted(fixture("types-and-comments.yaml.enc").toString("utf8"), "yaml"), true);
  assert.equal(isSopsEncrypted(fixture("integer-like-keys.json.enc"), "json"), true);
  assert.equal(isSopsEncrypted(fixture("values.env.enc"), "dotenv"), true);
  assert.equal(isSopsEncrypted(fixture("bytes.bin.enc"), "binary"), true);
});

test("plaintext files, and files that merely have a sops key, are not", () => {
  assert.equal(isSopsEncrypted(fixture("types-and-comments.yaml.plain"), "yaml"), false);
  assert.equal(isSopsEncrypted("sops: just a string\n", "yaml"), false);
  assert.equal(isSopsEncrypted("sops:\n  enabled: true\n", "yaml"), false);
  assert.equal(isSopsEncrypted(fixture("integer-like-keys.json.plain"), "json"), false);
  assert.equal(isSopsEncrypted(fixture("values.env.plain"), "dotenv"), false);
  assert.equal(isSopsEncrypted(fixture("bytes.bin.plain"), "binary"), false);
  assert.equal(isSopsEncrypted("a: [broken", "yaml"), false);
});
