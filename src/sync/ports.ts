// What executing a sync needs from a cluster, as small ports: cluster/'s KubeClient and WatchCache fit
// them as they are; unit tests pass fakes. Nothing here talks to an API server itself.
import type { Health, KubeObject, ObjectRef } from "../api/index.js";
import type { ApplyResult, FieldValidation, ObjectAddress, PropagationPolicy } from "../cluster/index.js";

export interface WriteOptions {
  /** Server-side dry run: the object as it would be after the write, nothing persisted. */
  dryRun?: boolean;
  /** How the server treats fields the schema does not declare (Strict refuses them, Ignore drops them). */
  fieldValidation?: FieldValidation;
  signal?: AbortSignal;
}

/** The ways bosun writes one object: server-side apply, replace (PUT, or create), create, merge patch. */
export interface Applier {
  apply(obj: KubeObject, options: WriteOptions & { force?: boolean }): Promise<ApplyResult>;
  replace(obj: KubeObject, options: WriteOptions): Promise<ApplyResult>;
  create(obj: KubeObject, options: WriteOptions): Promise<ApplyResult>;
  mergePatch(addr: ObjectAddress, patch: Record<string, unknown>, options: WriteOptions): Promise<ApplyResult>;
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

/** Lists objects by label (hooks named by the server are found again this way). */
export interface Lister {
  list(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string; signal?: AbortSignal },
  ): Promise<{ items: KubeObject[] }>;
}

/** Whether the API server serves a kind now (a CRD applied a moment ago is served once Established). */
export interface KindReader {
  serves(apiVersion: string, kind: string, signal?: AbortSignal): Promise<boolean>;
}

/** Live objects bosun tracks, as the watch cache holds them: no request. */
export interface TrackedObjects {
  get(ref: ObjectRef): KubeObject | undefined;
}

/** The health of a task's live object (Missing when there is none). */
export type HealthReader = (ref: ObjectRef) => Health;
