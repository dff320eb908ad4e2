import assert from "node:assert/strict";
import { test } from "node:test";
import { heldLeaseSpec, mayAcquire, microTime, releasedLeaseSpec } from "./leader-election.js";

test("MicroTime has microseconds, as the API server parses it", () => {
  assert.equal(microTime(Date.UTC(2026, 11, 5, 23, 1, 2, 345)), "2026-12-05T23:01:02.345000Z");
});

test("a Lease may be taken when free, own, or not renewed for its duration on the candidate's clock", () => {
  const held = { holderIdentity: "a", leaseDurationSeconds: 15 };
  assert.ok(mayAcquire({}, "b", 0, 0, 15_000));
  assert.ok(mayAcquire({ holderIdentity: "" }, "b", 0, 0, 15_000));
  assert.ok(mayAcquire(held, "a", 1000, 1001, 15_000));
  assert.ok(!mayAcquire(held, "b", 1000, 15_999, 15_000));
  assert.ok(mayAcquire(held, "b", 1000, 16_000, 15_000));
  // The record's own duration wins over the candidate's default.
  assert.ok(mayAcquire({ holderIdentity: "a", leaseDurationSeconds: 1 }, "b", 1000, 2000, 15_000));
});

test("the record of a take, a renewal and a release, as client-go writes them", () => {
  const t0 = Date.UTC(2026, 11, 6, 3, 0, 0);
  const taken = heldLeaseSpec({ holderIdentity: "a", acquireTime: "x", leaseTransitions: 4 }, "b", t0, 15_000);
  assert.deepEqual(taken, {
    holderIdentity: "b",
    leaseDurationSeconds: 15,
    acquireTime: microTime(t0),
    renewTime: microTime(t0),
    leaseTransitions: 5,
  });
  const renewed = heldLeaseSpec(taken, "b", t0 + 2000, 15_000);
  assert.equal(renewed.acquireTime, microTime(t0), "kept while it holds the Lease");
  assert.equal(renewed.renewTime, microTime(t0 + 2000));
  assert.equal(renewed.leaseTransitions, 5);
  assert.equal(heldLeaseSpec(undefined, "c", t0, 15_000).leaseTransitions, 0, "a new Lease");
  const released = releasedLeaseSpec(renewed, t0 + 3000);
  assert.equal(released.holderIdentity, "");
  assert.equal(released.leaseDurationSeconds, 1);
  assert.equal(heldLeaseSpec(released, "b", t0 + 4000, 15_000).leaseTransitions, 6, "taking a released Lease counts");
});
