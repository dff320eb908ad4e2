// DELETE as the API server does it: preconditions, finalizers (deletionTimestamp first, removal when
// the last finalizer goes), propagation (Orphan detaches dependents now; Foreground waits for them
// through the foregroundDeletion finalizer; Background leaves them to the garbage collector),
// namespaces that terminate, and CustomResourceDefinitions that take their custom resources along.

import type { KubeObject } from "../../api/index.js";
import { cloneJson } from "../../api/index.js";
import { conflict, notFound } from "../errors.js";
import { BUILTIN_KINDS } from "../resources/builtin-kinds.js";
import { crdResourceType } from "../resources/registry.js";
import type { ObjectKey } from "../store/object-key.js";
import type { StoreWriter } from "../store/sqlite-store.js";
import { timestamp } from "./clock.js";
import type { WriterContext } from "./object-writer.js";
import { keyOf, resourceName, type Target } from "./target.js";

export type PropagationPolicy = "Foreground" | "Background" | "Orphan";

export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";

export interface DeleteRequest {
  propagationPolicy?: PropagationPolicy;
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone; false when it waits for finalizers (deletionTimestamp is set). */
  deleted: boolean;
}

function checkPreconditions(target: Target, live: KubeObject, pre: DeleteRequest["preconditions"]): void {
  const name = live.metadata.name ?? "";
  if (pre?.uid && pre.uid !== live.metadata.uid)
    throw conflict(
      resourceName(target),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid}`,
    );
  if (pre?.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion)
    throw conflict(
      resourceName(target),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${live.metadata.resourceVersion}`,
    );
}

/** Removes ownerReferences to `uid` from every dependent (Orphan propagation). */
function orphanDependents(ctx: WriterContext, w: StoreWriter, uid: string): void {
  for (const dep of ctx.store.dependentsOf(uid)) {
    const refs = (dep.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    const metadata: KubeObject["metadata"] = { ...dep.object.metadata, ownerReferences: refs };
    if (refs.length === 0) delete metadata.ownerReferences;
    w.put(dep.key, { ...dep.object, metadata }, "MODIFIED");
  }
}

/** The custom resources of a CRD that is going away, removed in the same transaction. */
function removeCustomResources(ctx: WriterContext, w: StoreWriter, crd: KubeObject): void {
  const type = crdResourceType(crd);
  if (!type || BUILTIN_KINDS.some((b) => b.group === type.group && b.plural === type.plural)) return;
  for (const obj of ctx.store.list({ group: type.group, resource: type.plural })) {
    w.remove(
      {
        group: type.group,
        resource: type.plural,
        namespace: obj.metadata.namespace ?? "",
        name: obj.metadata.name ?? "",
      },
      obj,
    );
  }
}

function markDeleting(obj: KubeObject, now: string): void {
  if (obj.metadata.deletionTimestamp) return;
  obj.metadata.deletionTimestamp = now;
  obj.metadata.deletionGracePeriodSeconds = 0;
  if (obj.metadata.generation !== undefined) obj.metadata.generation += 1;
}

function isNamespace(target: Target): boolean {
  return target.type.group === "" && target.type.kind === "Namespace";
}

function isCrd(target: Target): boolean {
  return target.type.group === "apiextensions.k8s.io" && target.type.kind === "CustomResourceDefinition";
}

/** The object after a delete request, before it is written: deletionTimestamp and finalizers set. */
function deletingState(
  ctx: WriterContext,
  target: Target,
  live: KubeObject,
  req: DeleteRequest,
): { obj: KubeObject; remove: boolean } {
  const obj = cloneJson(live);
  const now = timestamp(ctx.clock);
  if (isNamespace(target)) {
    markDeleting(obj, now);
    obj.status = { ...(typeof obj.status === "object" && obj.status ? obj.status : {}), phase: "Terminating" };
    return { obj, remove: false };
  }
  const finalizers = [...(obj.metadata.finalizers ?? [])];
  const uid = live.metadata.uid ?? "";
  if (
    req.propagationPolicy === "Foreground" &&
    ctx.store.dependentsOf(uid).length > 0 &&
    !finalizers.includes(FOREGROUND_FINALIZER)
  ) {
    finalizers.push(FOREGROUND_FINALIZER);
  }
  if (finalizers.length === 0) return { obj, remove: true };
  obj.metadata.finalizers = finalizers;
  markDeleting(obj, now);
  return { obj, remove: false };
}

export function deleteObject(ctx: WriterContext, target: Target, name: string, req: DeleteRequest): DeleteResult {
  const key: ObjectKey = keyOf(target, name);
  const live = ctx.store.get(key);
  if (!live) throw notFound(resourceName(target), name);
  checkPreconditions(target, live, req.preconditions);
  const { obj, remove } = deletingState(ctx, target, live, req);
  if (req.dryRun) return { object: obj, deleted: remove };
  return ctx.store.transaction((w) => {
    if (req.propagationPolicy === "Orphan") orphanDependents(ctx, w, live.metadata.uid ?? "");
    if (!remove) {
      const unchanged = JSON.stringify(obj) === JSON.stringify(live);
      return { object: unchanged ? live : w.put(key, obj, "MODIFIED"), deleted: false };
    }
    if (isCrd(target)) removeCustomResources(ctx, w, live);
    return { object: w.remove(key, obj), deleted: true };
  });
}
