// What a sync asked for by hand may ask besides a revision: prune, a dry run, only some objects. Read from the
// Application's annotations (the CLI and the HTTP API write them), kept on the operation. Pure.
import {
  ANNOTATIONS,
  type Application,
  describeRef,
  inventoryId,
  type ObjectRef,
  parseInventoryId,
} from "../api/index.js";
import type { SyncPlan } from "../sync/index.js";
import type { ResourceComparison } from "./compare.js";
import type { SyncRequestOptions } from "./sync-decision.js";

/** The ids of `bosun.dev/sync-resources` (a JSON array of inventory ids); entries that are not one are dropped. */
function requestedResources(raw: string | undefined): string[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((id): id is string => typeof id === "string" && parseInventoryId(id) !== undefined);
}

/** The options of the Application's pending manual sync request. */
export function syncRequestOptions(app: Application): SyncRequestOptions {
  const annotations = app.metadata.annotations ?? {};
  const resources = requestedResources(annotations[ANNOTATIONS.syncResources]);
  return {
    ...(annotations[ANNOTATIONS.syncPrune] === "true" ? { prune: true } : {}),
    ...(annotations[ANNOTATIONS.syncDryRun] === "true" ? { dryRun: true } : {}),
    ...(resources.length > 0 ? { resources } : {}),
  };
}

/** The annotations that ask for a sync with these options (null removes one left from an earlier request). */
export function syncRequestAnnotations(options: SyncRequestOptions): Record<string, string | null> {
  return {
    [ANNOTATIONS.syncPrune]: options.prune ? "true" : null,
    [ANNOTATIONS.syncDryRun]: options.dryRun ? "true" : null,
    [ANNOTATIONS.syncResources]: options.resources?.length ? JSON.stringify(options.resources) : null,
  };
}

/** Whether ref is among the chosen objects; every object is when none were chosen. */
export function chosen(selection: readonly string[] | undefined): (ref: ObjectRef) => boolean {
  if (!selection?.length) return () => true;
  const ids = new Set(selection);
  return (ref) => ids.has(inventoryId(ref));
}

/**
 * The plan of a selective sync: only the chosen objects, in their phases and waves; no hooks (they belong to
 * a whole sync, as in Argo CD). `resources` stays whole: it is what the inventory holds.
 */
export function selectPlan(plan: SyncPlan, selection: readonly string[] | undefined): SyncPlan {
  if (!selection?.length) return plan;
  const keep = chosen(selection);
  const steps = plan.steps
    .map((step) => ({ ...step, tasks: step.tasks.filter((t) => !t.hook && keep(t.ref)) }))
    .filter((step) => step.tasks.length > 0);
  return { ...plan, steps, onFail: [] };
}

export interface DryRunReport {
  ok: boolean;
  message: string;
  /** The objects the server refused, with its answer. */
  failures: Array<{ resource: string; message: string }>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * What a sync would do, from the comparison (itself a server-side dry run of every desired object against
 * its live one): what it would create, change and prune, and what the server refused.
 */
export function dryRunReport(input: {
  comparisons: readonly ResourceComparison[];
  /** The extraneous objects a prune would delete (empty without prune). */
  pruned: readonly ObjectRef[];
  selection?: readonly string[];
}): DryRunReport {
  const keep = chosen(input.selection);
  const compared = input.comparisons.filter((c) => !c.task.hook && keep(c.task.ref));
  const failures = compared
    .filter((c) => c.error !== undefined)
    .map((c) => ({ resource: describeRef(c.task.ref), message: c.error ?? "" }));
  const fine = compared.filter((c) => c.error === undefined);
  const created = fine.filter((c) => c.status === "Missing").length;
  const changed = fine.filter((c) => c.status === "OutOfSync").length;
  const pruned = input.pruned.filter(keep).length;
  const counts = `would create ${created}, change ${changed}, prune ${pruned}, leave ${fine.length - created - changed} as they are`;
  const refused =
    failures.length > 0 ? `; the server refused ${plural(failures.length, "object")}: ${failures[0]?.resource}` : "";
  return { ok: failures.length === 0, message: `dry run: ${counts}${refused}; nothing was changed`, failures };
}

/**
 * The inventory id of one object an Application deploys, chosen as Argo CD's `--resource` names it:
 * `GROUP:KIND:NAME` or `GROUP:KIND:NAMESPACE/NAME` (the group empty for the core group: `:ConfigMap:x`). Without
 * a namespace the name must be unique among the Application's objects of that kind. A string says why not.
 */
export function chooseResource(choice: string, resources: readonly ObjectRef[]): string | { error: string } {
  const parts = choice.split(":");
  if (parts.length !== 3 || !parts[1] || !parts[2])
    return { error: `--resource ${choice}: expected GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME` };
  const [group = "", kind, rest] = parts as [string, string, string];
  const slash = rest.indexOf("/");
  const namespace = slash < 0 ? undefined : rest.slice(0, slash);
  const name = slash < 0 ? rest : rest.slice(slash + 1);
  const matches = resources.filter(
    (r) =>
      r.group === group && r.kind === kind && r.name === name && (namespace === undefined || r.namespace === namespace),
  );
  if (matches.length === 0) return { error: `--resource ${choice}: the Application has no such object` };
  if (matches.length > 1)
    return {
      error: `--resource ${choice}: ${matches.length} objects match; name the namespace (GROUP:KIND:NAMESPACE/NAME)`,
    };
  return inventoryId(matches[0] as ObjectRef);
}
