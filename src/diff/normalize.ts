// What never counts as a difference: bookkeeping the API server writes and `status`.
import type { KubeObject } from "../api/index.js";
import { cloneJson } from "../api/index.js";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** metadata fields the API server owns; they differ between any two reads and never between intents. */
const SERVER_METADATA = ["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"];

/**
 * A copy of `obj` without server bookkeeping (managedFields, resourceVersion, generation, uid,
 * creationTimestamp, selfLink), without kubectl's last-applied annotation and without `status`.
 * An annotations map left empty is dropped too, so "{}" and "absent" compare equal. Never mutates `obj`.
 */
export function normalize(obj: KubeObject): KubeObject {
  const out = cloneJson(obj);
  delete out.status;
  const meta = out.metadata;
  if (meta === undefined || meta === null) return out;
  for (const field of SERVER_METADATA) delete meta[field];
  const annotations = meta.annotations;
  if (annotations !== undefined && annotations !== null) {
    delete annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete meta.annotations;
  }
  return out;
}
