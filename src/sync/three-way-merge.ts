// The three-way merge of client-side apply (`kubectl apply` without --server-side), as a JSON merge patch:
// from what was applied last (original), what Git holds now (modified) and what is live (current). Pure.
import { isRecord, type JsonRecord, jsonEqual } from "../api/index.js";

/**
 * The JSON merge patch (RFC 7386) that takes `current` to what `modified` asks for:
 * - a field `modified` sets to something else than `current` is set (maps merged key by key, lists and
 *   scalars replaced whole, as a merge patch can only replace a list);
 * - a field `original` had and `modified` no longer has is removed (null), if it is still there;
 * - a field only `current` has (another writer's, or a server default) is left alone.
 * `original` undefined means nothing was applied before: nothing is removed. `{}` when nothing changes.
 */
export function threeWayMergePatch(
  original: JsonRecord | undefined,
  modified: JsonRecord,
  current: JsonRecord,
): JsonRecord {
  const patch: JsonRecord = {};
  for (const key of Object.keys(original ?? {}))
    if (!Object.hasOwn(modified, key) && Object.hasOwn(current, key)) patch[key] = null;
  for (const [key, want] of Object.entries(modified)) {
    const have = current[key];
    // A null in Git means "not set": nothing to write when it is not set live either.
    if (want === null && have === undefined) continue;
    if (isRecord(want) && isRecord(have)) {
      const before = original?.[key];
      const nested = threeWayMergePatch(isRecord(before) ? before : undefined, want, have);
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (!jsonEqual(want, have)) {
      patch[key] = want;
    }
  }
  return patch;
}
