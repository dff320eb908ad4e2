import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeHistoryCompare, pairOf, previousEntry, toggleEntry } from "./compare-model.js";
import { DecodeError, type HistoryEntry } from "./model.js";

const history: HistoryEntry[] = [3, 5, 8].map((id) => ({
  id,
  revision: `r${id}`,
  deployedAt: "",
  initiatedBy: "",
  result: "Succeeded",
}));

test("the changes of an entry are since the entry recorded before it; the first has none", () => {
  assert.equal(previousEntry(history, 8)?.id, 5);
  assert.equal(previousEntry(history, 5)?.id, 3, "ids need not be consecutive");
  assert.equal(previousEntry(history, 3), undefined);
  assert.equal(previousEntry(history, 99), undefined);
});

test("two entries are picked at most, a third replaces the earlier pick; a pair is older first", () => {
  assert.deepEqual(toggleEntry([], 5), [5]);
  assert.deepEqual(toggleEntry([5], 3), [5, 3]);
  assert.deepEqual(toggleEntry([5, 3], 8), [3, 8]);
  assert.deepEqual(toggleEntry([5, 3], 5), [3]);
  assert.deepEqual(pairOf(8, 3), { from: 3, to: 8 });
  assert.deepEqual(pairOf(3, 8), { from: 3, to: 8 });
  assert.equal(pairOf(3, 3), undefined);
});

test("the compare answer is decoded, and a wrong shape is refused", () => {
  const answer = { from: { id: 1, revision: "a" }, to: { id: 2, revision: "b" }, diff: "x", changed: 1 };
  assert.deepEqual(decodeHistoryCompare({ ...answer, added: ["ConfigMap/a"], removed: [] }), {
    ...answer,
    added: ["ConfigMap/a"],
    removed: [],
  });
  assert.throws(() => decodeHistoryCompare({ ...answer, added: [1], removed: [] }), DecodeError);
  assert.throws(() => decodeHistoryCompare({ ...answer, from: { id: "1", revision: "a" } }), DecodeError);
  assert.throws(() => decodeHistoryCompare({ ...answer, diff: undefined, added: [], removed: [] }), DecodeError);
});
