// GET /api/applications' query: filters (name text, sync, health, project, cluster), a page of the matches
// (offset, limit), and counts by sync, health, project and cluster over every Application the caller may see,
// before any filter (an overview's numbers do not move with the filter). Pure.
import type { AppSummary } from "./app-view.js";

/** The most Applications one answer carries when a limit is asked for; without one, every match. */
export const MAX_LIMIT = 500;

export interface AppQuery {
  /** Lower-case text found in `namespace/name`; "" for any. */
  text: string;
  /** Each absent for any. */
  sync?: string;
  health?: string;
  project?: string;
  cluster?: string;
  /** Matches skipped before the page. */
  offset: number;
  /** Matches in the page; absent for all of them. */
  limit?: number;
}

export type Counts = Record<string, number>;

export interface AppCounts {
  sync: Counts;
  health: Counts;
  project: Counts;
  cluster: Counts;
}

export interface AppListAnswer {
  /** The page: matches from `offset`, at most `limit`, by namespace then name. */
  items: AppSummary[];
  /** How many Applications the caller may see. */
  total: number;
  /** How many of them the filters let through. */
  matched: number;
  /** Over all `total`, not only the matches. */
  counts: AppCounts;
}

/** A query parameter that is not what it may be: the answer is a 400 with this message. */
export class AppQueryError extends Error {
  override readonly name = "AppQueryError";
}

const FILTERS = ["sync", "health", "project", "cluster"] as const;
type FilterKey = (typeof FILTERS)[number];
const SHOWN_VALUE = 40;

function shown(value: string): string {
  return JSON.stringify(value.length > SHOWN_VALUE ? `${value.slice(0, SHOWN_VALUE)}…` : value);
}

/** One parameter's value: undefined when absent or empty; more than one is refused. */
function single(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new AppQueryError(`${key} may be given once`);
  return value === "" ? undefined : value;
}

function whole(raw: Record<string, unknown>, key: string, max: number): number | undefined {
  const value = single(raw, key);
  if (value === undefined) return undefined;
  const n = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n <= max)) throw new AppQueryError(`${key} must be a whole number from 0 to ${max}, not ${shown(value)}`);
  return n;
}

/** The query from a request's parameters (a querystring parsed to strings, or lists of a repeated one). */
export function parseAppQuery(raw: Record<string, unknown> = {}): AppQuery {
  const query: AppQuery = {
    text: (single(raw, "q") ?? "").trim().toLowerCase(),
    offset: whole(raw, "offset", Number.MAX_SAFE_INTEGER) ?? 0,
  };
  const limit = whole(raw, "limit", MAX_LIMIT);
  if (limit !== undefined) query.limit = limit;
  for (const key of FILTERS) {
    const value = single(raw, key);
    if (value !== undefined) query[key] = value;
  }
  return query;
}

function fieldOf(app: AppSummary, key: FilterKey): string {
  return app[key];
}

function matches(app: AppSummary, query: AppQuery): boolean {
  for (const key of FILTERS) {
    const wanted = query[key];
    if (wanted !== undefined && fieldOf(app, key) !== wanted) return false;
  }
  return query.text === "" || `${app.namespace}/${app.name}`.toLowerCase().includes(query.text);
}

/** How many Applications have each sync status, health, project and cluster. */
export function countApps(apps: readonly AppSummary[]): AppCounts {
  // Maps, not objects, while counting: a value such as "__proto__" is a key like any other.
  const tally = (key: FilterKey): Counts => {
    const counts = new Map<string, number>();
    for (const app of apps) counts.set(fieldOf(app, key), (counts.get(fieldOf(app, key)) ?? 0) + 1);
    return Object.fromEntries(counts);
  };
  return { sync: tally("sync"), health: tally("health"), project: tally("project"), cluster: tally("cluster") };
}

/** The answer to a query over the Applications the caller may see (sorted by namespace then name). */
export function queryApps(apps: readonly AppSummary[], query: AppQuery): AppListAnswer {
  const matched = apps.filter((app) => matches(app, query));
  const end = query.limit === undefined ? undefined : query.offset + query.limit;
  return {
    items: matched.slice(query.offset, end),
    total: apps.length,
    matched: matched.length,
    counts: countApps(apps),
  };
}
