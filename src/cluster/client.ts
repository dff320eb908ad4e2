import { FIELD_MANAGER, groupOf, type KubeObject, type ObjectRef } from "../api/index.js";
import type { ClusterConfig } from "./config.js";
import { Discovery, type ResourceInfo, resourcePath } from "./discovery.js";
import { ApiError, InvalidObjectError, ObjectError } from "./errors.js";
import { CONTENT_TYPES, type Impersonation, RestClient, type RestClientOptions } from "./rest.js";

/** The API server's `fieldValidation`: what it does with fields the schema does not declare. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Options of every write (apply, replace, create, merge patch). */
export interface WriteRequestOptions {
  /** Server-side dry run: the object as it would be after the write, nothing persisted. */
  dryRun?: boolean;
  /** Unset: the server's default. Server-side apply refuses undeclared fields whatever this says. */
  fieldValidation?: FieldValidation;
  fieldManager?: string;
  signal?: AbortSignal;
}

export interface ApplyOptions extends WriteRequestOptions {
  /** Take fields owned by other managers (how bosun takes a drifted field back). */
  force?: boolean;
}

export interface ApplyResult {
  object: KubeObject;
  /** True when the object did not exist before (HTTP 201). */
  created: boolean;
}

export type PropagationPolicy = "Foreground" | "Background" | "Orphan";

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

/** An object's address: where it lives (kind via apiVersion) and its name. */
export interface ObjectAddress {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface KubeClientOptions extends RestClientOptions {
  /** Namespace for namespaced objects that name none (the Application's destination). */
  defaultNamespace?: string;
}

/** Server-owned metadata that must not be sent back with an apply. */
const SERVER_METADATA = [
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "generation",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

function refFor(obj: {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { namespace?: unknown; name?: unknown };
}): ObjectRef {
  return {
    group: typeof obj.apiVersion === "string" ? groupOf(obj.apiVersion) : "",
    kind: typeof obj.kind === "string" ? obj.kind : "<no kind>",
    namespace: typeof obj.metadata?.namespace === "string" ? obj.metadata.namespace : "",
    name: typeof obj.metadata?.name === "string" ? obj.metadata.name : "<no name>",
  };
}

/**
 * Generic, discovery-driven access to any kind: server-side apply (and its dry run), get, list, delete,
 * replace. Errors about one object are ObjectErrors that name it and carry the server's message.
 */
export class KubeClient {
  readonly rest: RestClient;
  readonly discovery: Discovery;
  private readonly defaultNamespace: string | undefined;

  constructor(
    config: ClusterConfig,
    options: KubeClientOptions = {},
    view?: { rest: RestClient; discovery: Discovery },
  ) {
    this.rest = view?.rest ?? new RestClient(config, options);
    this.discovery = view?.discovery ?? new Discovery(this.rest);
    this.defaultNamespace = options.defaultNamespace;
  }

  /**
   * The same cluster, every request made as `who`: the API server's RBAC and admission decide what it may
   * do. Shares this client's rate limit, connections and discovery.
   */
  impersonating(who: Impersonation): KubeClient {
    return new KubeClient(
      this.rest.config,
      { defaultNamespace: this.defaultNamespace },
      { rest: this.rest.impersonating(who), discovery: this.discovery },
    );
  }

  /** The resource serving an object's kind and the namespace it goes to; InvalidObjectError when it cannot be sent. */
  async locate(obj: Partial<ObjectAddress>, signal?: AbortSignal): Promise<{ info: ResourceInfo; namespace?: string }> {
    const ref = refFor({
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      metadata: { namespace: obj.namespace, name: obj.name },
    });
    if (typeof obj.apiVersion !== "string" || obj.apiVersion === "")
      throw new InvalidObjectError(ref, "has no apiVersion");
    if (typeof obj.kind !== "string" || obj.kind === "") throw new InvalidObjectError(ref, "has no kind");
    if (typeof obj.name !== "string" || obj.name === "") throw new InvalidObjectError(ref, "has no metadata.name");
    const info = await this.discovery.lookup(obj.apiVersion, obj.kind, signal);
    if (!info) throw new InvalidObjectError(ref, `the server does not serve kind ${obj.kind} in ${obj.apiVersion}`);
    if (!info.namespaced) return { info };
    const namespace = obj.namespace || this.defaultNamespace;
    if (!namespace)
      throw new InvalidObjectError(ref, "is namespaced but names no namespace, and no default namespace is set");
    return { info, namespace };
  }

  async apply(obj: KubeObject, options: ApplyOptions = {}): Promise<ApplyResult> {
    const { info, namespace } = await this.locate(addressOf(obj), options.signal);
    const body = cleanForApply(obj, namespace);
    try {
      const res = await this.rest.request<KubeObject>({
        method: "PATCH",
        path: resourcePath(info, namespace, obj.metadata.name),
        query: { ...writeQuery(options), force: options.force ? true : undefined },
        body,
        contentType: CONTENT_TYPES.apply,
        signal: options.signal,
      });
      return { object: res.body, created: res.code === 201 };
    } catch (err) {
      throw wrap(err, refFor(body), "apply");
    }
  }

  async get(addr: ObjectAddress, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const { info, namespace } = await this.locate(addr, signal);
    try {
      return (
        await this.rest.request<KubeObject>({ method: "GET", path: resourcePath(info, namespace, addr.name), signal })
      ).body;
    } catch (err) {
      if (err instanceof ApiError && err.isNotFound) return undefined;
      throw wrap(err, refFor({ ...addr, metadata: { namespace, name: addr.name } }), "get");
    }
  }

  /** Every object of a kind (all pages), in one namespace or cluster-wide. */
  async list(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string; fieldSelector?: string; signal?: AbortSignal } = {},
  ): Promise<ListResult> {
    const info = await this.discovery.lookup(apiVersion, kind, options.signal);
    if (!info)
      throw new InvalidObjectError(
        refFor({ apiVersion, kind }),
        `the server does not serve kind ${kind} in ${apiVersion}`,
      );
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = "";
    do {
      const res = await this.rest.request<{
        items: KubeObject[];
        metadata: { resourceVersion: string; continue?: string };
      }>({
        method: "GET",
        path: resourcePath(info, options.namespace),
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: 500,
          continue: continueToken,
        },
        signal: options.signal,
      });
      // List items carry no apiVersion/kind; put them back so every object is self-describing.
      for (const item of res.body.items) items.push({ ...item, apiVersion, kind });
      resourceVersion = res.body.metadata.resourceVersion;
      continueToken = res.body.metadata.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /** Deletes an object; false when it was already gone. */
  async delete(
    addr: ObjectAddress,
    options: {
      propagationPolicy?: PropagationPolicy;
      dryRun?: boolean;
      /** Delete only the object of this uid (not one re-created under the same name since). */
      uid?: string;
      signal?: AbortSignal;
    } = {},
  ): Promise<boolean> {
    const { info, namespace } = await this.locate(addr, options.signal);
    try {
      await this.rest.request({
        method: "DELETE",
        path: resourcePath(info, namespace, addr.name),
        body: {
          apiVersion: "v1",
          kind: "DeleteOptions",
          propagationPolicy: options.propagationPolicy ?? "Background",
          dryRun: options.dryRun ? ["All"] : undefined,
          ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
        },
        signal: options.signal,
      });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.isNotFound) return false;
      throw wrap(err, refFor({ ...addr, metadata: { namespace, name: addr.name } }), "delete");
    }
  }

  /**
   * PUT the whole object in place of the live one (fields it does not set are gone, whoever set them);
   * creates it when missing.
   */
  async replace(obj: KubeObject, options: WriteRequestOptions = {}): Promise<ApplyResult> {
    const { info, namespace } = await this.locate(addressOf(obj), options.signal);
    const body = cleanForApply(obj, namespace);
    const live = await this.get(addressOf(body), options.signal);
    if (!live) return await this.create(obj, options);
    body.metadata.resourceVersion = live.metadata.resourceVersion;
    try {
      const res = await this.rest.request<KubeObject>({
        method: "PUT",
        path: resourcePath(info, namespace, obj.metadata.name),
        query: writeQuery(options),
        body,
        signal: options.signal,
      });
      return { object: res.body, created: false };
    } catch (err) {
      throw wrap(err, refFor(body), "replace");
    }
  }

  /**
   * POST: creates the object; an existing one is a conflict (409). An object named by metadata.generateName
   * gets its name from the server.
   */
  async create(obj: KubeObject, options: WriteRequestOptions = {}): Promise<ApplyResult> {
    // A name the server generates is as good as one given, for finding the resource.
    const named = obj.metadata.name ? obj : { ...obj, metadata: { ...obj.metadata, name: obj.metadata.generateName } };
    const { info, namespace } = await this.locate(addressOf(named), options.signal);
    const body = cleanForApply(obj, namespace);
    try {
      const res = await this.rest.request<KubeObject>({
        method: "POST",
        path: resourcePath(info, namespace),
        query: writeQuery(options),
        body,
        signal: options.signal,
      });
      return { object: res.body, created: true };
    } catch (err) {
      throw wrap(err, refFor(body), "create");
    }
  }

  /** PUT the object as given: conditional on its resourceVersion (a concurrent change is a conflict). */
  async update(obj: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    const { info, namespace } = await this.locate(addressOf(obj), signal);
    try {
      const res = await this.rest.request<KubeObject>({
        method: "PUT",
        path: resourcePath(info, namespace, obj.metadata.name),
        query: { fieldManager: FIELD_MANAGER },
        body: obj,
        signal,
      });
      return res.body;
    } catch (err) {
      throw wrap(err, refFor(obj), "update");
    }
  }

  /** A JSON merge patch of an object's status subresource. */
  async mergePatchStatus(
    addr: ObjectAddress,
    patch: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<KubeObject> {
    const { info, namespace } = await this.locate(addr, signal);
    try {
      const res = await this.rest.request<KubeObject>({
        method: "PATCH",
        path: `${resourcePath(info, namespace, addr.name)}/status`,
        body: patch,
        contentType: CONTENT_TYPES.merge,
        signal,
      });
      return res.body;
    } catch (err) {
      throw wrap(err, refFor({ ...addr, metadata: { namespace, name: addr.name } }), "patch status");
    }
  }

  /** A JSON merge patch (RFC 7386) of an existing object: `null` removes a key, a resourceVersion makes it conditional. */
  async mergePatch(
    addr: ObjectAddress,
    patch: Record<string, unknown>,
    options: WriteRequestOptions = {},
  ): Promise<ApplyResult> {
    const { info, namespace } = await this.locate(addr, options.signal);
    try {
      const res = await this.rest.request<KubeObject>({
        method: "PATCH",
        path: resourcePath(info, namespace, addr.name),
        query: writeQuery(options),
        body: patch,
        contentType: CONTENT_TYPES.merge,
        signal: options.signal,
      });
      return { object: res.body, created: false };
    } catch (err) {
      throw wrap(err, refFor({ ...addr, metadata: { namespace, name: addr.name } }), "patch");
    }
  }

  /** The server's version (`/version`). */
  async serverVersion(signal?: AbortSignal): Promise<{ gitVersion?: string }> {
    return (await this.rest.request<{ gitVersion?: string }>({ method: "GET", path: "/version", signal })).body;
  }

  /** Whether the server serves the kind now (discovery, refreshed when the kind is not known yet). */
  async serves(apiVersion: string, kind: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.discovery.lookup(apiVersion, kind, signal)) !== undefined;
  }

  /** Creates a Namespace when it does not exist (syncOptions CreateNamespace=true). */
  async ensureNamespace(name: string, signal?: AbortSignal): Promise<boolean> {
    const existing = await this.get({ apiVersion: "v1", kind: "Namespace", name }, signal);
    if (existing) return false;
    await this.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } }, { signal });
    return true;
  }
}

export function addressOf(obj: KubeObject): ObjectAddress {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name ?? "",
  };
}

function writeQuery(options: WriteRequestOptions): Record<string, string | undefined> {
  return {
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    dryRun: options.dryRun ? "All" : undefined,
    fieldValidation: options.fieldValidation,
  };
}

function cleanForApply(obj: KubeObject, namespace: string | undefined): KubeObject {
  const metadata = { ...obj.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  if (namespace) metadata.namespace = namespace;
  else delete metadata.namespace;
  return { ...obj, metadata };
}

function wrap(err: unknown, ref: ObjectRef, verb: string): Error {
  if (err instanceof ObjectError) return err;
  if (err instanceof ApiError) {
    const causes = err.status?.details?.causes?.map((c) => c.message).filter(Boolean) ?? [];
    const detail =
      causes.length > 0 && !causes.every((c) => err.message.includes(c ?? "")) ? ` (${causes.join("; ")})` : "";
    return new ObjectError(ref, `${verb} failed: ${err.message}${detail}`, { cause: err });
  }
  return new ObjectError(ref, `${verb} failed: ${(err as Error).message}`, { cause: err });
}
