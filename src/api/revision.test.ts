import assert from "node:assert/strict";
import { test } from "node:test";
import { shortRevision } from "./revision.js";

test("a commit SHA is quoted by its first 7 characters", () => {
  assert.equal(shortRevision("0123456789abcdef0123456789abcdef01234567"), "0123456");
});

test("a chart revision keeps its whole version and the digest's start", () => {
  assert.equal(shortRevision(`1.10.0-rc.1@sha256:${"ab".repeat(32)}`), "1.10.0-rc.1@abababa");
});

test("the revisions of several sources are each shortened", () => {
  assert.equal(
    shortRevision(`0123456789abcdef0123456789abcdef01234567,2.0.0@sha256:${"cd".repeat(32)}`),
    "0123456,2.0.0@cdcdcdc",
  );
});
