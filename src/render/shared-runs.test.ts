import assert from "node:assert/strict";
import { test } from "node:test";
import { SharedRuns } from "./shared-runs.js";

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

test("callers of one key share one run; another key runs on its own", async () => {
  const runs = new SharedRuns<string>();
  const gate = deferred<string>();
  let started = 0;
  const work = async (): Promise<string> => {
    started += 1;
    return await gate.promise;
  };
  const signal = new AbortController().signal;
  const a = runs.run("k", signal, work);
  const b = runs.run("k", signal, work);
  const c = runs.run("other", signal, async () => "c");
  gate.resolve("shared");
  assert.deepEqual(await Promise.all([a, b, c]), ["shared", "shared", "c"]);
  assert.equal(started, 1);
  assert.equal(runs.size, 0, "finished runs are forgotten");
});

test("one caller giving up leaves the run to the others; the last one cancels it", async () => {
  const runs = new SharedRuns<string>();
  let workSignal: AbortSignal | undefined;
  const gate = deferred<string>();
  const work = async (s: AbortSignal): Promise<string> => {
    workSignal = s;
    return await gate.promise;
  };
  const first = new AbortController();
  const second = new AbortController();
  const a = runs.run("k", first.signal, work);
  const b = runs.run("k", second.signal, work);
  await Promise.resolve();
  first.abort(new Error("first gave up"));
  await assert.rejects(a, /first gave up/);
  assert.equal(workSignal?.aborted, false);
  second.abort(new Error("second gave up"));
  await assert.rejects(b, /second gave up/);
  assert.equal(workSignal?.aborted, true);
  gate.resolve("late");
});

test("a failed run is not kept: the next call runs again", async () => {
  const runs = new SharedRuns<number>();
  const signal = new AbortController().signal;
  let calls = 0;
  await assert.rejects(
    runs.run("k", signal, async () => {
      calls += 1;
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(await runs.run("k", signal, async () => ++calls), 2);
});
