// The Applications overview: GET /api/applications' filtered answer with its counts, the query that asks for
// it, and how the counts read. Pure.
import { type AppSummary, DecodeError, decodeItems, decodeSummary } from "./model.js";

export type Counts = ReadonlyMap<string, number>;

export interface AppCounts {
  sync: Counts;
  health: Counts;
  project: Counts;
  cluster: Counts;
}

export interface AppListAnswer {
  /** The Applications the filter lets through, by namespace then name. */
  items: AppSummary[];
  /** How many Applications the token sees. */
  total: number;
  /** How many of them the filter lets through. */
  matched: number;
  /** Over every Application the token sees, whatever the filter. */
  counts: AppCounts;
}

export interface ListFilter {
  /** Part of namespace/name; "" for any. */
  text: string;
  /** Each "" for any. */
  sync: string;
  health: string;
  project: string;
  cluster: string;
}

export const NO_FILTER: ListFilter = { text: "", sync: "", health: "", project: "", cluster: "" };

export const SYNC_ORDER = ["Synced", "OutOfSync", "Unknown"];
export const HEALTH_ORDER = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"];

function decodeCounts(value: unknown, what: string): Counts {
  if (value === undefined) return new Map();
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new DecodeError(`${what} is not an object`);
  const counts = new Map<string, number>();
  for (const [key, n] of Object.entries(value)) {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new DecodeError(`${what}.${key} is not a count`);
    counts.set(key, n);
  }
  return counts;
}

function count(o: Record<string, unknown>, key: string, fallback: number): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new DecodeError(`answer.${key} is not a count`);
  return v;
}

/** The answer of GET /api/applications (a server without counts answers items alone: they count as all). */
export function decodeAppList(value: unknown): AppListAnswer {
  const items = decodeItems(value, decodeSummary);
  const o = value as Record<string, unknown>;
  const counts = o.counts ?? {};
  if (typeof counts !== "object" || counts === null) throw new DecodeError("answer.counts is not an object");
  const c = counts as Record<string, unknown>;
  return {
    items,
    total: count(o, "total", items.length),
    matched: count(o, "matched", items.length),
    counts: {
      sync: decodeCounts(c.sync, "answer.counts.sync"),
      health: decodeCounts(c.health, "answer.counts.health"),
      project: decodeCounts(c.project, "answer.counts.project"),
      cluster: decodeCounts(c.cluster, "answer.counts.cluster"),
    },
  };
}

/** The request for the Applications a filter lets through: only the filters that are set. */
export function listPath(filter: ListFilter): string {
  const params = new URLSearchParams();
  const text = filter.text.trim();
  if (text !== "") params.set("q", text);
  for (const key of ["sync", "health", "project", "cluster"] as const)
    if (filter[key] !== "") params.set(key, filter[key]);
  const query = params.toString();
  return query === "" ? "/api/applications" : `/api/applications?${query}`;
}

/** Counts in reading order: the statuses in `order` first (as they occur), then the others by name. */
export function orderedCounts(counts: Counts, order: readonly string[] = []): Array<[string, number]> {
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  return [...counts.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A filter's choices: `fixed` first, then every other value counted and `current`, by name. */
export function choicesOf(counts: Counts, current = "", fixed: readonly string[] = []): string[] {
  const others = new Set([...counts.keys()].filter((key) => !fixed.includes(key)));
  if (current !== "" && !fixed.includes(current)) others.add(current);
  return [...fixed, ...[...others].sort((a, b) => a.localeCompare(b))];
}
