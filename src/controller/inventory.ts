import { type AppKey, describeRef, type KubeObject, type ObjectRef, trackedBy } from "../api/index.js";

/** A desired object that another Application already tracks: reported, never taken over. */
export interface OwnershipConflict {
  ref: ObjectRef;
  owner: AppKey;
  message: string;
}

export function ownershipConflicts(
  app: AppKey,
  desired: readonly ObjectRef[],
  liveOf: (ref: ObjectRef) => KubeObject | undefined,
): OwnershipConflict[] {
  const conflicts: OwnershipConflict[] = [];
  for (const ref of desired) {
    const owner = trackedBy(liveOf(ref));
    if (owner && !(owner.namespace === app.namespace && owner.name === app.name)) {
      conflicts.push({
        ref,
        owner,
        message: `${describeRef(ref)} is managed by Application ${owner.namespace}/${owner.name}; bosun will not take it over`,
      });
    }
  }
  return conflicts;
}
