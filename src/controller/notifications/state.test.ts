import assert from "node:assert/strict";
import { test } from "node:test";
import type { Notification } from "./notification.js";
import {
  claim,
  type Delivery,
  type DeliveryState,
  deliveryKey,
  dueDeliveries,
  emptyState,
  enqueue,
  finish,
  known,
  nextDueAt,
  parseState,
  release,
  serializeState,
  staleClaims,
} from "./state.js";

const notification = (id: string, app = "shop"): Notification => ({
  id,
  event: "SyncSucceeded",
  severity: "Normal",
  application: { namespace: "team", name: app, project: "default", uid: "u" },
  message: "synced",
  time: "2025-01-01T00:00:00Z",
  source: { repoURL: "https://git.example/org/deploy.git" },
});

const delivery = (id: string, notifier = "hook", app = "shop", at = 0): Delivery => ({
  key: deliveryKey(id, notifier),
  notifier,
  notification: notification(id, app),
  attempts: 0,
  notBefore: at,
  enqueuedAt: at,
});

const queued = (...ds: Delivery[]): DeliveryState => enqueue(emptyState(), ds).state;

test("a notification is queued once per receiver: again while waiting, or after it was delivered, it is not", () => {
  const first = enqueue(emptyState(), [delivery("a"), delivery("a", "slack"), delivery("a")]);
  assert.deepEqual(
    first.added.map((d) => d.key),
    ["a/hook", "a/slack"],
  );
  const again = enqueue(first.state, [delivery("a")]);
  assert.deepEqual(again.added, []);
  const done = finish(first.state, "a/hook", 10);
  assert.equal(known(done, "a/hook"), true);
  assert.deepEqual(enqueue(done, [delivery("a")]).added, [], "a delivery that was made is not queued again");
});

test("a claim is taken once: a second claim of the same delivery fails, and it counts the attempt", () => {
  const state = queued(delivery("a"));
  const claimed = claim(state, "a/hook", "agent-1", 100);
  assert.ok(claimed);
  assert.deepEqual(claimed.deliveries[0]?.claim, { by: "agent-1", at: 100 });
  assert.equal(claimed.deliveries[0]?.attempts, 1);
  assert.equal(claim(claimed, "a/hook", "agent-2", 101), undefined, "claimed already");
  assert.equal(claim(claimed, "missing/hook", "agent-1", 101), undefined, "no such delivery");
  assert.equal(claim(queued(delivery("b", "hook", "shop", 500)), "b/hook", "agent-1", 499), undefined, "not due yet");
  assert.deepEqual(dueDeliveries(claimed, 1000), [], "a claimed delivery is not due");
});

test("released after a refusal: due again after the delay, unclaimed, with the reason", () => {
  const claimed = claim(queued(delivery("a")), "a/hook", "me", 100) as DeliveryState;
  const released = release(claimed, "a/hook", { now: 200, delayMs: 1000, error: "HTTP 500" });
  const d = released.deliveries[0];
  assert.equal(d?.claim, undefined);
  assert.equal(d?.attempts, 1);
  assert.equal(d?.lastError, "HTTP 500");
  assert.deepEqual(dueDeliveries(released, 1199), []);
  assert.deepEqual(
    dueDeliveries(released, 1200).map((x) => x.key),
    ["a/hook"],
  );
  assert.equal(nextDueAt(released), 1200);
  assert.equal(
    nextDueAt(released, (key) => key === "a/hook"),
    undefined,
    "a try of it under way here",
  );
});

test("one receiver and Application at a time, in order; other lanes go on", () => {
  const state = queued(delivery("a"), delivery("b"), delivery("c", "hook", "web"), delivery("d", "slack"));
  assert.deepEqual(
    dueDeliveries(state, 0).map((d) => d.key),
    ["a/hook", "c/hook", "d/slack"],
  );
  const aWaits = release(claim(state, "a/hook", "me", 0) as DeliveryState, "a/hook", {
    now: 0,
    delayMs: 500,
    error: "x",
  });
  assert.deepEqual(
    dueDeliveries(aWaits, 0).map((d) => d.key),
    ["c/hook", "d/slack"],
    "b waits behind a (a pending status must not land after a success)",
  );
  const aDone = finish(aWaits, "a/hook", 1);
  assert.deepEqual(
    dueDeliveries(aDone, 1).map((d) => d.key),
    ["b/hook", "c/hook", "d/slack"],
  );
});

test("claims older than the limit are stale (their try was cut short)", () => {
  const state = claim(queued(delivery("a"), delivery("b", "hook", "web")), "a/hook", "gone", 1000) as DeliveryState;
  assert.deepEqual(staleClaims(state, 5000, 10_000), []);
  assert.deepEqual(
    staleClaims(state, 11_001, 10_000).map((d) => d.key),
    ["a/hook"],
  );
});

test("bounded: the oldest waiting deliveries go first, never a claimed one; done keys are capped", () => {
  const limits = { maxPending: 2, maxDone: 2 };
  let state = enqueue(emptyState(), [delivery("a"), delivery("b", "hook", "web")], limits).state;
  state = claim(state, "a/hook", "me", 0) as DeliveryState;
  const more = enqueue(state, [delivery("c", "hook", "db")], limits);
  assert.deepEqual(
    more.dropped.map((d) => d.key),
    ["b/hook"],
  );
  assert.deepEqual(
    more.state.deliveries.map((d) => d.key),
    ["a/hook", "c/hook"],
  );
  let done = emptyState();
  for (const [i, k] of ["x", "y", "z"].entries()) done = finish(done, k, i, limits);
  assert.deepEqual(
    done.done.map((d) => d.key),
    ["y", "z"],
  );
});

test("the state survives its text form; unreadable text is an empty state", () => {
  const state = claim(queued(delivery("a"), delivery("b", "slack")), "a/hook", "me", 5) as DeliveryState;
  const withDone = finish(state, "b/slack", 6);
  assert.deepEqual(parseState(serializeState(withDone)), withDone);
  assert.deepEqual(parseState(undefined), emptyState());
  assert.deepEqual(parseState("{not json"), emptyState());
  assert.deepEqual(parseState(JSON.stringify({ version: 99, deliveries: [delivery("a")] })), emptyState());
  assert.deepEqual(
    parseState(
      JSON.stringify({ version: 1, deliveries: [{ key: 1 }, delivery("a")], done: [{ key: "x" }] }),
    ).deliveries.map((d) => d.key),
    ["a/hook"],
  );
});
