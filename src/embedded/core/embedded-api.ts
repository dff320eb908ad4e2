// The embedded API server's operations, in-process: what the HTTP layer serves, and what a workload
// simulator running in the same process calls directly (and listens to through `subscribe`).

import type { KubeObject } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import { ApiStatusError, badRequest, conflict, notFound, STALE_OBJECT } from "../errors.js";
import { ResourceRegistry } from "../resources/registry.js";
import {
  ApplyConflictError,
  type ApplyInput,
  type ApplyOutput,
  describeManager,
  serverSideApply,
} from "../ssa/apply.js";
import { describePath } from "../ssa/field-set.js";
import { decodeManagedFields } from "../ssa/managed-fields.js";
import { ListKeyError } from "../ssa/path-elements.js";
import type { ChangeListener, SqliteStore } from "../store/sqlite-store.js";
import { type Clock, timestamp } from "./clock.js";
import { Controllers } from "./controllers.js";
import { type DeleteRequest, type DeleteResult, deleteObject } from "./deletion.js";
import type { InProcessCluster } from "./in-process.js";
import { KUBECTL_MANAGER, lastAppliedFields, unexcusedConflicts, updateLastApplied } from "./last-applied.js";
import { type SaveResult, saveObject, type WriterContext } from "./object-writer.js";
import { type PatchType, patchedObject, typedPatchResult } from "./patch-object.js";
import {
  type ListRequest,
  type ListResult,
  listObjects,
  parseSelection,
  startWatch,
  type WatchEvent,
  type WatchRequest,
} from "./reads.js";
import { scaleOf, withScale } from "./scale.js";
import { apiVersionOf, keyOf, present, resourceName, type Target } from "./target.js";
import type { FieldValidation } from "./typed-json.js";

export interface EmbeddedApiOptions {
  store: SqliteStore;
  clock?: Clock;
  /** Failures of the built-in controllers (garbage collection, namespaces); default: a process warning. */
  onControllerError?: (err: Error) => void;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Who writes (managedFields). Required for apply. */
  fieldManager: string;
  subresource?: "status" | "scale";
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take fields owned by others. */
  force?: boolean;
  /** What to do with unknown fields in the result of a JSON, merge or strategic patch; Warn when absent. */
  fieldValidation?: FieldValidation;
}

export interface WriteResult {
  object: KubeObject;
  created: boolean;
  /** `Warning` headers for the response (unknown fields a patch's result dropped). */
  warnings?: string[];
}

const DEFAULT_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

function applyConflictStatus(err: ApplyConflictError): ApiStatusError {
  return new ApiStatusError(409, "Conflict", err.message, {
    causes: err.conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${describeManager(c)}`,
      field: describePath(c.path),
    })),
  });
}

export class EmbeddedApi implements InProcessCluster {
  readonly registry = new ResourceRegistry();
  readonly store: SqliteStore;
  readonly controllers: Controllers;
  private readonly ctx: WriterContext;
  private readonly unsubscribe: () => void;

  constructor(options: EmbeddedApiOptions) {
    this.store = options.store;
    this.ctx = { store: options.store, clock: options.clock ?? (() => new Date()) };
    this.controllers = new Controllers(this.ctx, this.registry, options.onControllerError);
    this.controllers.refreshCrds();
    this.unsubscribe = this.store.subscribe((c) => this.controllers.onChange(c));
    this.ensureNamespaces();
    this.controllers.resume();
  }

  close(): void {
    this.controllers.stop();
    this.unsubscribe();
  }

  /** Resolves once the built-in controllers (garbage collection, namespaces) have nothing left to do. */
  idle(): Promise<void> {
    return this.controllers.idle();
  }

  subscribe(listener: ChangeListener): () => void {
    return this.store.subscribe(listener);
  }

  private ensureNamespaces(): void {
    const type = this.registry.byPlural("", "namespaces");
    if (!type) return;
    for (const name of DEFAULT_NAMESPACES) {
      if (this.store.get({ group: "", resource: "namespaces", namespace: "", name })) continue;
      const target = { type, version: "v1", namespace: "" };
      saveObject(this.ctx, {
        target,
        before: undefined,
        after: { apiVersion: "v1", kind: "Namespace", metadata: { name } },
        manager: "kube-apiserver",
        dryRun: false,
        checkResourceVersion: false,
      });
    }
  }

  /** The target of a REST path, or undefined when the resource is not served at that version. */
  target(group: string, version: string, plural: string, namespace: string): Target | undefined {
    const type = this.registry.byResource(group, version, plural);
    return type ? { type, version, namespace } : undefined;
  }

  /** The target for an object's apiVersion and kind (for in-process callers). */
  targetFor(apiVersion: string, kind: string, namespace = ""): Target | undefined {
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const type = this.registry.byKind(group, kind);
    return type?.versions.includes(version) ? { type, version, namespace } : undefined;
  }

  private live(target: Target, name: string): KubeObject {
    const obj = this.store.get(keyOf(target, name));
    if (!obj) throw notFound(resourceName(target), name);
    return obj;
  }

  get(target: Target, name: string): KubeObject {
    return present(this.live(target, name), target);
  }

  list(target: Target, req: ListRequest = {}): ListResult {
    return listObjects(this.store, target, req);
  }

  watch(target: Target, req: WatchRequest, emit: (e: WatchEvent) => void): () => void {
    return startWatch(this.store, target, req, emit);
  }

  private result(r: SaveResult, target: Target): WriteResult {
    return { object: present(r.object, target), created: r.created };
  }

  private checkBody(target: Target, body: unknown, name?: string): KubeObject {
    if (!isRecord(body) || !isRecord(body.metadata))
      throw badRequest("the request body must be an object with metadata");
    const obj = body as KubeObject;
    if (typeof obj.kind === "string" && obj.kind !== target.type.kind && !(target.type.scale && obj.kind === "Scale"))
      throw badRequest(
        `the kind of the object (${obj.kind}) does not match the kind of the resource (${target.type.kind})`,
      );
    const ns = obj.metadata.namespace;
    if (target.type.namespaced && ns && ns !== target.namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    if (name !== undefined && obj.metadata.name && obj.metadata.name !== name)
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    return obj;
  }

  /**
   * Where a write to target is saved, with the object in that shape: a kind stored as another (events.k8s.io
   * Events) is converted and saved as that one, its errors still naming the resource the request did.
   */
  private storage(target: Target, served: KubeObject): { target: Target; after: KubeObject; served?: Target } {
    const as = target.type.storedAs;
    if (!as) return { target, after: served };
    const type = this.registry.byKind(as.group, as.kind);
    if (!type) throw new Error(`${as.kind} is not served: ${target.type.group} ${target.type.kind} is stored as it`);
    return {
      target: { type, version: as.version, namespace: target.namespace },
      after: as.toStorage(served),
      served: target,
    };
  }

  create(target: Target, body: unknown, options: WriteOptions): WriteResult {
    const storage = this.storage(target, this.checkBody(target, body));
    const r = saveObject(this.ctx, {
      ...storage,
      before: undefined,
      manager: options.fieldManager,
      dryRun: options.dryRun ?? false,
      checkResourceVersion: false,
    });
    return this.result(r, target);
  }

  update(target: Target, name: string, body: unknown, options: WriteOptions): WriteResult {
    const before = this.live(target, name);
    if (options.subresource === "scale") return this.writeScale(target, before, body, options);
    const after = this.checkBody(target, body, name);
    return this.save(target, before, after, options);
  }

  patch(target: Target, name: string, patchType: PatchType, body: unknown, options: PatchOptions): WriteResult {
    if (patchType === "apply") return this.apply(target, name, body, options);
    const before = this.live(target, name);
    if (options.subresource === "scale") {
      const scale = patchedObject(target.type, this.scaleFrom(target, before), patchType, body);
      return this.writeScale(target, before, scale, options);
    }
    const { object, warnings } = typedPatchResult(
      target.type,
      target.version,
      patchedObject(target.type, present(before, target), patchType, body),
      { validation: options.fieldValidation ?? "Warn", patchType, patch: body },
    );
    return { ...this.save(target, before, object, options), warnings };
  }

  /** An update or a non-apply patch: one Update entry for the caller's manager, conditional on resourceVersion. */
  private save(target: Target, before: KubeObject, after: KubeObject, options: WriteOptions): WriteResult {
    const r = saveObject(this.ctx, {
      ...this.storage(target, after),
      before,
      manager: options.fieldManager,
      subresource: options.subresource,
      dryRun: options.dryRun ?? false,
      checkResourceVersion: true,
    });
    return this.result(r, target);
  }

  private apply(target: Target, name: string, body: unknown, options: PatchOptions): WriteResult {
    if (!options.fieldManager) throw badRequest("PATCH apply requires a fieldManager");
    const config = this.checkBody(target, body, name);
    if (typeof config.apiVersion !== "string" || typeof config.kind !== "string")
      throw badRequest("apply configurations need apiVersion and kind");
    const before = this.store.get(keyOf(target, name));
    const sentVersion = config.metadata.resourceVersion;
    if (before && sentVersion && sentVersion !== before.metadata.resourceVersion)
      throw conflict(resourceName(target), name, STALE_OBJECT);
    const { managedFields: _m, resourceVersion: _r, ...configMeta } = config.metadata;
    const liveMeta = before ? { ...before.metadata, managedFields: undefined } : undefined;
    const input = {
      live: before ? { ...present(before, target), metadata: liveMeta } : undefined,
      config: { ...config, metadata: { ...configMeta, name } },
      managers: decodeManagedFields(before?.metadata.managedFields),
      manager: options.fieldManager,
      subresource: options.subresource,
      force: options.force ?? false,
      apiVersion: apiVersionOf(target),
      schema: target.type.schema,
      now: timestamp(this.ctx.clock),
    };
    const merged = this.serverSideApply(input, before, target);
    if (options.fieldManager === KUBECTL_MANAGER && !options.subresource)
      updateLastApplied(merged.object, before, config);
    const r = saveObject(this.ctx, {
      ...this.storage(target, merged.object as KubeObject),
      before,
      manager: options.fieldManager,
      subresource: options.subresource,
      managers: merged.managers,
      dryRun: options.dryRun ?? false,
      checkResourceVersion: false,
    });
    return this.result(r, target);
  }

  /** Runs the apply; conflicts are 409s, except those kubectl's last-applied configuration excuses. */
  private serverSideApply(input: ApplyInput, before: KubeObject | undefined, target: Target): ApplyOutput {
    try {
      return serverSideApply(input);
    } catch (err) {
      if (err instanceof ListKeyError) throw new ApiStatusError(422, "Invalid", err.message);
      if (!(err instanceof ApplyConflictError)) throw err;
      const allowed =
        input.manager === KUBECTL_MANAGER && !input.subresource
          ? lastAppliedFields(before, target.type.schema)
          : undefined;
      if (!allowed) throw applyConflictStatus(err);
      const left = unexcusedConflicts(err.conflicts, allowed);
      if (left.length > 0) throw applyConflictStatus(new ApplyConflictError(left));
      return serverSideApply({ ...input, force: true });
    }
  }

  private scaleFrom(target: Target, obj: KubeObject): KubeObject {
    if (!target.type.scale) throw notFound(resourceName(target), obj.metadata.name ?? "");
    return scaleOf(obj, target.type.scale);
  }

  getScale(target: Target, name: string): KubeObject {
    return this.scaleFrom(target, this.live(target, name));
  }

  private writeScale(target: Target, before: KubeObject, scale: unknown, options: WriteOptions): WriteResult {
    const paths = target.type.scale;
    if (!paths) throw notFound(resourceName(target), before.metadata.name ?? "");
    const sent = isRecord(scale) && isRecord(scale.metadata) ? scale.metadata.resourceVersion : undefined;
    if (sent && sent !== before.metadata.resourceVersion)
      throw conflict(resourceName(target), before.metadata.name ?? "", STALE_OBJECT);
    const after = withScale(before, paths, scale);
    const r = saveObject(this.ctx, {
      target,
      before,
      after,
      manager: options.fieldManager,
      subresource: "scale",
      dryRun: options.dryRun ?? false,
      checkResourceVersion: false,
    });
    return { object: scaleOf(r.object, paths), created: false };
  }

  delete(target: Target, name: string, req: DeleteRequest): DeleteResult {
    const r = deleteObject(this.ctx, target, name, req);
    return { object: present(r.object, target), deleted: r.deleted };
  }

  deleteCollection(target: Target, selection: ListRequest, req: DeleteRequest): KubeObject[] {
    parseSelection(target, selection);
    const { items } = this.list(target, {
      labelSelector: selection.labelSelector,
      fieldSelector: selection.fieldSelector,
    });
    return items.map(
      (item) =>
        this.delete(
          { ...target, namespace: item.metadata.namespace ?? target.namespace },
          item.metadata.name ?? "",
          req,
        ).object,
    );
  }
}
