import assert from "node:assert/strict";
import { test } from "node:test";
import { WorkQueue } from "./work-queue.js";

const backoff = { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0 };

function manualTimers() {
  const timers: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  return {
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    pending: () => timers.filter((t) => !t.cancelled).map((t) => t.ms),
    fire: () => {
      const due = timers.filter((t) => !t.cancelled);
      timers.length = 0;
      for (const t of due) t.fn();
    },
  };
}

test("a key added many times while queued is processed once", async () => {
  const seen: string[] = [];
  let release: () => void = () => undefined;
  const q = new WorkQueue(
    async (k) => {
      seen.push(k);
      if (k === "busy") await new Promise<void>((r) => (release = r));
    },
    { concurrency: 1, backoff },
  );
  q.add("busy");
  q.add("a");
  q.add("b");
  q.add("a");
  q.add("a");
  assert.equal(q.length, 2);
  release();
  await q.idle();
  assert.deepEqual(seen, ["busy", "a", "b"]);
});

test("a key is never processed twice at once; an add during processing runs it again after", async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  let release: () => void = () => undefined;
  const q = new WorkQueue(
    async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1) await new Promise<void>((r) => (release = r));
      running--;
    },
    { concurrency: 4, backoff },
  );
  q.add("a");
  await new Promise((r) => setImmediate(r));
  q.add("a");
  q.add("a");
  release();
  await q.idle();
  assert.equal(maxRunning, 1);
  assert.equal(runs, 2);
});

test("different keys run concurrently up to the limit", async () => {
  let running = 0;
  let maxRunning = 0;
  const q = new WorkQueue(
    async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setImmediate(r));
      running--;
    },
    { concurrency: 2, backoff },
  );
  for (const k of ["a", "b", "c", "d", "e"]) q.add(k);
  await q.idle();
  assert.equal(maxRunning, 2);
});

test("failures retry with growing backoff, and a success resets it", async () => {
  const timers = manualTimers();
  let fail = true;
  const q = new WorkQueue(
    async () => {
      if (fail) throw new Error("boom");
    },
    { concurrency: 1, backoff, setTimer: timers.setTimer },
  );
  q.add("a");
  await q.idle();
  assert.deepEqual(timers.pending(), [100]);
  timers.fire();
  await q.idle();
  assert.deepEqual(timers.pending(), [200]);
  assert.equal(q.failuresOf("a"), 2);
  fail = false;
  timers.fire();
  await q.idle();
  assert.equal(q.failuresOf("a"), 0);
  assert.deepEqual(timers.pending(), []);
});

test("a key that backs off without throwing is retried with the same growing backoff, capped", async () => {
  const timers = manualTimers();
  let failing = true;
  let q: WorkQueue | undefined;
  q = new WorkQueue(
    async (k) => {
      if (failing) q?.backOff(k, 300);
    },
    { concurrency: 1, backoff, setTimer: timers.setTimer },
  );
  q.add("a");
  await q.idle();
  assert.deepEqual(timers.pending(), [100]);
  timers.fire();
  await q.idle();
  assert.deepEqual(timers.pending(), [200]);
  timers.fire();
  await q.idle();
  assert.deepEqual(timers.pending(), [300], "400 capped at 300");
  assert.equal(q.failuresOf("a"), 3);
  failing = false;
  timers.fire();
  await q.idle();
  assert.equal(q.failuresOf("a"), 0, "a pass that does not back off resets the count");
  assert.deepEqual(timers.pending(), []);
});

test("addAfter keeps the earliest due time, and add() supersedes a delayed add", async () => {
  const timers = manualTimers();
  const seen: string[] = [];
  const q = new WorkQueue(async (k) => void seen.push(k), { concurrency: 1, backoff, setTimer: timers.setTimer });
  q.addAfter("a", 500, 0);
  q.addAfter("a", 1000, 0);
  assert.deepEqual(timers.pending(), [500]);
  q.addAfter("a", 100, 0);
  assert.deepEqual(timers.pending(), [100]);
  q.add("a");
  assert.deepEqual(timers.pending(), []);
  await q.idle();
  assert.deepEqual(seen, ["a"]);
});
