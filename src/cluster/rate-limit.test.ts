import assert from "node:assert/strict";
import { test } from "node:test";
import { TokenBucket } from "./rate-limit.js";

function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

test("a token bucket allows a burst, then paces at qps", async () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(10, 3, clock.now, clock.sleep);
  for (let i = 0; i < 3; i++) await bucket.take();
  assert.deepEqual(clock.slept, [], "the burst is free");
  await bucket.take();
  await bucket.take();
  assert.deepEqual(clock.slept, [100, 100], "then one token every 100 ms at 10 qps");
});

test("tokens saved up while idle are capped at the burst", async () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(10, 2, clock.now, clock.sleep);
  await bucket.take();
  await bucket.take();
  await clock.sleep(60_000);
  clock.slept.length = 0;
  assert.equal(bucket.waitMs(), 0);
  await bucket.take();
  await bucket.take();
  assert.equal(bucket.waitMs(), 100, "an idle minute still only buys a burst of 2");
});

test("a token bucket rejects a nonsensical limit", () => {
  assert.throws(() => new TokenBucket(0, 1), RangeError);
  assert.throws(() => new TokenBucket(1, 0), RangeError);
});
