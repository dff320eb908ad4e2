import assert from "node:assert/strict";
import { test } from "node:test";
import { exactTime, shortSha, timeAgo, toneOf } from "./format.js";

const now = Date.parse("2024-03-01T12:00:00Z");

test("times read as how long ago, from the time given", () => {
  assert.equal(timeAgo("2024-03-01T11:59:58Z", now), "just now");
  assert.equal(timeAgo("2024-03-01T11:59:18Z", now), "42 s ago");
  assert.equal(timeAgo("2024-03-01T11:55:00Z", now), "5 min ago");
  assert.equal(timeAgo("2024-03-01T09:00:00Z", now), "3 h ago");
  assert.equal(timeAgo("2024-02-25T12:00:00Z", now), "5 d ago");
  assert.equal(timeAgo("2024-03-01T12:00:30Z", now), "just now", "a clock a little ahead is not the future");
  assert.equal(timeAgo("not a time", now), "");
  assert.equal(exactTime("2024-03-01T11:55:00.123Z"), "2024-03-01 11:55:00 UTC");
});

test("revisions and tones", () => {
  assert.equal(shortSha("0123456789abcdef"), "0123456");
  assert.equal(shortSha(undefined), "—");
  assert.equal(toneOf("Synced"), "ok");
  assert.equal(toneOf("OutOfSync"), "warn");
  assert.equal(toneOf("Degraded"), "bad");
  assert.equal(toneOf("Progressing"), "busy");
  assert.equal(toneOf("Something new"), "muted");
  assert.equal(toneOf("Reachable"), "ok");
  assert.equal(toneOf("Unreachable"), "bad");
  assert.equal(toneOf("Ready"), "ok");
  assert.equal(toneOf("Waiting"), "warn");
});
