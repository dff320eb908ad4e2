// The PersistentVolume controller's part, without PersistentVolumes (the embedded server does not serve
// them): a claim is bound at once to a volume named `pvc-<uid>`, with the capacity it requests.
// StorageClasses and WaitForFirstConsumer are not simulated.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { arr, isDeleting, str } from "./fields.js";

export const BIND_ANNOTATIONS = {
  "pv.kubernetes.io/bind-completed": "yes",
  "pv.kubernetes.io/bound-by-controller": "yes",
};

export function volumeNameFor(claim: KubeObject): string {
  return `pvc-${claim.metadata.uid ?? ""}`;
}

/** Whether the claim still needs its volume name and bind annotations (a write to the claim itself). */
export function needsBinding(claim: KubeObject): boolean {
  if (isDeleting(claim)) return false;
  const annotations = claim.metadata.annotations ?? {};
  return !str(claim, "spec", "volumeName") || Object.entries(BIND_ANNOTATIONS).some(([k, v]) => annotations[k] !== v);
}

/** The status of a bound claim. */
export function boundStatus(claim: KubeObject): JsonRecord {
  const status: JsonRecord = { phase: "Bound" };
  const modes = arr(claim, "spec", "accessModes");
  if (modes.length > 0) status.accessModes = modes;
  const storage = str(claim, "spec", "resources", "requests", "storage");
  if (storage) status.capacity = { storage };
  return status;
}
