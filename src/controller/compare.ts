import {
  type DriftAction,
  FIELD_MANAGER,
  type IgnoreDifference,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  type ResourceSyncStatus,
} from "../api/index.js";
import { isRefusal, type KubeClient, refKey } from "../cluster/index.js";
import {
  attributeDrift,
  compare,
  type DriftAttribution,
  type FieldChange,
  maskSecretValues,
  ownedFields,
  parsePointer,
  valueAt,
} from "../diff/index.js";
import { stableHash } from "../render/index.js";
import {
  compareOptionsOf,
  dryRunObject,
  pruneBlocker,
  type SyncOptionSettings,
  type SyncTask,
  throughMapsOnly,
} from "../sync/index.js";
import { type DriftDecision, type DriftPolicy, decideDrift, strongestAction } from "./drift-policy.js";

/** The fields one manager changed that one drift-policy decision covers. */
export interface DriftSummary extends DriftDecision {
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
  /** Who owns the fields that differ (other managers than bosun), and what the drift policy does about them. */
  drift: DriftSummary[];
  /**
   * Changes the drift policy allows: left out of the status and the diff above, kept live by a sync
   * (`keepLive`); their values in `allowedChanges`, rendered as in `changes`.
   */
  allowed?: DriftSummary[];
  allowedChanges?: FieldChange[];
  /** The allowed fields a sync writes as they are live (those reached through maps only). */
  keepLive?: string[];
  /** The fields only to be detected: a sync that heals drift writes them as they are live too. */
  detectOnly?: string[];
  /**
   * What to do about the difference when Git did not move: revert (self-heal syncs it) or detect (it stays
   * OutOfSync); set on every comparison that is not Synced.
   */
  action?: DriftAction;
  /**
   * Why the server refused the dry run of this object (RBAC, admission, schema), or why its write would
   * fail (its kind is not served): the apply would fail too.
   */
  error?: string;
  /** What else to know about it (a Missing object that waits for its kind to be served). */
  note?: string;
}

/**
 * One memoised comparison per object. It holds while the desired content, the ignore rules and the live
 * object as a comparison sees it hold: a new resourceVersion from a status write (a Deployment rolling
 * out, a PodDisruptionBudget counted) does not cost a dry run.
 */
export type CompareCache = Map<string, Memo>;

interface Memo {
  desired: string;
  resourceVersion: string | undefined;
  /** Fingerprint of the live object: `ownFingerprint` when `own`, else `liveFingerprint`. */
  live: string;
  own: boolean;
  result: Omit<ResourceComparison, "task">;
}

/** Hashes of desired objects: a memoized render hands the same objects to every reconcile until Git moves. */
const objectHashes = new WeakMap<KubeObject, string>();

function objectHash(object: KubeObject): string {
  let hash = objectHashes.get(object);
  if (hash === undefined) {
    hash = stableHash(object);
    objectHashes.set(object, hash);
  }
  return hash;
}

/** What a comparison's memo is keyed by: the desired object, its options, what is ignored and the drift policy. */
function desiredKey(task: SyncTask, ignoreDifferences: readonly IgnoreDifference[], policy: DriftPolicy): string {
  return `${objectHash(task.object)}|${stableHash(task.options)}|${stableHash(ignoreDifferences)}|${stableHash(policy)}`;
}

/**
 * What a comparison reads of a live object: all of it but `status`, its resourceVersion, and the
 * managedFields of status writers (they own only status) and their times. The diff ignores status, and a
 * dry run merges bosun's fields into the rest; so an equal fingerprint gives an equal comparison.
 */
function liveFingerprint(live: KubeObject): string {
  const { status: _status, metadata, ...rest } = live;
  const { resourceVersion: _version, managedFields, ...meta } = metadata;
  const writers = (managedFields ?? []).filter((m) => m.subresource !== "status").map(({ time: _time, ...m }) => m);
  return stableHash([rest, meta, writers]);
}

/**
 * After bosun's own server-side apply made the object what Git says, only bosun's fields decide the
 * comparison: the dry run merges the desired object into the live one, and a field bosun does not own
 * is either not in Git or was taken from bosun (which changes bosun's managedFields entry). So the
 * fingerprint is bosun's entry and the values of the fields it names: another controller annotating the
 * object (a Deployment's revision) costs no dry run. Undefined when bosun owns nothing here.
 */
function ownFingerprint(live: KubeObject): string | undefined {
  const own = (live.metadata.managedFields ?? [])
    .filter((m) => m.manager === FIELD_MANAGER && m.operation === "Apply" && m.subresource === undefined)
    .map(({ time: _time, ...m }) => m);
  if (own.length === 0) return undefined;
  const values = own.flatMap((m) =>
    ownedFields(live, m.fieldsV1).map((f) => [f.pointer, f.self || valueAt(live, parsePointer(f.pointer))]),
  );
  return stableHash([own, values]);
}

function memoFor(cache: CompareCache, id: string, desired: string, live: KubeObject): Memo | undefined {
  const memo = cache.get(id);
  if (memo?.desired !== desired) return undefined;
  if (memo.resourceVersion === live.metadata.resourceVersion) return memo;
  if (memo.live !== (memo.own ? ownFingerprint(live) : liveFingerprint(live))) return undefined;
  memo.resourceVersion = live.metadata.resourceVersion;
  return memo;
}

function remember(
  cache: CompareCache,
  id: string,
  desired: string,
  live: KubeObject,
  result: Omit<ResourceComparison, "task">,
): void {
  cache.set(id, {
    desired,
    resourceVersion: live.metadata.resourceVersion,
    live: liveFingerprint(live),
    own: false,
    result,
  });
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
  driftPolicy: DriftPolicy,
): void {
  const result = { status: "Synced" as const, diff: "", changedPaths: [], changes: [], drift: [] };
  const id = refKey(task.ref);
  // Keyed as the next comparison keys it (same policy), or that comparison misses and dry-runs every object.
  const desired = desiredKey(task, ignoreDifferences, driftPolicy);
  const own = task.options.serverSideApply && !task.options.replace ? ownFingerprint(live) : undefined;
  if (own === undefined) remember(cache, id, desired, live, result);
  else cache.set(id, { desired, resourceVersion: live.metadata.resourceVersion, live: own, own: true, result });
}

/**
 * Compares one desired object with its live object through a server-side dry run. Memoised: when neither
 * the desired content nor the live object (but for its status) changed, no request is made.
 */
export async function compareResource(input: {
  client: KubeClient;
  task: SyncTask;
  live: KubeObject | undefined;
  ignoreDifferences: readonly IgnoreDifference[];
  /** What to do about drift (driftPolicyOf the Application). */
  driftPolicy: DriftPolicy;
  cache: CompareCache;
  signal: AbortSignal;
}): Promise<ResourceComparison> {
  const { task, live } = input;
  if (!live) return { task, ...(await missing(input.client, task, input.signal)) };
  const id = refKey(task.ref);
  const desired = desiredKey(task, input.ignoreDifferences, input.driftPolicy);
  const hit = memoFor(input.cache, id, desired, live);
  if (hit) return { task, ...hit.result };
  let dry: KubeObject;
  try {
    dry = await dryRunObject(input.client, { object: task.object, options: task.options, live, signal: input.signal });
  } catch (err) {
    if (!isRefusal(err)) throw err;
    const error = maskSecretValues(err.message, task.object);
    return { task, status: "OutOfSync", diff: "", changedPaths: [], changes: [], drift: [], error };
  }
  const result = judged(task, dry, live, input.ignoreDifferences, input.driftPolicy);
  remember(input.cache, id, desired, live, result);
  return { task, ...result };
}

type Decided = DriftAttribution & DriftDecision;

/**
 * The comparison of a dry run with the live object under the drift policy: each changed field attributed
 * to its manager and decided; the allowed ones are compared again as ignored, so an object whose every
 * change is allowed is Synced.
 */
function judged(
  task: SyncTask,
  dry: KubeObject,
  live: KubeObject,
  ignoreDifferences: readonly IgnoreDifference[],
  policy: DriftPolicy,
): Omit<ResourceComparison, "task"> {
  const first = compare({ desired: dry, live, ignoreDifferences: [...ignoreDifferences] });
  const base = { status: first.status, diff: first.diff, changedPaths: first.changedPaths, changes: first.changes };
  if (first.status === "Synced") return { ...base, drift: [] };
  const decided: Decided[] = attributeDrift({ live, changedPaths: first.changedPaths }).map((a) => ({
    ...a,
    ...decideDrift(policy, { ref: task.ref, manager: a.manager, path: a.path }),
  }));
  const kept = decided.filter((d) => d.action !== "allow");
  const action = strongestAction(kept.map((d) => d.action)) ?? policy.fallback;
  const drift = summarize(kept.filter((d) => d.manager !== FIELD_MANAGER));
  const detected = kept.filter((d) => d.action === "detect" && d.manager !== FIELD_MANAGER).map((d) => d.path);
  const detectOnly = detected.filter((p) => throughMapsOnly(live, parsePointer(p)));
  const allowedPaths = decided.filter((d) => d.action === "allow").map((d) => d.path);
  if (allowedPaths.length === 0) return { ...base, drift, action, ...(detectOnly.length ? { detectOnly } : {}) };
  const { group, kind, namespace, name } = task.ref;
  const again = compare({
    desired: dry,
    live,
    ignoreDifferences: [...ignoreDifferences, { group, kind, namespace, name, jsonPointers: allowedPaths }],
  });
  const allowedSet = new Set(allowedPaths);
  return {
    status: again.status,
    diff: again.diff,
    changedPaths: again.changedPaths,
    changes: again.changes,
    drift,
    allowed: summarize(decided.filter((d) => d.action === "allow")),
    allowedChanges: first.changes.filter((c) => allowedSet.has(c.path)),
    keepLive: allowedPaths.filter((p) => throughMapsOnly(live, parsePointer(p))),
    ...(detectOnly.length ? { detectOnly } : {}),
    ...(again.status === "Synced" ? {} : { action }),
  };
}

/** Attributions grouped by manager and decision, in order of first appearance; `at` the latest time recorded. */
function summarize(decided: readonly Decided[]): DriftSummary[] {
  const groups = new Map<string, DriftSummary>();
  for (const d of decided) {
    const key = `${d.manager}|${d.action}|${d.rule ?? ""}`;
    let summary = groups.get(key);
    if (!summary) {
      summary = { manager: d.manager, fields: [], action: d.action, ...(d.rule === undefined ? {} : { rule: d.rule }) };
      groups.set(key, summary);
    }
    if (!summary.fields.includes(d.path)) summary.fields.push(d.path);
    if (d.time !== undefined && (summary.at === undefined || Date.parse(d.time) > Date.parse(summary.at)))
      summary.at = d.time;
  }
  return [...groups.values()];
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
