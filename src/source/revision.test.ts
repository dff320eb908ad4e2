import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidRevisionError } from "./errors.js";
import { highestTagInRange, matchRevision, tagVersion, validateRevision } from "./revision.js";

const sha = (c: string): string => c.repeat(40);

const refs = new Map<string, string>([
  ["HEAD", sha("a")],
  ["refs/heads/main", sha("a")],
  ["refs/heads/release", sha("b")],
  ["refs/heads/v1.2.0", sha("f")],
  ["refs/tags/v1.0.0", sha("1")],
  ["refs/tags/v1.2.0", sha("2")],
  ["refs/tags/1.2.3", sha("3")],
  ["refs/tags/v2.0.0-rc.1", sha("4")],
  ["refs/tags/v2.0.0", sha("5")],
  ["refs/tags/not-a-version", sha("6")],
]);

describe("matchRevision", () => {
  test("HEAD, branches and tags match by name; a branch wins over a tag of the same name", () => {
    assert.deepEqual(matchRevision("HEAD", refs), { kind: "ref", ref: "HEAD", sha: sha("a") });
    assert.deepEqual(matchRevision("release", refs), { kind: "ref", ref: "refs/heads/release", sha: sha("b") });
    assert.deepEqual(matchRevision("v1.0.0", refs), { kind: "ref", ref: "refs/tags/v1.0.0", sha: sha("1") });
    assert.deepEqual(matchRevision("v1.2.0", refs), { kind: "ref", ref: "refs/heads/v1.2.0", sha: sha("f") });
    assert.deepEqual(matchRevision("refs/tags/v1.2.0", refs), { kind: "ref", ref: "refs/tags/v1.2.0", sha: sha("2") });
  });

  test("a semver range picks the highest matching tag, with or without a v", () => {
    const pick = (range: string) => {
      const m = matchRevision(range, refs);
      return m.kind === "semver" ? `${m.ref}@${m.version}` : m.kind;
    };
    assert.equal(pick(">=1.2.0 <2.0.0"), "refs/tags/1.2.3@1.2.3");
    assert.equal(pick("~1.2"), "refs/tags/1.2.3@1.2.3");
    assert.equal(pick("^1"), "refs/tags/1.2.3@1.2.3");
    assert.equal(pick("^2"), "refs/tags/v2.0.0@2.0.0");
    assert.equal(pick(">=2.0.0-rc.0 <2.0.0"), "refs/tags/v2.0.0-rc.1@2.0.0-rc.1");
    assert.equal(pick("1.0.0"), "refs/tags/v1.0.0@1.0.0");
    assert.equal(pick("*"), "refs/tags/v2.0.0@2.0.0");
  });

  test("a range nothing matches is not found, with a reason", () => {
    const m = matchRevision("^3", refs);
    assert.equal(m.kind, "none");
    assert.match(m.kind === "none" ? m.detail : "", /semver range/);
  });

  test("hex strings become object look-ups; revision syntax is not interpreted", () => {
    assert.deepEqual(matchRevision(sha("c"), refs), { kind: "object", objectName: sha("c") });
    assert.deepEqual(matchRevision("abc1234", refs), { kind: "object", objectName: "abc1234" });
    assert.equal(matchRevision("main~1", refs).kind, "none");
    assert.equal(matchRevision("main@{1}", refs).kind, "none");
    assert.equal(matchRevision("main^", refs).kind, "none");
    assert.equal(matchRevision("abc", refs).kind, "none");
  });

  test("a full SHA is looked up as an object even when a ref has the same name", () => {
    const odd = new Map([[`refs/heads/${sha("d")}`, sha("e")]]);
    assert.deepEqual(matchRevision(sha("d"), odd), { kind: "object", objectName: sha("d") });
  });

  test("an empty repository has no HEAD", () => {
    assert.equal(matchRevision("HEAD", new Map()).kind, "none");
  });
});

describe("validateRevision", () => {
  for (const bad of ["-n", "--upload-pack=touch /tmp/pwned", "", "main\n", " main", "a\0b"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => validateRevision(bad), InvalidRevisionError);
      assert.throws(() => matchRevision(bad, refs), InvalidRevisionError);
    });
  }
  test("accepts ranges with inner spaces", () => {
    validateRevision(">=1.2.0 <2.0.0");
  });
});

describe("tags and versions", () => {
  test("tagVersion reads v-prefixed and bare versions, nothing else", () => {
    assert.equal(tagVersion("v1.2.3"), "1.2.3");
    assert.equal(tagVersion("1.2.3"), "1.2.3");
    assert.equal(tagVersion("v2.0.0-rc.1"), "2.0.0-rc.1");
    assert.equal(tagVersion("release-1.2.3"), undefined);
    assert.equal(tagVersion("v1.2"), undefined);
  });

  test("a tie between v1.2.3 and 1.2.3 does not depend on order", () => {
    assert.deepEqual(highestTagInRange("^1", ["v1.2.3", "1.2.3"]), { tag: "1.2.3", version: "1.2.3" });
    assert.deepEqual(highestTagInRange("^1", ["1.2.3", "v1.2.3"]), { tag: "1.2.3", version: "1.2.3" });
  });
});
