import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SharedRuns } from "./shared-runs.js";

/** A promise the test settles by hand. */
function gate<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe("SharedRuns", () => {
  test("concurrent callers of one resource and variant share one run", async () => {
    const runs = new SharedRuns<string>();
    const g = gate<string>();
    let started = 0;
    const work = async (): Promise<string> => {
      started += 1;
      return await g.promise;
    };
    const signal = new AbortController().signal;
    const a = runs.run("repo", "creds", signal, work);
    const b = runs.run("repo", "creds", signal, work);
    await tick();
    g.resolve("fetched");
    assert.deepEqual(await Promise.all([a, b]), ["fetched", "fetched"]);
    assert.equal(started, 1);
    assert.deepEqual(runs.busy(), []);
  });

  test("another variant on the same resource waits for the first; other resources do not", async () => {
    const runs = new SharedRuns<string>();
    const order: string[] = [];
    const g = gate<string>();
    const signal = new AbortController().signal;
    const a = runs.run("repo", "alice", signal, async () => {
      order.push("alice start");
      const v = await g.promise;
      order.push("alice end");
      return v;
    });
    const b = runs.run("repo", "bob", signal, async () => {
      order.push("bob start");
      return "bob";
    });
    const c = runs.run("other", "alice", signal, async () => {
      order.push("other start");
      return "other";
    });
    await tick();
    assert.deepEqual(order, ["alice start", "other start"]);
    g.resolve("alice");
    assert.deepEqual(await Promise.all([a, b, c]), ["alice", "bob", "other"]);
    assert.deepEqual(order, ["alice start", "other start", "alice end", "bob start"]);
  });

  test("a failed run fails its callers and does not block the next", async () => {
    const runs = new SharedRuns<string>();
    const signal = new AbortController().signal;
    await assert.rejects(
      runs.run("repo", "x", signal, async () => {
        throw new Error("remote down");
      }),
      /remote down/,
    );
    assert.equal(await runs.run("repo", "x", signal, async () => "ok"), "ok");
  });

  test("one caller giving up does not abort the shared run; the last one does", async () => {
    const runs = new SharedRuns<string>();
    const g = gate<string>();
    let workSignal: AbortSignal | undefined;
    const work = async (s: AbortSignal): Promise<string> => {
      workSignal = s;
      return await g.promise;
    };
    const first = new AbortController();
    const second = new AbortController();
    const a = runs.run("repo", "v", first.signal, work);
    const b = runs.run("repo", "v", second.signal, work);
    await tick();
    first.abort(new Error("caller one gave up"));
    await assert.rejects(a, /caller one gave up/);
    assert.equal(workSignal?.aborted, false);
    second.abort(new Error("caller two gave up"));
    await assert.rejects(b, /caller two gave up/);
    assert.equal(workSignal?.aborted, true);
    g.resolve("late");
  });

  test("an aborted signal is refused up front", async () => {
    const runs = new SharedRuns<string>();
    let started = false;
    await assert.rejects(
      runs.run("repo", "v", AbortSignal.abort(new Error("already")), async () => {
        started = true;
        return "";
      }),
      /already/,
    );
    assert.equal(started, false);
  });
});
