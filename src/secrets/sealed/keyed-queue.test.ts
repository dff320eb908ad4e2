import assert from "node:assert/strict";
import { test } from "node:test";
import { KeyedQueue } from "./keyed-queue.js";

const fast = { baseMs: 1, maxMs: 2, factor: 1, jitter: 0 };

test("a key added while it runs runs again afterwards, never twice at once", async () => {
  let running = 0;
  let maxRunning = 0;
  const runs: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const queue = new KeyedQueue(async (key) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    runs.push(key);
    if (runs.length === 1) await gate;
    running--;
  });
  queue.add("a");
  queue.add("a"); // while running: once more afterwards
  queue.add("a"); // coalesced
  release();
  await queue.idle();
  assert.deepEqual(runs, ["a", "a"]);
  assert.equal(maxRunning, 1);
});

test("a failing key is retried with backoff, then given up until added again", async () => {
  const failures: Array<[string, boolean]> = [];
  let calls = 0;
  const queue = new KeyedQueue(
    async () => {
      calls++;
      throw new Error("boom");
    },
    { maxRetries: 2, backoff: fast, onFailure: (key, _err, willRetry) => failures.push([key, willRetry]) },
  );
  queue.add("k");
  await queue.idle();
  assert.equal(calls, 3);
  assert.deepEqual(failures, [
    ["k", true],
    ["k", true],
    ["k", false],
  ]);
  queue.add("k");
  await queue.idle();
  assert.equal(calls, 6, "a new add starts over, with its retries");
  assert.deepEqual(
    failures.slice(3).map(([, retry]) => retry),
    [true, true, false],
  );
});

test("a stopped queue takes no more work", async () => {
  let calls = 0;
  const queue = new KeyedQueue(async () => {
    calls++;
  });
  queue.stop();
  queue.add("x");
  await queue.idle();
  assert.equal(calls, 0);
});
