import type { IgnoreDifference, KubeObject, ResourceSyncStatus } from "../api/index.js";
import { ApiError, InvalidObjectError, type KubeClient, ObjectError, refKey } from "../cluster/index.js";
import { attributeDrift, compare, type FieldChange, summarizeDrift } from "../diff/index.js";
import { stableHash } from "../render/index.js";
import type { SyncTask } from "../sync/index.js";

export interface DriftSummary {
  manager: string;
  operation?: string;
  fields: string[];
  at?: string;
}

export interface ResourceComparison {
  task: SyncTask;
  status: Exclude<ResourceSyncStatus, "Extraneous">;
  /** Unified diff live → desired, Secret values masked. */
  diff: string;
  changedPaths: string[];
  /** The desired and live value of each changed path, rendered short; Secret values masked as in `diff`. */
  changes: FieldChange[];
  /** Who owns the fields that differ (other managers than bosun). */
  drift: DriftSummary[];
  /** Why the server refused the dry run of this object (RBAC, admission, schema): the apply would fail too. */
  error?: string;
}

/** A dry run the server refused for this object's sake (4xx), as opposed to a server or network failure. */
function refusedByServer(err: unknown): err is ObjectError {
  if (err instanceof InvalidObjectError) return true;
  if (!(err instanceof ObjectError) || !(err.cause instanceof ApiError)) return false;
  const { code } = err.cause;
  return code >= 400 && code < 500 && code !== 429;
}

/** One memoised comparison per object, valid while its desired content and live resourceVersion hold. */
export type CompareCache = Map<string, { key: string; result: Omit<ResourceComparison, "task"> }>;

/**
 * Remembers what an apply returned as the comparison of that desired object with that live object: Synced
 * (the server made the live object of exactly this content). The reconcile that follows a sync then makes
 * no dry run for an object nothing changed since.
 */
export function rememberApplied(
  cache: CompareCache,
  task: SyncTask,
  live: KubeObject,
  ignoreDifferences: readonly IgnoreDifference[],
): void {
  const key = `${stableHash(task.object)}|${live.metadata.resourceVersion}|${stableHash(ignoreDifferences)}`;
  cache.set(refKey(task.ref), {
    key,
    result: { status: "Synced", diff: "", changedPaths: [], changes: [], drift: [] },
  });
}

/**
 * Compares one desired object with its live object through a server-side dry run. Memoised: when neither
 * the desired content nor the live resourceVersion changed, no request is made.
 */
export async function compareResource(input: {
  client: KubeClient;
  task: SyncTask;
  live: KubeObject | undefined;
  ignoreDifferences: readonly IgnoreDifference[];
  cache: CompareCache;
  signal: AbortSignal;
}): Promise<ResourceComparison> {
  const { task, live } = input;
  if (!live) return { task, status: "Missing", diff: "", changedPaths: [], changes: [], drift: [] };
  const id = refKey(task.ref);
  const key = `${stableHash(task.object)}|${live.metadata.resourceVersion}|${stableHash(input.ignoreDifferences)}`;
  const hit = input.cache.get(id);
  if (hit?.key === key) return { task, ...hit.result };
  let dry: Awaited<ReturnType<KubeClient["apply"]>>;
  try {
    dry = await input.client.apply(task.object, { dryRun: true, force: true, signal: input.signal });
  } catch (err) {
    if (!refusedByServer(err)) throw err;
    return { task, status: "OutOfSync", diff: "", changedPaths: [], changes: [], drift: [], error: err.message };
  }
  const compared = compare({ desired: dry.object, live, ignoreDifferences: [...input.ignoreDifferences] });
  const drift =
    compared.status === "Synced" ? [] : summarizeDrift(attributeDrift({ live, changedPaths: compared.changedPaths }));
  const result = {
    status: compared.status,
    diff: compared.diff,
    changedPaths: compared.changedPaths,
    changes: compared.changes,
    drift,
  };
  input.cache.set(id, { key, result });
  return { task, ...result };
}
