import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nextPollDelay, Poller } from "./poller.js";

describe("nextPollDelay", () => {
  test("adds up to the jitter fraction of the interval", () => {
    assert.equal(nextPollDelay(60_000, 0.1, 0), 60_000);
    assert.equal(nextPollDelay(60_000, 0.1, 0.5), 63_000);
    assert.equal(nextPollDelay(60_000, 0.1, 0.999_999), 66_000);
    assert.equal(nextPollDelay(60_000, 0, 0.7), 60_000);
    assert.equal(nextPollDelay(1_000, 1, 0.25), 1_250);
  });

  test("refuses nonsense", () => {
    assert.throws(() => nextPollDelay(0, 0.1, 0.5), RangeError);
    assert.throws(() => nextPollDelay(-1, 0.1, 0.5), RangeError);
    assert.throws(() => nextPollDelay(Number.NaN, 0.1, 0.5), RangeError);
    assert.throws(() => nextPollDelay(1000, 1.5, 0.5), RangeError);
    assert.throws(() => nextPollDelay(1000, -0.1, 0.5), RangeError);
    assert.throws(() => nextPollDelay(1000, 0.1, 1), RangeError);
  });
});

/** A sleep the test releases by hand, recording the delays the poller asked for. */
function manualSleep() {
  const delays: number[] = [];
  let release: (() => void) | undefined;
  let asked: (() => void) | undefined;
  const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      delays.push(ms);
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      release = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      asked?.();
    });
  /** Resolves once the poller is sleeping (again). */
  const sleeping = (count: number): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (delays.length >= count) resolve();
      };
      asked = check;
      check();
    });
  return { delays, sleep, sleeping, wake: () => release?.() };
}

describe("Poller", () => {
  test("polls after each interval plus jitter, never overlapping, until the signal aborts", async () => {
    const clock = manualSleep();
    const randoms = [0.5, 0, 0.25];
    let polls = 0;
    let inPoll = false;
    const controller = new AbortController();
    const poller = new Poller({
      intervalMs: 1000,
      jitterFraction: 0.2,
      random: () => randoms.shift() ?? 0,
      sleep: clock.sleep,
      poll: async () => {
        assert.equal(inPoll, false);
        inPoll = true;
        polls += 1;
        await Promise.resolve();
        inPoll = false;
      },
    });
    poller.start(controller.signal);
    assert.ok(poller.running);
    await clock.sleeping(1);
    assert.equal(polls, 0);
    clock.wake();
    await clock.sleeping(2);
    assert.equal(polls, 1);
    clock.wake();
    await clock.sleeping(3);
    assert.equal(polls, 2);
    controller.abort();
    await poller.stop();
    assert.equal(poller.running, false);
    assert.deepEqual(clock.delays, [1100, 1000, 1050]);
    assert.equal(polls, 2);
  });

  test("a failing poll is reported and polling goes on; pollImmediately polls before the first delay", async () => {
    const clock = manualSleep();
    const errors: unknown[] = [];
    let polls = 0;
    const poller = new Poller({
      intervalMs: 1000,
      pollImmediately: true,
      sleep: clock.sleep,
      onError: (e) => errors.push(e),
      poll: async () => {
        polls += 1;
        if (polls === 1) throw new Error("remote down");
      },
    });
    poller.start(new AbortController().signal);
    await clock.sleeping(1);
    assert.equal(polls, 1);
    assert.equal(errors.length, 1);
    clock.wake();
    await clock.sleeping(2);
    assert.equal(polls, 2);
    await poller.stop();
    assert.equal(errors.length, 1);
  });

  test("pollNow cuts the current delay short", async () => {
    const clock = manualSleep();
    let polls = 0;
    const poller = new Poller({
      intervalMs: 60_000,
      sleep: clock.sleep,
      poll: async () => {
        polls += 1;
      },
    });
    poller.start(new AbortController().signal);
    await clock.sleeping(1);
    poller.pollNow();
    await clock.sleeping(2);
    assert.equal(polls, 1);
    await poller.stop();
  });

  test("stop waits for the poll under way and passes it an aborted signal", async () => {
    const clock = manualSleep();
    let seen: AbortSignal | undefined;
    let finishPoll: (() => void) | undefined;
    let pollStarted: (() => void) | undefined;
    const started = new Promise<void>((r) => {
      pollStarted = r;
    });
    let finished = false;
    const poller = new Poller({
      intervalMs: 10,
      pollImmediately: true,
      sleep: clock.sleep,
      poll: async (signal) => {
        seen = signal;
        pollStarted?.();
        await new Promise<void>((r) => {
          finishPoll = r;
        });
        finished = true;
      },
    });
    poller.start(new AbortController().signal);
    await started;
    const stopping = poller.stop();
    assert.equal(seen?.aborted, true);
    assert.equal(finished, false);
    finishPoll?.();
    await stopping;
    assert.equal(finished, true);
    assert.equal(clock.delays.length, 0);
  });

  test("an invalid interval is refused at construction", () => {
    assert.throws(() => new Poller({ intervalMs: 0, poll: async () => {} }), RangeError);
  });
});
