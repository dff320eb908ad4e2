// Which rows of a long list of rows of one height are near the viewport, and the space the others take. Pure.

export interface RowWindow {
  /** The first row in the DOM. */
  first: number;
  /** One past the last row in the DOM. */
  end: number;
}

export interface WindowInput {
  /** Rows in the list. */
  count: number;
  /** Each row's height, with what separates it from the next (px). */
  rowHeight: number;
  /** How far the viewport's top is below the list's top (negative: the list starts lower down). */
  offset: number;
  /** The viewport's height. */
  viewport: number;
  /** Rows kept beyond each edge of the viewport, so a scroll shows rows already there. */
  overscan: number;
}

/** The rows that are in (or within `overscan` rows of) the viewport; none when the list is out of sight. */
export function rowWindow({ count, rowHeight, offset, viewport, overscan }: WindowInput): RowWindow {
  if (count <= 0) return { first: 0, end: 0 };
  const height = rowHeight > 0 ? rowHeight : 1;
  const top = Math.floor(Math.max(0, offset) / height) - overscan;
  const bottom = offset + viewport <= 0 ? 0 : Math.ceil((offset + viewport) / height) + overscan;
  const first = Math.min(Math.max(0, top), count);
  const end = Math.min(Math.max(first, bottom), count);
  return { first, end };
}

/** The space the rows before and after the window take (px). */
export function spacerHeights(window: RowWindow, count: number, rowHeight: number): { above: number; below: number } {
  return { above: window.first * rowHeight, below: Math.max(0, count - window.end) * rowHeight };
}

/** A row's height with its gap, from the tops of consecutive rows (or one row's height); undefined with none. */
export function rowPitch(tops: readonly number[], firstHeight: number | undefined): number | undefined {
  const [a, b] = tops;
  if (a !== undefined && b !== undefined && b > a) return b - a;
  return firstHeight !== undefined && firstHeight > 0 ? firstHeight : undefined;
}

export function sameWindow(a: RowWindow, b: RowWindow): boolean {
  return a.first === b.first && a.end === b.end;
}
