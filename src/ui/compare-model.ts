// Comparing two syncs of the History tab: which two are picked, the entry before one, and the answer of
// GET …/history/compare decoded. Pure.
import { DecodeError, type HistoryEntry } from "./model.js";

export interface ComparedEntry {
  id: number;
  revision: string;
}

export interface HistoryCompareAnswer {
  from: ComparedEntry;
  to: ComparedEntry;
  /** The diff endpoint's text format: parseDiff reads it (the `live` side is `from`). */
  diff: string;
  changed: number;
  added: string[];
  removed: string[];
}

/** Two entries, the older (smaller id) first. */
export interface ComparePair {
  from: number;
  to: number;
}

/** The pair in order, or undefined for one id twice. */
export function pairOf(a: number, b: number): ComparePair | undefined {
  if (a === b) return undefined;
  return a < b ? { from: a, to: b } : { from: b, to: a };
}

/** The entry recorded before `id` (history lists oldest first), or undefined for the first. */
export function previousEntry(items: readonly HistoryEntry[], id: number): HistoryEntry | undefined {
  const i = items.findIndex((h) => h.id === id);
  return i > 0 ? items[i - 1] : undefined;
}

/** Ticking an entry: at most two are picked; a third replaces the one picked earlier. Unticking drops it. */
export function toggleEntry(picked: readonly number[], id: number): number[] {
  if (picked.includes(id)) return picked.filter((p) => p !== id);
  return [...picked, id].slice(-2);
}

function entry(value: unknown, what: string): ComparedEntry {
  if (typeof value !== "object" || value === null) throw new DecodeError(`${what} is not an object`);
  const { id, revision } = value as { id?: unknown; revision?: unknown };
  if (typeof id !== "number") throw new DecodeError(`${what}.id is not a number`);
  if (typeof revision !== "string") throw new DecodeError(`${what}.revision is not a string`);
  return { id, revision };
}

function names(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    throw new DecodeError(`${what} is not a list of names`);
  return value;
}

export function decodeHistoryCompare(value: unknown): HistoryCompareAnswer {
  if (typeof value !== "object" || value === null) throw new DecodeError("compare is not an object");
  const o = value as Record<string, unknown>;
  if (typeof o.diff !== "string") throw new DecodeError("compare.diff is not a string");
  if (typeof o.changed !== "number") throw new DecodeError("compare.changed is not a number");
  return {
    from: entry(o.from, "compare.from"),
    to: entry(o.to, "compare.to"),
    diff: o.diff,
    changed: o.changed,
    added: names(o.added, "compare.added"),
    removed: names(o.removed, "compare.removed"),
  };
}
