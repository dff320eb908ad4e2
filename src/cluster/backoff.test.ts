import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, retryAfterMs } from "./backoff.js";

const policy = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };

test("backoff grows exponentially, is capped, and jitter only shortens it within bounds", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, policy, () => 1)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.equal(
    backoffDelay(2, policy, () => 0),
    200,
    "with no luck at all, half the delay",
  );
  assert.equal(
    backoffDelay(2, { ...policy, jitter: 0 }, () => 0),
    400,
    "no jitter, exact delay",
  );
});

test("Retry-After is read as seconds or an HTTP date and capped", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  assert.equal(retryAfterMs("3", now, 10_000), 3000);
  assert.equal(retryAfterMs("120", now, 10_000), 10_000);
  assert.equal(retryAfterMs("Fri, 27 Nov 2026 12:00:02 GMT", now, 10_000), 2000);
  assert.equal(retryAfterMs("Fri, 27 Nov 2026 11:00:00 GMT", now, 10_000), 0);
  assert.equal(retryAfterMs(undefined, now, 10_000), undefined);
  assert.equal(retryAfterMs("soon", now, 10_000), undefined);
});
