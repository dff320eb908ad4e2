import assert from "node:assert/strict";
import { test } from "node:test";
import { mayAcquire, microTime } from "./leader-election.js";

test("MicroTime has microseconds, as the API server parses it", () => {
  assert.equal(microTime(Date.UTC(2026, 11, 5, 23, 1, 2, 345)), "2026-12-05T23:01:02.345000Z");
});

test("a Lease may be taken when free, own, or not renewed for its duration on the candidate's clock", () => {
  const held = { holderIdentity: "a", leaseDurationSeconds: 15 };
  assert.ok(mayAcquire({}, "b", 0, 0, 15_000));
  assert.ok(mayAcquire({ holderIdentity: "" }, "b", 0, 0, 15_000));
  assert.ok(mayAcquire(held, "a", 1000, 1001, 15_000));
  assert.ok(!mayAcquire(held, "b", 1000, 15_999, 15_000));
  assert.ok(mayAcquire(held, "b", 1000, 16_000, 15_000));
  // The record's own duration wins over the candidate's default.
  assert.ok(mayAcquire({ holderIdentity: "a", leaseDurationSeconds: 1 }, "b", 1000, 2000, 15_000));
});
