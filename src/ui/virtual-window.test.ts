import assert from "node:assert/strict";
import { test } from "node:test";
import { rowPitch, rowWindow, spacerHeights } from "./virtual-window.js";

const at = (offset: number, count = 1000) => rowWindow({ count, rowHeight: 50, offset, viewport: 400, overscan: 2 });

test("the window: the rows in the viewport and the overscan on each side, within the list", () => {
  assert.deepEqual(at(0), { first: 0, end: 10 }, "8 rows in view, 2 more below");
  assert.deepEqual(at(-300), { first: 0, end: 4 }, "the list starts 300 px down: 2 rows in view");
  assert.deepEqual(at(-1000), { first: 0, end: 0 }, "below the viewport: nothing");
  assert.deepEqual(at(1025), { first: 18, end: 31 }, "rows 20 to 28 in view");
  assert.deepEqual(at(49_600), { first: 990, end: 1000 }, "the end: no row past the last");
  assert.deepEqual(at(60_000), { first: 1000, end: 1000 }, "scrolled past the list: nothing");
  assert.deepEqual(at(0, 3), { first: 0, end: 3 });
  assert.deepEqual(at(0, 0), { first: 0, end: 0 });
  const many = at(10_000);
  assert.ok(many.end - many.first <= 400 / 50 + 1 + 2 * 2, "a window is a viewport and two overscans");
});

test("the spacers stand for the rows outside the window", () => {
  assert.deepEqual(spacerHeights({ first: 18, end: 31 }, 1000, 50), { above: 900, below: 48_450 });
  assert.deepEqual(spacerHeights({ first: 0, end: 3 }, 3, 50), { above: 0, below: 0 });
  // Above + window + below is the whole list's height, wherever the window is.
  for (const offset of [0, 777, 20_000, 49_600]) {
    const w = at(offset);
    const { above, below } = spacerHeights(w, 1000, 50);
    assert.equal(above + (w.end - w.first) * 50 + below, 50_000);
  }
});

test("the row height: from two rows' tops (the gap between them included), else one row's height", () => {
  assert.equal(rowPitch([100, 155.5], 54.5), 55.5);
  assert.equal(rowPitch([100], 54.5), 54.5);
  assert.equal(rowPitch([], undefined), undefined);
  assert.equal(rowPitch([100, 100], 0), undefined, "rows not laid out yet");
});
