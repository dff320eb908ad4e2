// What executing a sync needs from a cluster, as small ports: cluster/'s KubeClient and WatchCache fit
// them as they are; unit tests pass fakes. Nothing here talks to an API server itself.
import type { Health, KubeObject, ObjectRef } from "../api/index.js";

/** Where one object is: what the cluster client needs to find it. */
export interface ObjectAddress {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type PropagationPolicy = "Foreground" | "Background" | "Orphan";

/** Server-side apply of one object. */
export interface Applier {
  apply(
    obj: KubeObject,
    options: { dryRun?: boolean; force?: boolean; signal?: AbortSignal },
  ): Promise<{ object: KubeObject; created: boolean }>;
}

/** Deletes one object; false when it was already gone. */
export interface Deleter {
  delete(
    addr: ObjectAddress,
    options: { propagationPolicy?: PropagationPolicy; signal?: AbortSignal },
  ): Promise<boolean>;
}

/** Reads one object from the server (objects bosun does not track are not in the watch cache). */
export interface LiveReader {
  get(addr: ObjectAddress, signal?: AbortSignal): Promise<KubeObject | undefined>;
}

/** Live objects bosun tracks, as the watch cache holds them: no request. */
export interface TrackedObjects {
  get(ref: ObjectRef): KubeObject | undefined;
}

/** The health of a task's live object (Missing when there is none). */
export type HealthReader = (ref: ObjectRef) => Health;
