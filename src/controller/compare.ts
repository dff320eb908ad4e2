import {
  type IgnoreDifference,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  type ResourceSyncStatus,
} from "../api/index.js";
import { isRefusal, type KubeClient, refKey } from "../cluster/index.js";
import { attributeDrift, compare, type FieldChange, summarizeDrift } from "../diff/index.js";
import { stableHash } from "../render/index.js";
import { compareOptionsOf, dryRunObject, pruneBlocker, type SyncOptionSettings, type SyncTask } from "../sync/index.js";

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
  /**
   * Why the server refused the dry run of this object (RBAC, admission, schema), or why its write would
   * fail (its kind is not served): the apply would fail too.
   */
  error?: string;
  /** What else to know about it (a Missing object that waits for its kind to be served). */
  note?: string;
}

/** One memoised comparison per object, valid while its desired content and live resourceVersion hold. */
export type CompareCache = Map<string, { key: string; result: Omit<ResourceComparison, "task"> }>;

/** What a memoised comparison holds for: the desired content and how it is written, the live version, the ignore rules. */
function memoKey(task: SyncTask, live: KubeObject, ignoreDifferences: readonly IgnoreDifference[]): string {
  return `${stableHash([task.object, task.options])}|${live.metadata.resourceVersion}|${stableHash(ignoreDifferences)}`;
}

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
  const key = memoKey(task, live, ignoreDifferences);
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
  if (!live) return { task, ...(await missing(input.client, task, input.signal)) };
  const id = refKey(task.ref);
  const key = memoKey(task, live, input.ignoreDifferences);
  const hit = input.cache.get(id);
  if (hit?.key === key) return { task, ...hit.result };
  let dry: KubeObject;
  try {
    dry = await dryRunObject(input.client, { object: task.object, options: task.options, live, signal: input.signal });
  } catch (err) {
    if (!isRefusal(err)) throw err;
    return { task, status: "OutOfSync", diff: "", changedPaths: [], changes: [], drift: [], error: err.message };
  }
  const compared = compare({ desired: dry, live, ignoreDifferences: [...input.ignoreDifferences] });
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

/**
 * A desired object that does not exist: Missing, and nothing is dry-run. When the cluster does not serve
 * its kind and no CRD of the Application defines it, the sync would fail before applying anything (an
 * error), unless SkipDryRunOnMissingResource=true says it will be served by then (a note).
 */
async function missing(
  client: KubeClient,
  task: SyncTask,
  signal: AbortSignal,
): Promise<Omit<ResourceComparison, "task">> {
  const result = { status: "Missing" as const, diff: "", changedPaths: [], changes: [], drift: [] };
  const { apiVersion, kind } = task.object;
  if (task.definedBy || (await client.serves(apiVersion, kind, signal))) return result;
  if (task.options.skipDryRunOnMissingResource)
    return {
      ...result,
      note: `will be created once the cluster serves kind ${kind} of ${apiVersion} (its CRD exists)`,
    };
  return {
    ...result,
    error: `the cluster does not serve kind ${kind} of ${apiVersion} (is its CustomResourceDefinition installed?); the sync fails before applying anything unless the object says SkipDryRunOnMissingResource=true`,
  };
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

/** Whether the comparison found an object in sync: what ApplyOutOfSyncOnly=true does not apply again. */
export function inSyncOf(comparisons: readonly ResourceComparison[]): (ref: ObjectRef) => boolean {
  const synced = new Set(comparisons.filter((c) => c.status === "Synced").map((c) => inventoryId(c.task.ref)));
  return (ref) => synced.has(inventoryId(ref));
}
