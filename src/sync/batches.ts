// Doing many objects' I/O at once, within the order kinds must keep.
import { type KubeObject, kindRank } from "../api/index.js";

/**
 * fn over every item, at most `limit` at a time; the results in the items' order. The first rejection
 * rejects the whole (the others still run to their end).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return results;
}

/** Items of one kind rank in a row, in the order given: those of one group do not depend on each other. */
export function rankGroups<T>(items: readonly T[], objectOf: (item: T) => KubeObject): T[][] {
  const groups: T[][] = [];
  let rank: number | undefined;
  for (const item of items) {
    const o = objectOf(item);
    const r = kindRank(o.apiVersion, o.kind);
    if (r !== rank || groups.length === 0) groups.push([]);
    groups.at(-1)?.push(item);
    rank = r;
  }
  return groups;
}
