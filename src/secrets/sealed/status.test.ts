import assert from "node:assert/strict";
import { test } from "node:test";
import { nextStatus } from "./status.js";

const t1 = new Date("2030-01-01T00:00:00.123Z");
const t2 = new Date("2030-01-01T00:05:00Z");

test("success writes Synced=True with an empty message and the observed generation", () => {
  assert.deepEqual(nextStatus(undefined, 1, { synced: true }, t1), {
    observedGeneration: 1,
    conditions: [
      {
        type: "Synced",
        status: "True",
        lastUpdateTime: "2030-01-01T00:00:00Z",
        lastTransitionTime: "2030-01-01T00:00:00Z",
        reason: "Unsealed",
        message: "",
      },
    ],
  });
});

test("nothing is written when neither the condition nor the generation changed", () => {
  const first = nextStatus(undefined, 1, { synced: true }, t1);
  assert.equal(nextStatus(first, 1, { synced: true }, t2), undefined);
  assert.equal(nextStatus(first, 2, { synced: true }, t2)?.observedGeneration, 2);
});

test("lastTransitionTime moves only when the status flips; a new message is written", () => {
  const ok = nextStatus(undefined, 1, { synced: true }, t1);
  const failed = nextStatus(ok, 2, { synced: false, reason: "ErrUnsealFailed", message: "bad" }, t2);
  assert.equal(failed?.conditions?.[0]?.status, "False");
  assert.equal(failed?.conditions?.[0]?.lastTransitionTime, "2030-01-01T00:05:00Z");
  const t3 = new Date("2030-01-01T00:10:00Z");
  const other = nextStatus(failed, 2, { synced: false, reason: "ErrUnsealFailed", message: "worse" }, t3);
  assert.equal(other?.conditions?.[0]?.message, "worse");
  assert.equal(other?.conditions?.[0]?.lastTransitionTime, "2030-01-01T00:05:00Z");
  assert.equal(other?.conditions?.[0]?.lastUpdateTime, "2030-01-01T00:10:00Z");
});

test("other conditions are kept after Synced", () => {
  const status = nextStatus({ conditions: [{ type: "Other", status: "True" }] }, 1, { synced: true }, t1);
  assert.deepEqual(
    status?.conditions?.map((c) => c.type),
    ["Synced", "Other"],
  );
});
