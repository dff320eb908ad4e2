// One object's comparison: dry-run result (desired) against live, in the vocabulary of ResourceSyncStatus.
import {
  type IgnoreDifference,
  type KubeObject,
  type ObjectRef,
  type ResourceSyncStatus,
  refOf,
} from "../api/index.js";
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

export interface ClassifyOptions {
  /** The dry-run result (or the rendered manifest when the object does not exist yet); absent when not rendered. */
  desired?: KubeObject;
  /** The live object; absent when it does not exist. */
  live?: KubeObject;
  /** Whether the Application's inventory lists this object (it applied it before). */
  inInventory: boolean;
  ignoreDifferences?: readonly IgnoreDifference[];
}

/**
 * The sync status of one object, with paths and diff: Synced or OutOfSync when both sides exist;
 * Missing when only desired exists; Extraneous when only live exists and the inventory lists it (a
 * prune candidate). `undefined` when the object is not this Application's business: live but neither
 * rendered nor in the inventory, or absent on both sides.
 */
export function classify(options: ClassifyOptions): Comparison | undefined {
  const { desired, live } = options;
  if (desired && live) {
    return compare({ desired, live, ignoreDifferences: options.ignoreDifferences });
  }
  if (desired) return whole("Missing", refOf(desired), undefined, desired);
  if (live && options.inInventory) return whole("Extraneous", refOf(live), live, undefined);
  return undefined;
}

function whole(
  status: "Missing" | "Extraneous",
  ref: ObjectRef,
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
): Comparison {
  const masked = maskSecret(live && normalize(live), desired && normalize(desired));
  return {
    status,
    changedPaths: [""],
    diff: renderDiff({ ref, live: masked.live, desired: masked.desired }),
    changes: [],
  };
}
