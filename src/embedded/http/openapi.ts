// OpenAPI v2 (`/openapi/v2`) and v3 (`/openapi/v3`, one document per group-version) as the API server
// publishes them. The schemas of built-in kinds are the Kubernetes API's own, at the pinned version
// (schemas/bundle.ts); custom resources get theirs from their CRDs, named and wrapped as the API server
// does (`com.example.v1.Widget`). Paths are generated from what this server serves, in the published
// shape: what kubectl reads from them is the PATCH operation of each kind (its `fieldValidation` query
// parameter and the patch types it accepts) and, through the schemas, `kubectl explain` and client-side
// strategic merge patches.

import { createHash } from "node:crypto";
import type { ResourceRegistry } from "../resources/registry.js";
import type { ResourceType } from "../resources/resource-type.js";
import { kubernetesApiBundle, type OpenApiSchema } from "../schemas/bundle.js";
import { schemaNameOfKind } from "../schemas/published.js";

type Flavour = "v2" | "v3";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const GVK = "x-kubernetes-group-version-kind";
const PROTOBUF = "application/vnd.kubernetes.protobuf";
const PATCH_TYPES = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

function refPrefix(flavour: Flavour): string {
  return flavour === "v3" ? "#/components/schemas/" : "#/definitions/";
}

function published(flavour: Flavour): Record<string, OpenApiSchema> {
  const bundle = kubernetesApiBundle();
  return flavour === "v3" ? bundle.openapiV3 : bundle.openapiV2;
}

/** The published schema's name of group/version/kind in this flavour's schemas. */
function kindSchema(flavour: Flavour, group: string, version: string, kind: string): string | undefined {
  return schemaNameOfKind(published(flavour), group, version, kind);
}

function collectRefs(node: unknown, prefix: string, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, prefix, out);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(prefix)) out.push(value.slice(prefix.length));
      else collectRefs(value, prefix, out);
    }
  }
}

/** CRD group `example.com`, version v1, kind Widget → `com.example.v1.Widget`, the API server's name. */
export function customSchemaName(group: string, version: string, kind: string): string {
  return [...group.split(".").reverse(), version, kind].join(".");
}

/** v2 has no `nullable` and none of the composition keywords the structural schemas of CRDs may hold. */
function toV2(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV2);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "nullable" || key === "oneOf" || key === "anyOf" || key === "not") continue;
    out[key] = toV2(value);
  }
  return out;
}

function customSchemas(t: ResourceType, version: string, flavour: Flavour): Record<string, OpenApiSchema> {
  const prefix = refPrefix(flavour);
  const name = customSchemaName(t.group, version, t.kind);
  const own = (t.openApiSchemas?.[version] ?? { type: "object" }) as OpenApiSchema;
  const body = (flavour === "v2" ? toV2(own) : own) as OpenApiSchema;
  const metaRef = { $ref: `${prefix}${META}.ObjectMeta` };
  const typeFields = {
    apiVersion: {
      description:
        "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
      type: "string",
    },
    kind: {
      description:
        "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
      type: "string",
    },
  };
  const metadataDescription =
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
  return {
    [name]: {
      ...body,
      type: "object",
      properties: {
        ...((body.properties as Record<string, unknown> | undefined) ?? {}),
        ...typeFields,
        metadata: flavour === "v3" ? { allOf: [metaRef], description: metadataDescription } : metaRef,
      },
      [GVK]: [{ group: t.group, kind: t.kind, version }],
    },
    [`${name}List`]: {
      description: `${t.kind}List is a list of ${t.kind}`,
      type: "object",
      required: ["items"],
      properties: {
        ...typeFields,
        items: { description: `List of ${t.plural}.`, type: "array", items: { $ref: `${prefix}${name}` } },
        metadata: { $ref: `${prefix}${META}.ListMeta` },
      },
      [GVK]: [{ group: t.group, kind: `${t.kind}List`, version }],
    },
  };
}

/** The schemas a group-version's document holds: its kinds' and every schema they refer to. */
function schemasFor(
  types: readonly ResourceType[],
  group: string,
  version: string,
  flavour: Flavour,
): Record<string, OpenApiSchema> {
  const all = published(flavour);
  const prefix = refPrefix(flavour);
  const out: Record<string, OpenApiSchema> = {};
  const queue: string[] = [`${META}.Status`, `${META}.DeleteOptions`, `${META}.Patch`, `${META}.WatchEvent`];
  for (const t of types) {
    if (t.builtin) {
      for (const kind of [t.kind, `${t.kind}List`]) {
        const name = kindSchema(flavour, group, version, kind);
        if (name) queue.push(name);
      }
      if (t.scale) queue.push("io.k8s.api.autoscaling.v1.Scale");
    } else {
      for (const [name, schema] of Object.entries(customSchemas(t, version, flavour))) {
        out[name] = schema;
        collectRefs(schema, prefix, queue);
      }
    }
  }
  while (queue.length > 0) {
    const name = queue.pop() as string;
    const schema = all[name];
    if (out[name] || !schema) continue;
    out[name] = schema;
    collectRefs(schema, prefix, queue);
  }
  // The shared meta kinds list every group-version they are registered in; keep core's and this one's.
  for (const [name, schema] of Object.entries(out)) {
    const kinds = schema[GVK];
    if (!name.startsWith(`${META}.`) || !Array.isArray(kinds)) continue;
    out[name] = {
      ...schema,
      [GVK]: (kinds as Gvk[]).filter(
        (k) => (k.group === "" && k.version === "v1") || (k.group === group && k.version === version),
      ),
    };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function pascal(s: string): string {
  return s
    .split(/[.-]/)
    .map((p) => (p ? (p[0] ?? "").toUpperCase() + p.slice(1) : ""))
    .join("");
}

interface OperationSpec {
  action: string;
  verb: string;
  scope: "Namespaced" | "" | "ForAllNamespaces";
  suffix?: string;
  kind: Gvk;
  schema: string;
  query: readonly string[];
  /** What the request body is: the object, or a patch of it; none for reads and deletes. */
  body?: "object" | "patch";
  list?: boolean;
}

const WRITE_QUERY = ["dryRun", "fieldManager", "fieldValidation"];
const LIST_QUERY = [
  "continue",
  "fieldSelector",
  "labelSelector",
  "limit",
  "resourceVersion",
  "timeoutSeconds",
  "watch",
];

class PathBuilder {
  readonly paths: Record<string, Record<string, unknown>> = {};
  constructor(
    private readonly flavour: Flavour,
    private readonly group: string,
    private readonly version: string,
  ) {}

  private ref(schema: string): Record<string, string> {
    return { $ref: `${refPrefix(this.flavour)}${schema}` };
  }

  private operation(t: ResourceType, spec: OperationSpec): Record<string, unknown> {
    const gv = pascal(this.group.replace(/\.k8s\.io$/, "")) + pascal(this.version);
    const produced = t.builtin
      ? ["application/json", "application/yaml", PROTOBUF]
      : ["application/json", "application/yaml"];
    const query = spec.query.map((name) => ({
      in: "query",
      name,
      ...(this.flavour === "v3"
        ? { schema: { type: name === "force" || name === "watch" ? "boolean" : "string", uniqueItems: true } }
        : { type: name === "force" || name === "watch" ? "boolean" : "string", uniqueItems: true }),
    }));
    const consumes = spec.body === "patch" ? this.patchTypes(t) : ["*/*"];
    const bodySchema = this.ref(spec.body === "patch" ? `${META}.Patch` : spec.schema);
    const op: Record<string, unknown> = {
      description: `${spec.action} ${spec.list ? "objects of kind" : "the specified"} ${t.kind}`,
      operationId: `${spec.verb}${gv}${spec.scope}${t.kind}${spec.suffix ?? ""}`,
      tags: [`${this.group.replace(/\.k8s\.io$/, "").replace(/\./g, "_") || "core"}_${this.version}`],
      "x-kubernetes-action": spec.action,
      "x-kubernetes-group-version-kind": spec.kind,
    };
    const ok = { description: "OK" };
    if (this.flavour === "v3") {
      op.parameters = query;
      if (spec.body)
        op.requestBody = {
          content: Object.fromEntries(consumes.map((type) => [type, { schema: bodySchema }])),
          required: true,
        };
      op.responses = {
        "200": {
          ...ok,
          content: Object.fromEntries(produced.map((type) => [type, { schema: this.ref(spec.schema) }])),
        },
        "401": { description: "Unauthorized" },
      };
    } else {
      op.parameters = spec.body ? [{ in: "body", name: "body", required: true, schema: bodySchema }, ...query] : query;
      if (spec.body) op.consumes = consumes;
      op.produces = produced;
      op.responses = { "200": { ...ok, schema: this.ref(spec.schema) }, "401": { description: "Unauthorized" } };
    }
    return op;
  }

  private patchTypes(t: ResourceType): string[] {
    return t.schema.strategic ? PATCH_TYPES : PATCH_TYPES.filter((p) => !p.startsWith("application/strategic"));
  }

  add(t: ResourceType, objectSchema: string, listSchema: string): void {
    const kind = { group: this.group, version: this.version, kind: t.kind };
    const base = `/${gvPath(this.group, this.version)}`;
    const scope = t.namespaced ? "Namespaced" : "";
    const collection = `${base}${t.namespaced ? "/namespaces/{namespace}" : ""}/${t.plural}`;
    const common = { kind, schema: objectSchema, scope } as const;
    this.paths[collection] = {
      get: this.operation(t, {
        ...common,
        action: "list",
        verb: "list",
        schema: listSchema,
        query: LIST_QUERY,
        list: true,
      }),
      post: this.operation(t, { ...common, action: "post", verb: "create", query: WRITE_QUERY, body: "object" }),
      delete: this.operation(t, {
        ...common,
        action: "deletecollection",
        verb: "delete",
        scope: `Collection${scope}` as OperationSpec["scope"],
        schema: `${META}.Status`,
        query: ["dryRun", "labelSelector", "fieldSelector", "gracePeriodSeconds", "propagationPolicy"],
        list: true,
      }),
    };
    if (t.namespaced)
      this.paths[`${base}/${t.plural}`] = {
        get: this.operation(t, {
          ...common,
          action: "list",
          verb: "list",
          scope: "",
          suffix: "ForAllNamespaces",
          schema: listSchema,
          query: LIST_QUERY,
          list: true,
        }),
      };
    const item = `${collection}/{name}`;
    const itemOps = (suffix: string, schema: string, k: Gvk) => {
      const c = { kind: k, schema, scope, suffix } as const;
      return {
        get: this.operation(t, { ...c, action: "get", verb: "read", query: [] }),
        put: this.operation(t, { ...c, action: "put", verb: "replace", query: WRITE_QUERY, body: "object" }),
        patch: this.operation(t, {
          ...c,
          action: "patch",
          verb: "patch",
          query: [...WRITE_QUERY, "force"],
          body: "patch",
        }),
      };
    };
    this.paths[item] = {
      ...itemOps("", objectSchema, kind),
      delete: this.operation(t, {
        ...common,
        action: "delete",
        verb: "delete",
        schema: `${META}.Status`,
        query: ["dryRun", "gracePeriodSeconds", "propagationPolicy"],
      }),
    };
    if (t.status) this.paths[`${item}/status`] = itemOps("Status", objectSchema, kind);
    if (t.scale)
      this.paths[`${item}/scale`] = itemOps("Scale", "io.k8s.api.autoscaling.v1.Scale", {
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
      });
  }
}

function typesOf(registry: ResourceRegistry, group: string, version: string): ResourceType[] {
  return registry.all().filter((t) => t.group === group && t.versions.includes(version));
}

function pathsFor(
  types: readonly ResourceType[],
  group: string,
  version: string,
  flavour: Flavour,
  schemas: Record<string, OpenApiSchema>,
): Record<string, unknown> {
  const builder = new PathBuilder(flavour, group, version);
  for (const t of types) {
    const object = t.builtin ? kindSchema(flavour, group, version, t.kind) : customSchemaName(group, version, t.kind);
    const list = t.builtin ? kindSchema(flavour, group, version, `${t.kind}List`) : `${object}List`;
    if (object && list && schemas[object]) builder.add(t, object, list);
  }
  return builder.paths;
}

export function openApiGroupVersion(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = typesOf(registry, group, version);
  if (types.length === 0) return undefined;
  const schemas = schemasFor(types, group, version, "v3");
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: `v${kubernetesApiBundle().kubernetesVersion}` },
    paths: pathsFor(types, group, version, "v3", schemas),
    components: { schemas },
  };
}

export function openApiV2(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, OpenApiSchema> = {};
  for (const [group, versions] of registry.groups()) {
    for (const version of versions) {
      const types = typesOf(registry, group, version);
      const schemas = schemasFor(types, group, version, "v2");
      Object.assign(paths, pathsFor(types, group, version, "v2", schemas));
      for (const [name, schema] of Object.entries(schemas)) {
        const seen = definitions[name]?.[GVK];
        const kinds = schema[GVK];
        definitions[name] =
          Array.isArray(seen) && Array.isArray(kinds) && name.startsWith(`${META}.`)
            ? {
                ...schema,
                [GVK]: [...seen, ...kinds.filter((k) => !seen.some((s) => JSON.stringify(s) === JSON.stringify(k)))],
              }
            : schema;
      }
    }
  }
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version: `v${kubernetesApiBundle().kubernetesVersion}` },
    paths,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function hashOf(doc: unknown): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
}

export function openApiRoot(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [group, versions] of registry.groups()) {
    for (const version of versions) {
      const path = gvPath(group, version);
      paths[path] = {
        serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(openApiDocument(registry, `/openapi/v3/${path}`))}`,
      };
    }
  }
  return { paths };
}

const caches = new WeakMap<
  ResourceRegistry,
  { revision: number; docs: Map<string, Record<string, unknown> | undefined> }
>();

function build(registry: ResourceRegistry, path: string): Record<string, unknown> | undefined {
  if (path === "/openapi/v2") return openApiV2(registry);
  if (path === "/openapi/v3") return openApiRoot(registry);
  const m = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  return m[1] ? openApiGroupVersion(registry, "", m[1]) : openApiGroupVersion(registry, m[2] ?? "", m[3] ?? "");
}

/** The document for an /openapi/... path, or undefined; built once per set of served resources. */
export function openApiDocument(registry: ResourceRegistry, pathname: string): Record<string, unknown> | undefined {
  const path = pathname.replace(/\/+$/, "");
  let cache = caches.get(registry);
  if (!cache || cache.revision !== registry.revision) {
    cache = { revision: registry.revision, docs: new Map() };
    caches.set(registry, cache);
  }
  if (!cache.docs.has(path)) cache.docs.set(path, build(registry, path));
  return cache.docs.get(path);
}
