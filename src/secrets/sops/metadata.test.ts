import assert from "node:assert/strict";
import { test } from "node:test";
import { SopsFormatError, SopsUnsupportedError } from "./errors.js";
import { parseMetadata, re2ToRegExp, unflattenMetadata } from "./metadata.js";

const BASE = { lastmodified: "2025-08-06T18:55:05.5+02:00", mac: "ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]" };

test("the dotenv store's flattened keys build the nested metadata back", () => {
  assert.deepEqual(
    unflattenMetadata([
      ["sops_age__list_0__map_enc", "-----BEGIN AGE ENCRYPTED FILE-----\nabc\n"],
      ["sops_age__list_0__map_recipient", "age1xyz"],
      ["sops_key_groups__list_0__map_pgp__list_0__map_fp", "ABC"],
      ["sops_lastmodified", "2024-11-12T13:33:42Z"],
      ["OTHER", "ignored"],
    ]),
    {
      age: [{ enc: "-----BEGIN AGE ENCRYPTED FILE-----\nabc\n", recipient: "age1xyz" }],
      key_groups: [{ pgp: [{ fp: "ABC" }] }],
      lastmodified: "2024-11-12T13:33:42Z",
    },
  );
});

test("metadata: key groups, threshold, the MAC's AAD without fractional seconds, loosely typed flags", () => {
  const meta = parseMetadata(
    {
      ...BASE,
      key_groups: [
        { age: [{ recipient: "age1a", enc: "x" }] },
        { pgp: [{ fp: "ab cd", enc: "y" }], kms: [{ arn: "arn:k" }] },
      ],
      shamir_threshold: "2",
      mac_only_encrypted: "true",
      encrypted_regex: "^data$",
    },
    "f",
  );
  assert.equal(meta.keyGroups.length, 2);
  assert.deepEqual(meta.keyGroups[1], { age: [], pgp: [{ fp: "ABCD", enc: "y" }], other: ["kms: arn:k"] });
  assert.equal(meta.shamirThreshold, 2);
  assert.equal(meta.macAad, "2025-08-06T18:55:05+02:00");
  assert.equal(meta.macOnlyEncrypted, true);
  assert.equal(meta.rule.kind, "encrypted_regex");
});

test("without a selection rule, unencrypted_suffix is _unencrypted; two rules are refused", () => {
  assert.deepEqual(parseMetadata(BASE, "f").rule, { kind: "unencrypted_suffix", suffix: "_unencrypted" });
  assert.throws(() => parseMetadata({ ...BASE, encrypted_regex: "a", unencrypted_suffix: "_x" }, "f"), SopsFormatError);
  assert.throws(() => parseMetadata({ mac: BASE.mac }, "f"), /no lastmodified/);
  assert.throws(() => parseMetadata({ ...BASE, lastmodified: "yesterday" }, "f"), /not an RFC 3339 time/);
});

test("RE2 patterns: a leading (?i) becomes a flag, (?P<name>) a named group, unsupported syntax an error", () => {
  assert.ok(re2ToRegExp("(?i)^DATA$", "encrypted_regex", "f").test("data"));
  assert.ok(re2ToRegExp("^(?P<k>pass)word$", "encrypted_regex", "f").test("password"));
  assert.throws(() => re2ToRegExp("(?U)a+", "encrypted_regex", "f"), SopsUnsupportedError);
  assert.throws(() => re2ToRegExp("a(", "encrypted_regex", "f"), SopsUnsupportedError);
});
