import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { SopsKeyError } from "./errors.js";
import { keysFromSecretData } from "./secret-keys.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);
const AGE_FILE = readFileSync(new URL("age-key-a.txt", FIXTURES), "utf8");
const IDENTITY = AGE_FILE.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-1")) ?? "";
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const ARMORED = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nabc\n-----END PGP PRIVATE KEY BLOCK-----\n";

test("*.agekey entries give their identities (comments skipped), *.asc entries their armored text, others nothing", () => {
  const keys = keysFromSecretData({
    "identity.agekey": b64(AGE_FILE),
    "second.agekey": b64(`# a comment\n\n${IDENTITY}\r\n`),
    "team.asc": b64(ARMORED),
    "sops.vault-token": b64("not a key bosun reads"),
    README: b64("ignored"),
  });
  assert.deepEqual(keys, { age: [IDENTITY, IDENTITY], pgp: [ARMORED] });
});

test("an entry that is not base64, or an .agekey without identities, is a key error naming the entry only", () => {
  assert.throws(
    () => keysFromSecretData({ "bad.agekey": "%%%not-base64%%%" }),
    (e: unknown) => e instanceof SopsKeyError && e.message === "bad.agekey: the Secret entry is not base64",
  );
  assert.throws(
    () => keysFromSecretData({ "empty.agekey": b64("# only a comment\n") }),
    (e: unknown) => e instanceof SopsKeyError && e.message === "empty.agekey: holds no age identity",
  );
  assert.throws(
    () => keysFromSecretData({ "typo.agekey": b64(`${IDENTITY}\nAGE-SECRET-KEY-1-secret-looking-typo\n`) }),
    (e: unknown) =>
      e instanceof SopsKeyError &&
      /^typo\.agekey: line 2 is not an age identity/.test(e.message) &&
      !e.message.includes("secret-looking-typo") &&
      !e.message.includes(IDENTITY),
  );
});
