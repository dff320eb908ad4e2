import assert from "node:assert/strict";
import { test } from "node:test";
import { LeaderTerms } from "./leadership.js";

test("a standby has no term; a term runs from begin until its signal aborts", () => {
  const terms = new LeaderTerms();
  assert.equal(terms.current(), undefined, "never led");
  const first = new AbortController();
  terms.begin(first.signal);
  assert.equal(terms.current(), first.signal);
  first.abort();
  assert.equal(terms.current(), undefined, "the term ended: a standby again");
  const second = new AbortController();
  terms.begin(second.signal);
  assert.equal(terms.current(), second.signal, "leading again");
});

test("next() answers the running term at once, else waits for the next one", async () => {
  const terms = new LeaderTerms();
  const stop = new AbortController();
  let woken: AbortSignal | undefined;
  const waiting = terms.next(stop.signal).then((term) => {
    woken = term;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(woken, undefined, "a standby waits");
  // A term that ended before it began (leadership lost at once) wakes nobody.
  terms.begin(AbortSignal.abort());
  await new Promise((r) => setImmediate(r));
  assert.equal(woken, undefined);
  const term = new AbortController();
  terms.begin(term.signal);
  await waiting;
  assert.equal(woken, term.signal);
  assert.equal(await terms.next(stop.signal), term.signal, "leading: at once");
});

test("next() gives up when the controller stops first", async () => {
  const terms = new LeaderTerms();
  const stop = new AbortController();
  const waiting = terms.next(stop.signal);
  stop.abort();
  assert.equal(await waiting, undefined);
  terms.begin(new AbortController().signal);
  assert.equal(await terms.next(AbortSignal.abort()), undefined, "a stopped controller waits for nothing");
});
