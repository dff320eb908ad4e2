// A table body of many rows of one height that puts in the DOM only the rows near the viewport: a spacer
// row above and below stands for the others, so the page's scrollbar is as long as the whole list. The page
// itself scrolls (no box of its own). The row height is measured, not assumed: the narrow layout's cards are
// taller than the wide layout's rows, and both are fixed by the stylesheet.
import type { VNode } from "preact";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { type RowWindow, rowPitch, rowWindow, sameWindow, spacerHeights } from "./virtual-window.js";

/** A guess until a row is measured. */
const ESTIMATE_PX = 56;
/** Rows kept beyond each edge of the viewport. */
const OVERSCAN = 8;
/** Rows in the first render, before anything is measured. */
const FIRST_ROWS = 30;

function Spacer({ height, columns }: { height: number; columns: number }) {
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a row is not focusable; this one holds nothing to read
    <tr class="v-spacer" aria-hidden="true">
      <td colSpan={columns} style={{ height: `${height}px` }} />
    </tr>
  );
}

interface View {
  window: RowWindow;
  rowHeight: number;
}

/**
 * The rows of `items` near the viewport, each by `row(item, index)` (a `<tr>` of the same height as the
 * others), in a `<tbody>`.
 */
export function VirtualRows<T>(props: {
  items: readonly T[];
  row: (item: T, index: number) => VNode;
  columns: number;
}) {
  const { items, row, columns } = props;
  const body = useRef<HTMLTableSectionElement>(null);
  const count = useRef(items.length);
  count.current = items.length;
  const [view, setView] = useState<View>({
    window: { first: 0, end: Math.min(items.length, FIRST_ROWS) },
    rowHeight: ESTIMATE_PX,
  });
  const rowHeight = useRef(view.rowHeight);

  // Measures the rows shown and picks the window from where the list is in the viewport now.
  const place = useCallback(() => {
    const el = body.current;
    if (!el) return;
    const rows = el.querySelectorAll<HTMLElement>(":scope > tr:not(.v-spacer)");
    const first = rows[0]?.getBoundingClientRect();
    const second = rows[1]?.getBoundingClientRect();
    const tops = first && second ? [first.top, second.top] : [];
    const measured = rowPitch(tops, first?.height);
    // Rounding between one pair of rows and another is no new height (and must not re-render for ever).
    if (measured !== undefined && Math.abs(measured - rowHeight.current) > 0.05) rowHeight.current = measured;
    const next: View = {
      rowHeight: rowHeight.current,
      window: rowWindow({
        count: count.current,
        rowHeight: rowHeight.current,
        offset: -el.getBoundingClientRect().top,
        viewport: window.innerHeight,
        overscan: OVERSCAN,
      }),
    };
    setView((v) => (sameWindow(v.window, next.window) && v.rowHeight === next.rowHeight ? v : next));
  }, []);

  // After every render (new rows, a new count): the window may have to move before the page is painted.
  useLayoutEffect(place);

  useEffect(() => {
    let frame = 0;
    const onMove = () => {
      if (frame === 0)
        frame = requestAnimationFrame(() => {
          frame = 0;
          place();
        });
    };
    addEventListener("scroll", onMove, { passive: true });
    addEventListener("resize", onMove);
    return () => {
      removeEventListener("scroll", onMove);
      removeEventListener("resize", onMove);
      cancelAnimationFrame(frame);
    };
  }, [place]);

  const end = Math.min(view.window.end, items.length);
  const first = Math.min(view.window.first, end);
  const { above, below } = spacerHeights({ first, end }, items.length, view.rowHeight);
  return (
    <tbody ref={body}>
      {above > 0 ? <Spacer key="above" height={above} columns={columns} /> : null}
      {items.slice(first, end).map((item, i) => row(item, first + i))}
      {below > 0 ? <Spacer key="below" height={below} columns={columns} /> : null}
    </tbody>
  );
}
