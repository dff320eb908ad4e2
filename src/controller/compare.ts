import type { IgnoreDifference, KubeObject, ObjectRef, ResourceSyncStatus } from "../api/index.js";
import { ApiError, InvalidObjectError, type KubeClient, ObjectError, refKey } from "../cluster/index.js";
import { attributeDrift, compare, type FieldChange, summarizeDrift } from "../diff/index.js";
import { stableHash } from "../render/index.js";
import { compareOptionsOf, pruneBlocker, type SyncOptionSettings, type SyncTask } from "../sync/index.js";

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
  const key = `${stableHash([task.object, task.options])}|${live.metadata.resourceVersion}|${stableHash(input.ignoreDifferences)}`;
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

function ignoresExtraneous(live: KubeObject): boolean {
  try {
    return compareOptionsOf(live).ignoreExtraneous;
  } catch {
    return false; // an unreadable annotation ignores nothing
  }
}

/** Whether any extraneous object makes the Application OutOfSync: not those with compare option IgnoreExtraneous. */
export function extraneousOutOfSync(
  extraneous: readonly ObjectRef[],
  liveOf: (ref: ObjectRef) => KubeObject | undefined,
): boolean {
  return extraneous.some((ref) => {
    const live = liveOf(ref);
    return !(live && ignoresExtraneous(live));
  });
}

/**
 * Whether extraneous objects are a reason to start a sync: when Git moved, any that makes the Application
 * OutOfSync (the sync records the revision); else (self-heal) only one a sync would prune, since one that
 * stays whatever happens (Prune=false) would have a self-healing Application sync again and again.
 */
export function extraneousSyncReason(input: {
  extraneous: readonly ObjectRef[];
  liveOf: (ref: ObjectRef) => KubeObject | undefined;
  options: SyncOptionSettings;
  revisionChanged: boolean;
}): boolean {
  if (input.revisionChanged) return extraneousOutOfSync(input.extraneous, input.liveOf);
  return input.extraneous.some((ref) => {
    const live = input.liveOf(ref);
    return live !== undefined && !ignoresExtraneous(live) && pruneBlocker(live, input.options) === undefined;
  });
}
