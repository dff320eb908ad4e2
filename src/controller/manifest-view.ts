// What the dashboard shows of one object: its live and desired manifests as YAML and the diff between them,
// with managedFields left out, a Secret's values as the diff module's placeholders, and values from
// valuesFrom Secrets masked in all of it. Pure.
import type { KubeObject, ObjectRef, ResourceSyncStatus } from "../api/index.js";
import { maskSecret, normalize, renderDiff, toYaml } from "../diff/index.js";
import { maskSensitive } from "./values-from.js";

/** A resource's sync status; `Child` for an object the cluster made (a Pod, a ReplicaSet): it is not in Git. */
export type ResourceManifestStatus = ResourceSyncStatus | "Child" | "Unknown";

export interface ResourceManifests {
  /** YAML of the live object (managedFields left out); absent when it does not exist. */
  live?: string;
  /** YAML of the object as the agent would apply it; absent for what is not in Git. */
  desired?: string;
  /** Unified diff from live to desired, in the Diff tab's format; "" when they agree; absent when not compared. */
  diff?: string;
  status: ResourceManifestStatus;
  /** Why something is missing: the dry run was refused, the project does not permit the object. */
  note?: string;
}

export interface ManifestInput {
  ref: ObjectRef;
  status: ResourceManifestStatus;
  live?: KubeObject;
  /** The object as the agent would apply it. */
  desired?: KubeObject;
  /** The comparison's own diff of an OutOfSync object (normalised and masked by the diff module). */
  comparedDiff?: string;
  note?: string;
  /** Values from Secrets (helm.valuesFrom, postBuild.substituteFrom) that must not show. */
  sensitive: readonly string[];
}

/** The live object without managedFields, apiVersion and kind first (a list's items carry them last). */
function withoutManagedFields(live: KubeObject): KubeObject {
  const { apiVersion, kind, metadata: meta, ...rest } = live;
  const { managedFields: _managed, ...metadata } = meta;
  return { apiVersion, kind, metadata, ...rest };
}

/** The diff a person expects of each status: none when Synced, all added when Missing, all removed when Extraneous. */
function diffOf(input: ManifestInput, masked: { live?: KubeObject; desired?: KubeObject }): string | undefined {
  const { ref } = input;
  switch (input.status) {
    case "Synced":
      return "";
    case "OutOfSync":
      return input.comparedDiff;
    case "Missing":
      return masked.desired ? renderDiff({ ref, live: undefined, desired: normalize(masked.desired) }) : undefined;
    case "Extraneous":
      return masked.live ? renderDiff({ ref, live: normalize(masked.live), desired: undefined }) : undefined;
    default:
      return undefined;
  }
}

export function manifestsOf(input: ManifestInput): ResourceManifests {
  // Both sides at once: a Secret's key shows whether its value differs, never the value.
  const masked = maskSecret(input.live ? withoutManagedFields(input.live) : undefined, input.desired);
  const text = (value: string) => maskSensitive(value, input.sensitive);
  const diff = input.status === "Child" ? undefined : diffOf(input, masked);
  return {
    ...(masked.live ? { live: text(toYaml(masked.live)) } : {}),
    ...(masked.desired && input.status !== "Child" ? { desired: text(toYaml(masked.desired)) } : {}),
    ...(diff !== undefined ? { diff: text(diff) } : {}),
    status: input.status,
    ...(input.note ? { note: text(input.note) } : {}),
  };
}
