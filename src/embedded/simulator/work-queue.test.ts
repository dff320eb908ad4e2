import assert from "node:assert/strict";
import { test } from "node:test";
import { WorkQueue } from "./work-queue.js";

test("an id queued several times before it is processed is processed once", async () => {
  const seen: string[] = [];
  const queue = new WorkQueue({ process: (id) => void seen.push(id) });
  queue.add("a");
  queue.add("b");
  queue.add("a");
  await queue.idle();
  assert.deepEqual(seen, ["a", "b"]);
  queue.stop();
});

test("a processed id that asks to be looked at again comes back on its timer; stop clears every timer", async () => {
  const seen: string[] = [];
  let again = true;
  const queue = new WorkQueue({
    process: (id) => {
      seen.push(id);
      if (!again) return undefined;
      again = false;
      return 5;
    },
  });
  queue.add("x");
  await queue.idle();
  assert.equal(queue.timerCount(), 1);
  while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(seen, ["x", "x"]);
  queue.addAfter("y", 60_000);
  queue.addAfter("z", 60_000);
  assert.equal(queue.timerCount(), 2);
  queue.stop();
  assert.equal(queue.timerCount(), 0);
  queue.add("late");
  await queue.idle();
  assert.deepEqual(seen, ["x", "x"], "nothing runs after stop");
});

test("an earlier wake-up replaces a later one; a later one leaves an earlier one in place", async () => {
  const seen: string[] = [];
  const queue = new WorkQueue({ process: (id) => void seen.push(id) });
  queue.addAfter("a", 60_000);
  queue.addAfter("a", 1);
  queue.addAfter("a", 60_000);
  assert.equal(queue.timerCount(), 1);
  while (seen.length < 1) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(seen, ["a"]);
  assert.equal(queue.timerCount(), 0);
  queue.stop();
});

test("a long queue is worked off in batches, all of it", async () => {
  let n = 0;
  const queue = new WorkQueue({ process: () => void n++, batchSize: 10 });
  for (let i = 0; i < 95; i++) queue.add(`id-${i}`);
  await queue.idle();
  assert.equal(n, 95);
  queue.stop();
});

test("the latest look decides: an id processed without asking again loses its earlier wake-up", async () => {
  let wake: number | undefined = 60_000;
  const queue = new WorkQueue({ process: () => wake });
  queue.add("a");
  await queue.idle();
  assert.equal(queue.timerCount(), 1);
  wake = undefined;
  queue.add("a");
  await queue.idle();
  assert.equal(queue.timerCount(), 0);
  queue.stop();
});
