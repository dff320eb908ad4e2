// One object's comparison: dry-run result (desired) against live, in the vocabulary of ResourceSyncStatus.
import { type IgnoreDifference, type KubeObject, type ResourceSyncStatus, refOf } from "../api/index.js";
import { changedValues } from "./changed-paths.js";
import { type FieldChange, fieldChanges } from "./field-change.js";
import { applyIgnoreDifferences } from "./ignore-differences.js";
import { normalize } from "./normalize.js";
import { maskSecret } from "./secret-mask.js";
import { renderDiff } from "./unified-diff.js";

export interface Comparison<S extends ResourceSyncStatus = ResourceSyncStatus> {
  status: S;
  /**
   * Where the objects differ, as JSON pointers (see `changedPaths`); list indexes are the LIVE object's
   * where the item exists live, so the pointers resolve against the object `attributeDrift` reads.
   * `[""]` (the whole object) for Missing and Extraneous; `[]` when Synced.
   */
  changedPaths: string[];
  /** Unified diff from live to desired of the normalised, masked YAML; "" when Synced. */
  diff: string;
  /**
   * One entry per changed path with both values, rendered short and taken from the masked objects (a
   * Secret's values are placeholders here too). `[]` when Synced and for Missing and Extraneous.
   */
  changes: FieldChange[];
}

export interface CompareOptions {
  /** The server-side dry-run result of applying the desired manifest (field manager bosun). */
  desired: KubeObject;
  /** The live object as read, with its managedFields. */
  live: KubeObject;
  /** The Application's `spec.ignoreDifferences`; rules for other objects are skipped. */
  ignoreDifferences?: readonly IgnoreDifference[];
}

/**
 * Compare a dry-run result with the live object: normalise both, drop what `ignoreDifferences` ignores,
 * mask Secret values, then diff. Secret values never reach the result. Throws `IgnoreRuleError` for a
 * malformed rule that applies to this object.
 */
export function compare(options: CompareOptions): Comparison<"Synced" | "OutOfSync"> {
  const { desired, live } = applyIgnoreDifferences({
    desired: normalize(options.desired),
    live: normalize(options.live),
    liveWithManagedFields: options.live,
    rules: options.ignoreDifferences ?? [],
  });
  const masked = maskSecret(live, desired);
  // desired first, live second: paired list items are then pointed at by their live index.
  const values = changedValues(masked.desired, masked.live);
  if (values.length === 0) return { status: "Synced", changedPaths: [], diff: "", changes: [] };
  return {
    status: "OutOfSync",
    changedPaths: values.map((v) => v.path),
    diff: renderDiff({ ref: refOf(options.live), live: masked.live, desired: masked.desired }),
    changes: fieldChanges(values),
  };
}
