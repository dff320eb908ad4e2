// Serves one HTTP request: authentication, discovery, and the verbs of a resource, answering errors as
// Kubernetes Status objects.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isRecord } from "../../api/index.js";
import {
  forbiddenError,
  impersonatedUser,
  type RbacObjects,
  type RequestAttributes,
  rbacAllows,
  requestVerb,
  type UserInfo,
} from "../auth/rbac.js";
import { answerReview, type ReviewResource, reviewResource, TOKEN_HOLDER } from "../auth/reviews.js";
import type { PropagationPolicy } from "../core/deletion.js";
import type { EmbeddedApi } from "../core/embedded-api.js";
import { parsePatchBody, patchTypeOf } from "../core/patch-object.js";
import type { Target } from "../core/target.js";
import { ApiStatusError, badRequest, methodNotAllowed, statusBody, unauthorized } from "../errors.js";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from "./discovery.js";
import { openApiDocument } from "./openapi.js";
import { boolParam, dryRunOf, fieldManagerOf, intParam, jsonDuplicates, parseBody, readBody } from "./request.js";
import { parseRoute, type Route } from "./routes.js";
import { toTable, wantsTable } from "./table.js";
import { checkApplyBody, decodeTyped, type FieldValidation, fieldValidationOf } from "./typed-body.js";
import { serveWatch } from "./watch-stream.js";

export interface HandlerOptions {
  api: EmbeddedApi;
  token: string;
  bookmarkIntervalMs: number;
  shutdown: AbortSignal;
}

type ResourceRoute = Extract<Route, { kind: "resource" }>;

function send(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number | string[]> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-cache, private",
  };
  // RFC 7234 warnings, as the API server sends them (kubectl prints each as `Warning: …`).
  if (warnings.length > 0) headers.warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

/** Whether an Accept header takes JSON: OpenAPI is served as JSON only (the API server also has protobuf). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0]?.trim().toLowerCase() ?? "";
    return type === "application/json" || type === "application/*" || type === "*/*";
  });
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const PROPAGATION = new Set(["Foreground", "Background", "Orphan"]);

function deleteOptions(
  query: URLSearchParams,
  body: unknown,
): {
  propagationPolicy?: PropagationPolicy;
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
} {
  const opts = isRecord(body) ? body : {};
  const policy =
    (typeof opts.propagationPolicy === "string" ? opts.propagationPolicy : query.get("propagationPolicy")) ?? undefined;
  if (policy !== undefined && !PROPAGATION.has(policy))
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}"`);
  const orphan = opts.orphanDependents === true || query.get("orphanDependents") === "true";
  const dryRunBody = Array.isArray(opts.dryRun) && opts.dryRun.includes("All");
  const pre = isRecord(opts.preconditions) ? opts.preconditions : undefined;
  const out: ReturnType<typeof deleteOptions> = { dryRun: dryRunBody || dryRunOf(query) };
  const chosen = (policy ?? (orphan ? "Orphan" : undefined)) as PropagationPolicy | undefined;
  if (chosen) out.propagationPolicy = chosen;
  if (pre)
    out.preconditions = {
      uid: typeof pre.uid === "string" ? pre.uid : undefined,
      resourceVersion: typeof pre.resourceVersion === "string" ? pre.resourceVersion : undefined,
    };
  return out;
}

class RequestHandler {
  constructor(private readonly o: HandlerOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A client that goes away mid-request is not the server's error.
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    try {
      await this.route(req, res);
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof ApiStatusError) send(res, err.code, err.toStatus());
      else send(res, 500, statusBody(500, "InternalError", `Internal error occurred: ${(err as Error).message}`));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://embedded");
    const route = parseRoute(
      url.pathname,
      (group, plural) =>
        this.o.api.registry.all().some((t) => t.group === group && t.plural === plural) ||
        reviewResource(group, plural) !== undefined,
    );
    if (route.kind === "health") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }
    if (!authorized(req, this.o.token)) throw unauthorized();
    // The token holder may impersonate anyone; the impersonated user has RBAC's rights, no more.
    const user = impersonatedUser(req.headers);
    const review = route.kind === "resource" ? reviewResource(route.group, route.plural) : undefined;
    if (route.kind === "resource" && review) return this.review(req, res, route, review, user);
    if (route.kind === "resource") {
      if (user) this.authorize(user, req, route, url.searchParams);
      return this.resource(req, res, route, url.searchParams);
    }
    if (route.kind === "openapi" && !acceptsJson(req.headers.accept))
      throw new ApiStatusError(406, "NotAcceptable", "only the following media types are accepted: application/json");
    const doc = this.discovery(route, req);
    if (doc === undefined)
      throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
    if (req.method !== "GET") throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    send(res, 200, doc);
  }

  /** A review (`kubectl auth can-i`, `auth whoami`): answered for the caller, 201, nothing stored. */
  private async review(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRoute,
    review: ReviewResource,
    user: UserInfo | undefined,
  ): Promise<void> {
    if (req.method !== "POST" || route.name !== undefined)
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    const body = parseBody(await readBody(req), req.headers["content-type"], true);
    const caller = user ?? TOKEN_HOLDER;
    // Reviews of oneself are open to every user; asking about another user needs RBAC's leave.
    if (user && !review.plural.startsWith("self")) this.authorize(user, req, route, new URLSearchParams());
    send(
      res,
      201,
      answerReview(review, body, caller, route.namespace, (ns) => this.rbacObjects(ns)),
    );
  }

  /**
   * Throws the real server's 403 unless RBAC allows the impersonated user the request. An apply that would
   * create the object needs `create` too, as on a real server.
   */
  private authorize(user: UserInfo, req: IncomingMessage, route: ResourceRoute, query: URLSearchParams): void {
    const method = req.method ?? "GET";
    const attrs: RequestAttributes = {
      verb: requestVerb(method, { named: route.name !== undefined, watch: boolParam(query, "watch") }),
      apiGroup: route.group,
      resource: route.plural,
      ...(route.subresource ? { subresource: route.subresource } : {}),
      namespace: route.namespace,
      name: route.name ?? "",
    };
    const rbac = this.rbacObjects(route.namespace);
    if (!rbacAllows(user, attrs, rbac)) throw forbiddenError(user, attrs);
    if (method === "PATCH" && route.name !== undefined && !route.subresource && !this.exists(route)) {
      const create = { ...attrs, verb: "create" };
      if (!rbacAllows(user, create, rbac)) throw forbiddenError(user, create);
    }
  }

  private exists(route: ResourceRoute): boolean {
    try {
      this.o.api.get(this.target(route), route.name ?? "");
      return true;
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return false;
      throw err;
    }
  }

  /** Every ClusterRole and ClusterRoleBinding, and the Roles and RoleBindings of one namespace. */
  private rbacObjects(namespace: string): RbacObjects {
    const list = (plural: string, ns: string) => {
      const target = this.o.api.target("rbac.authorization.k8s.io", "v1", plural, ns);
      return target ? this.o.api.list(target).items : [];
    };
    return {
      clusterRoles: list("clusterroles", ""),
      clusterRoleBindings: list("clusterrolebindings", ""),
      roles: namespace ? list("roles", namespace) : [],
      roleBindings: namespace ? list("rolebindings", namespace) : [],
    };
  }

  private discovery(route: Route, req: IncomingMessage): unknown {
    const { registry } = this.o.api;
    switch (route.kind) {
      case "version":
        return SERVER_VERSION;
      case "legacy-versions":
        return apiVersions(req.headers.host ?? "127.0.0.1");
      case "groups":
        return apiGroupList(registry);
      case "group":
        return apiGroup(registry, route.group);
      case "resources":
        return apiResourceList(registry, route.group, route.version);
      case "openapi":
        return openApiDocument(registry, route.path);
      default:
        return undefined;
    }
  }

  private target(route: ResourceRoute): Target {
    const t = this.o.api.target(route.group, route.version, route.plural, route.namespace);
    if (!t) throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
    return t;
  }

  private async resource(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRoute,
    query: URLSearchParams,
  ): Promise<void> {
    const target = this.target(route);
    const sub = route.subresource;
    if (
      sub !== undefined &&
      !(sub === "status" && target.type.status) &&
      !(sub === "scale" && target.type.scale) &&
      sub !== "finalize"
    )
      throw new ApiStatusError(404, "NotFound", "the server could not find the requested resource");
    const method = req.method ?? "GET";
    if (route.name === undefined) return this.collection(req, res, target, query, method);
    const name = route.name;
    const manager = fieldManagerOf(query, req.headers["user-agent"]);
    const subresource = sub === "status" || sub === "scale" ? sub : undefined;
    switch (method) {
      case "GET": {
        if (subresource === "scale") return send(res, 200, this.o.api.getScale(target, name));
        const obj = this.o.api.get(target, name);
        if (wantsTable(req.headers.accept))
          return send(res, 200, toTable(target.type, [obj], obj.metadata.resourceVersion ?? "", new Date()));
        return send(res, 200, obj);
      }
      case "PUT": {
        const { body, warnings } = await this.typedBody(req, target, fieldValidationOf(query, "UpdateOptions"));
        const result = this.o.api.update(target, name, body, {
          fieldManager: manager,
          dryRun: dryRunOf(query),
          subresource,
        });
        return send(res, 200, result.object, warnings);
      }
      case "PATCH":
        return this.patch(req, res, target, name, query, manager, subresource);
      case "DELETE": {
        const body = parseBody(await readBody(req), req.headers["content-type"], target.type.builtin, target.type.kind);
        return send(res, 200, this.o.api.delete(target, name, deleteOptions(query, body)).object);
      }
      default:
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }

  /** A create or update body, decoded into its kind's type; fields named twice are found in its JSON text. */
  private async typedBody(
    req: IncomingMessage,
    target: Target,
    validation: FieldValidation,
  ): Promise<{ body: unknown; warnings: string[] }> {
    const bytes = await readBody(req);
    const raw = parseBody(bytes, req.headers["content-type"], target.type.builtin, target.type.kind);
    const duplicates = validation === "Ignore" ? [] : jsonDuplicates(bytes, req.headers["content-type"]);
    return decodeTyped(target, raw, validation, duplicates);
  }

  private async patch(
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    name: string,
    query: URLSearchParams,
    manager: string,
    subresource: "status" | "scale" | undefined,
  ): Promise<void> {
    const type = patchTypeOf(req.headers["content-type"]);
    if (!type) {
      // The API server's router refuses a PATCH whose type no route consumes, before any handler: plain text.
      res.writeHead(415, { "content-type": "text/plain; charset=utf-8" });
      res.end("415: Unsupported Media Type");
      return;
    }
    const parsed = parsePatchBody(type, (await readBody(req)).toString("utf8"));
    const fieldValidation = fieldValidationOf(query, "PatchOptions");
    if (type === "apply" && !query.get("fieldManager"))
      throw badRequest("PATCH apply requests need a fieldManager query parameter");
    const body = type === "apply" ? checkApplyBody(target, name, parsed) : parsed;
    const result = this.o.api.patch(target, name, type, body, {
      fieldManager: manager,
      dryRun: dryRunOf(query),
      force: boolParam(query, "force"),
      subresource,
      fieldValidation,
    });
    send(res, result.created ? 201 : 200, result.object, result.warnings);
  }

  private async collection(
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    query: URLSearchParams,
    method: string,
  ): Promise<void> {
    if (method === "POST") {
      if (target.type.namespaced && !target.namespace) throw methodNotAllowed("create needs a namespace in the path");
      const { body, warnings } = await this.typedBody(req, target, fieldValidationOf(query, "CreateOptions"));
      const manager = fieldManagerOf(query, req.headers["user-agent"]);
      const options = { fieldManager: manager, dryRun: dryRunOf(query) };
      return send(res, 201, this.o.api.create(target, body, options).object, warnings);
    }
    if (method === "DELETE") {
      const body = parseBody(await readBody(req), req.headers["content-type"], target.type.builtin, target.type.kind);
      const selection = {
        labelSelector: query.get("labelSelector") ?? undefined,
        fieldSelector: query.get("fieldSelector") ?? undefined,
      };
      const items = this.o.api.deleteCollection(target, selection, deleteOptions(query, body));
      return send(res, 200, {
        kind: `${target.type.kind}List`,
        apiVersion: target.type.group ? `${target.type.group}/${target.version}` : target.version,
        metadata: {},
        items,
      });
    }
    if (method !== "GET") throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    const table = wantsTable(req.headers.accept);
    if (boolParam(query, "watch")) {
      return serveWatch(req, res, {
        api: this.o.api,
        target,
        query,
        table,
        bookmarkIntervalMs: this.o.bookmarkIntervalMs,
        shutdown: this.o.shutdown,
      });
    }
    const list = this.o.api.list(target, {
      labelSelector: query.get("labelSelector") ?? undefined,
      fieldSelector: query.get("fieldSelector") ?? undefined,
      limit: intParam(query, "limit"),
      continue: query.get("continue") ?? undefined,
    });
    const metadata: Record<string, string> = { resourceVersion: list.resourceVersion };
    if (list.continue) metadata.continue = list.continue;
    if (table) {
      const doc = toTable(target.type, list.items, list.resourceVersion, new Date());
      return send(res, 200, { ...doc, metadata });
    }
    const items = list.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    send(res, 200, {
      kind: `${target.type.kind}List`,
      apiVersion: target.type.group ? `${target.type.group}/${target.version}` : target.version,
      metadata,
      items,
    });
  }
}

export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = new RequestHandler(options);
  return (req, res) => {
    void handler.handle(req, res);
  };
}
