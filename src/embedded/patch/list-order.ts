// Where items the patch (or apply configuration) did not name end up in a merged list: each is put
// back among the named ones before the first named item that came after it in the live list. Named
// items that are new to the list count as coming before everything (strategic merge patch) or after
// everything (server-side apply), which is how the API server orders them.

export interface OrderedItem {
  item: unknown;
  /** Position in the live list; undefined for items the live list does not have. */
  liveIndex: number | undefined;
}

export function interleave(
  named: readonly OrderedItem[],
  liveOnly: readonly OrderedItem[],
  newItems: "first" | "last",
): unknown[] {
  const out = [...named];
  const rank = (e: OrderedItem) => e.liveIndex ?? (newItems === "first" ? -1 : Number.POSITIVE_INFINITY);
  let from = 0;
  for (const left of liveOnly) {
    let at = out.length;
    for (let i = from; i < out.length; i++) {
      const right = out[i];
      if (right && rank(right) > rank(left)) {
        at = i;
        break;
      }
    }
    out.splice(at, 0, left);
    from = at + 1;
  }
  return out.map((e) => e.item);
}
