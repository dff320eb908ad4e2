import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_RETRY, retryDelayMs } from "./backoff.js";

test("retries wait 1s, 2s, 4s… and stop after the policy's attempts", () => {
  const waits: number[] = [];
  for (let attempts = 1; ; attempts++) {
    const ms = retryDelayMs(attempts);
    if (ms === undefined) break;
    waits.push(ms);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000]);
  assert.equal(waits.length, DEFAULT_RETRY.attempts - 1, "one try and attempts-1 retries");
});

test("waits are capped", () => {
  const policy = { attempts: 20, baseMs: 1000, maxMs: 5000 };
  assert.equal(retryDelayMs(3, policy), 4000);
  assert.equal(retryDelayMs(4, policy), 5000);
  assert.equal(retryDelayMs(19, policy), 5000);
  assert.equal(retryDelayMs(20, policy), undefined);
  assert.equal(retryDelayMs(1, { attempts: 1, baseMs: 1000, maxMs: 5000 }), undefined, "one attempt: no retry");
});
