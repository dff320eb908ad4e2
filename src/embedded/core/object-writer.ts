// The one path every write takes: server-owned metadata, status and subresource rules, defaults,
// validation, generation, field ownership, optimistic concurrency, then one transaction.

import { randomBytes, randomUUID } from "node:crypto";
import type { KubeObject } from "../../api/index.js";
import { cloneJson, type JsonRecord, jsonEqual } from "../../api/index.js";
import {
  alreadyExists,
  badRequest,
  conflict,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  STALE_OBJECT,
  tooLargeForEtcd,
} from "../errors.js";
import { groupVersion } from "../resources/resource-type.js";
import { decodeManagedFields, encodeManagedFields, type ManagerEntry } from "../ssa/managed-fields.js";
import { trackUpdate } from "../ssa/track-update.js";
import { ObjectTooLargeError, type SqliteStore } from "../store/sqlite-store.js";
import { type Clock, timestamp } from "./clock.js";
import { establishCrd } from "./crd-status.js";
import { applyDefaults } from "./defaults.js";
import { eventCreateErrors } from "./event-validation.js";
import { apiVersionOf, keyOf, resourceName, type Target } from "./target.js";
import { validateObject } from "./validate.js";

export interface SaveRequest {
  target: Target;
  /** The stored object; undefined when this write creates it. */
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  subresource?: "status" | "scale";
  /** Ownership computed by a server-side apply; otherwise the write is tracked as an Update. */
  managers?: ManagerEntry[];
  dryRun: boolean;
  /** PUT: a resourceVersion in the body must match the stored one. */
  checkResourceVersion: boolean;
  /**
   * The resource the request named, when it is stored as `target` (events.k8s.io Events): field ownership is
   * tracked in its shape and version, and not-found, exists and conflict errors name it (validation errors
   * name the stored kind, as kube-apiserver's do).
   */
  served?: Target;
}

export interface WriterContext {
  store: SqliteStore;
  clock: Clock;
}

const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

function generatedName(prefix: string): string {
  const bytes = randomBytes(5);
  return prefix + [...bytes].map((b) => NAME_CHARS[b % NAME_CHARS.length]).join("");
}

/** Everything but metadata (and status, when it is a subresource): what a generation counts changes of. */
function specPart(obj: KubeObject | undefined, withStatus: boolean): JsonRecord {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = obj ?? { apiVersion: "", kind: "", metadata: {} };
  return withStatus ? { ...rest, status } : rest;
}

function withoutVolatile(obj: KubeObject): unknown {
  const managed = (obj.metadata.managedFields ?? []).map(({ time: _t, ...m }) => m);
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: undefined, managedFields: managed } };
}

function createMetadata(req: SaveRequest, obj: KubeObject, now: string): void {
  const meta = obj.metadata;
  if (!meta.name && typeof meta.generateName === "string" && meta.generateName)
    meta.name = generatedName(meta.generateName);
  if (req.target.type.namespaced) meta.namespace = req.target.namespace;
  else delete meta.namespace;
  meta.uid = randomUUID();
  meta.creationTimestamp = now;
  for (const field of ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"])
    delete meta[field];
}

function keepMetadata(before: KubeObject, obj: KubeObject): void {
  if (obj.metadata.name !== before.metadata.name)
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${before.metadata.name})`,
    );
  for (const field of ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace"]) {
    if (before.metadata[field] === undefined) delete obj.metadata[field];
    else obj.metadata[field] = before.metadata[field];
  }
}

/** Applies the status-subresource split: the main resource keeps status, /status keeps everything else. */
function splitStatus(req: SaveRequest, obj: KubeObject): KubeObject {
  const { type } = req.target;
  if (req.subresource === "status" && req.before) {
    const meta = { ...req.before.metadata, labels: obj.metadata.labels, annotations: obj.metadata.annotations };
    const out: KubeObject = { ...cloneJson(req.before), metadata: meta };
    if (obj.status === undefined) delete out.status;
    else out.status = obj.status;
    return out;
  }
  if (!type.status) return obj;
  if (req.before?.status === undefined) delete obj.status;
  else obj.status = cloneJson(req.before.status);
  return obj;
}

function setGeneration(req: SaveRequest, obj: KubeObject): void {
  if (!req.target.type.generation) {
    delete obj.metadata.generation;
    return;
  }
  const before = req.before;
  const previous = before?.metadata.generation ?? 0;
  const withStatus = !req.target.type.status;
  obj.metadata.generation = !before
    ? 1
    : jsonEqual(specPart(before, withStatus), specPart(obj, withStatus))
      ? previous
      : previous + 1;
}

function ownership(req: SaveRequest, obj: KubeObject, now: string): ManagerEntry[] {
  if (req.managers) return req.managers;
  const stored = decodeManagedFields(req.before?.metadata.managedFields);
  const sent = req.after.metadata.managedFields;
  if (Array.isArray(sent) && sent.length === 0 && req.before) return [];
  const base =
    Array.isArray(sent) && !jsonEqual(sent, req.before?.metadata.managedFields) ? decodeManagedFields(sent) : stored;
  const writer = req.subresource ? { manager: req.manager, subresource: req.subresource } : { manager: req.manager };
  const served = req.served;
  const strip = (o: KubeObject | undefined) => {
    if (!o) return undefined;
    // Ownership is of what the client sent: the served fields, without those Go writes when unset.
    const view = served?.type.storedAs ? served.type.storedAs.fromStorage(o) : o;
    return { ...view, metadata: { ...view.metadata, managedFields: undefined } } as JsonRecord;
  };
  return trackUpdate({
    before: strip(req.before) ?? { metadata: {}, spec: {}, status: {} },
    after: strip(obj) ?? {},
    managers: base,
    writer,
    apiVersion: apiVersionOf(served ?? req.target),
    schema: req.target.type.schema,
    now,
  });
}

function checkNamespace(ctx: WriterContext, req: SaveRequest, name: string): void {
  const { target } = req;
  if (!target.type.namespaced) return;
  if (!target.namespace) throw badRequest("the namespace of the object is required");
  const ns = ctx.store.get({ group: "", resource: "namespaces", namespace: "", name: target.namespace });
  if (!ns) throw notFound({ group: "", resource: "namespaces" }, target.namespace);
  if (ns.metadata.deletionTimestamp)
    throw forbidden(
      resourceName(target),
      name,
      `unable to create new content in namespace ${target.namespace} because it is being terminated`,
    );
}

/**
 * What kube-apiserver refuses of the object. A new Event gets its own checks first, those of the group the
 * request named (events.k8s.io/v1 is stricter), in kube-apiserver's order; the rest when they pass.
 */
function validationErrors(req: SaveRequest, obj: KubeObject): FieldError[] {
  const { type } = req.target;
  if (!req.before && type.builtin && type.group === "" && type.kind === "Event") {
    const errors = eventCreateErrors(type, obj, req.served?.type.group ?? type.group);
    if (errors.length > 0) return errors;
  }
  return validateObject(type, obj, req.before);
}

function prepare(ctx: WriterContext, req: SaveRequest, now: string): KubeObject {
  const { target } = req;
  let obj = cloneJson(req.after);
  obj.metadata = obj.metadata ?? {};
  obj.apiVersion = groupVersion(target.type.group, target.type.versions[0] ?? target.version);
  obj.kind = target.type.kind;
  if (req.before) keepMetadata(req.before, obj);
  else createMetadata(req, obj, now);
  obj = splitStatus(req, obj);
  if (target.type.builtin) applyDefaults(target.type.group, target.type.kind, obj as JsonRecord);
  if (target.type.group === "apiextensions.k8s.io" && target.type.kind === "CustomResourceDefinition")
    establishCrd(obj, req.before, now);
  const errors = validationErrors(req, obj);
  if (errors.length > 0)
    throw invalid({ group: target.type.group, kind: target.type.kind }, obj.metadata.name ?? "", errors);
  setGeneration(req, obj);
  const managers = encodeManagedFields(ownership(req, obj, now));
  if (managers.length > 0) obj.metadata.managedFields = managers;
  else delete obj.metadata.managedFields;
  if (!req.before) checkNamespace(ctx, req, obj.metadata.name ?? "");
  return obj;
}

/** The result of a write: the object as stored (or as it would be, for a dry run), and whether it is gone. */
export interface SaveResult {
  object: KubeObject;
  created: boolean;
  deleted: boolean;
}

/** Validates and stores one object; throws ApiStatusError for what the API server would refuse. */
export function saveObject(ctx: WriterContext, req: SaveRequest): SaveResult {
  const now = timestamp(ctx.clock);
  const obj = prepare(ctx, req, now);
  const key = keyOf(req.target, obj.metadata.name ?? "");
  const sentVersion = req.after.metadata.resourceVersion;
  const resource = resourceName(req.served ?? req.target);
  if (req.before && req.checkResourceVersion && sentVersion && sentVersion !== req.before.metadata.resourceVersion)
    throw conflict(resource, key.name, STALE_OBJECT);
  if (req.before) obj.metadata.resourceVersion = req.before.metadata.resourceVersion;
  const finalized = Boolean(req.before?.metadata.deletionTimestamp) && (obj.metadata.finalizers ?? []).length === 0;
  if (!finalized && req.before && jsonEqual(withoutVolatile(obj), withoutVolatile(req.before)))
    return { object: req.before, created: false, deleted: false };
  if (!req.before && ctx.store.get(key)) throw alreadyExists(resource, key.name);
  if (req.dryRun) return { object: obj, created: !req.before, deleted: finalized };
  try {
    return ctx.store.transaction((w) => {
      if (req.before && ctx.store.get(key)?.metadata.resourceVersion !== req.before.metadata.resourceVersion)
        throw conflict(resource, key.name, STALE_OBJECT);
      if (finalized) return { object: w.remove(key, obj), created: false, deleted: true };
      return { object: w.put(key, obj, req.before ? "MODIFIED" : "ADDED"), created: !req.before, deleted: false };
    });
  } catch (err) {
    // etcd's own limit (a dry run never reaches it): kube-apiserver passes etcd's refusal on as a 500.
    if (err instanceof ObjectTooLargeError) throw tooLargeForEtcd(err.bytes);
    throw err;
  }
}
