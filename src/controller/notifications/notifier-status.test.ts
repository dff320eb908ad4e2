import assert from "node:assert/strict";
import { test } from "node:test";
import type { NotifierDelivery, NotifierStatus } from "../../api/index.js";
import { statusAfterDelivery, statusForSpec } from "./notifier-status.js";

const delivery = (over: Partial<NotifierDelivery> = {}): NotifierDelivery => ({
  id: "id-1",
  event: "SyncSucceeded",
  application: "team/shop",
  time: "2025-01-01T00:00:10Z",
  result: "Delivered",
  attempts: 1,
  ...over,
});

const ready = (s: NotifierStatus) => s.conditions?.find((c) => c.type === "Ready");

test("a valid new spec is Ready=True Valid; a problem is Ready=False with its reason", () => {
  const valid = statusForSpec(undefined, 1, undefined, "2025-01-01T00:00:00Z");
  assert.equal(valid.observedGeneration, 1);
  assert.deepEqual(ready(valid), {
    type: "Ready",
    status: "True",
    reason: "Valid",
    message: "the spec is valid; nothing delivered yet",
    lastTransitionTime: "2025-01-01T00:00:00Z",
  });
  const missing = statusForSpec(
    valid,
    2,
    { reason: "SecretNotFound", message: "no Secret gh" },
    "2025-01-01T00:01:00Z",
  );
  assert.equal(ready(missing)?.status, "False");
  assert.equal(ready(missing)?.reason, "SecretNotFound");
  assert.equal(ready(missing)?.lastTransitionTime, "2025-01-01T00:01:00Z");
  const fixed = statusForSpec(missing, 2, undefined, "2025-01-01T00:02:00Z");
  assert.equal(ready(fixed)?.reason, "Valid", "a spec problem is cleared when it is gone");
});

test("a look at an unchanged spec leaves a delivery's Ready as it is", () => {
  const failed = statusAfterDelivery(statusForSpec(undefined, 1, undefined, "t0"), delivery({ result: "Failed" }));
  assert.equal(ready(statusForSpec(failed, 1, undefined, "t1"))?.reason, "DeliveryFailed");
  assert.equal(ready(statusForSpec(failed, 2, undefined, "t1"))?.reason, "Valid", "a new spec starts afresh");
});

test("deliveries: counters, lastDelivery, lastFailure and Ready follow the results", () => {
  let s = statusAfterDelivery(undefined, delivery());
  assert.equal(s.delivered, 1);
  assert.equal(ready(s)?.status, "True");
  assert.equal(ready(s)?.reason, "Delivered");
  s = statusAfterDelivery(
    s,
    delivery({ id: "id-2", result: "Failed", attempts: 6, message: "HTTP 500 Internal Server Error", time: "t2" }),
  );
  assert.equal(s.failed, 1);
  assert.equal(s.delivered, 1);
  assert.equal(ready(s)?.status, "False");
  assert.equal(ready(s)?.reason, "DeliveryFailed");
  assert.equal(
    ready(s)?.message,
    "SyncSucceeded of team/shop was not delivered after 6 attempts: HTTP 500 Internal Server Error",
  );
  assert.equal(s.lastFailure?.id, "id-2");
  s = statusAfterDelivery(s, delivery({ id: "id-3", result: "Interrupted" }));
  assert.equal(s.interrupted, 1);
  assert.equal(ready(s)?.reason, "DeliveryFailed", "an interrupted delivery says nothing of the receiver");
  assert.equal(s.lastDelivery?.id, "id-3");
  s = statusAfterDelivery(s, delivery({ id: "id-4", time: "t4" }));
  assert.equal(ready(s)?.status, "True");
  assert.equal(ready(s)?.lastTransitionTime, "t4");
  assert.equal(s.lastFailure?.id, "id-3", "the last failure stays on record");
});
