import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_TIMER_MS, renewalDelay, sleep } from "./renewal.js";

const DAY = 24 * 3_600_000;

test("the next key is due one period after the newest key's NotBefore", () => {
  const now = new Date("2030-01-11T00:00:00Z");
  assert.equal(renewalDelay(new Date("2030-01-01T00:00:00Z"), now, 30 * DAY), 20 * DAY);
  assert.equal(renewalDelay(new Date("2029-11-01T00:00:00Z"), now, 30 * DAY), 0, "overdue: now");
  assert.equal(renewalDelay(undefined, now, 30 * DAY), 0, "no key: now");
});

test("a sleep longer than node's timer limit does not fire early, and stops on abort", async () => {
  // 30 days exceeds 2^31-1 ms: a plain setTimeout would fire after 1 ms.
  assert.ok(30 * DAY > MAX_TIMER_MS);
  const stop = new AbortController();
  let settled: boolean | undefined;
  const sleeping = sleep(30 * DAY, stop.signal).then((completed) => {
    settled = completed;
  });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, undefined, "still sleeping");
  stop.abort();
  await sleeping;
  assert.equal(settled, false);
  assert.equal(await sleep(1, AbortSignal.abort()), false);
  assert.equal(await sleep(1, new AbortController().signal), true);
});
