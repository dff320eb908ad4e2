// The published OpenAPI v3 schemas of built-in kinds, read as the shapes of their Go types: which schema a
// kind has, and what a schema (or the one it refers to) is: a struct, a map, a list or a scalar.

import { kubernetesApiBundle, type OpenApiSchema } from "./bundle.js";

const REF_PREFIX = "#/components/schemas/";
const GVK = "x-kubernetes-group-version-kind";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

export type Shape =
  /**
   * A Go struct: `name` is its schema's name (`io.k8s.api.apps.v1.DeploymentSpec`), "" for an inline object
   * schema (a CRD's). `open`: fields it does not declare are kept (`x-kubernetes-preserve-unknown-fields`).
   */
  | { type: "struct"; name: string; fields: Readonly<Record<string, OpenApiSchema>>; open?: boolean }
  | { type: "map"; values: OpenApiSchema }
  | { type: "list"; items: OpenApiSchema; mapKeys?: readonly string[] }
  | { type: "string"; format?: string }
  | { type: "integer"; format: "int32" | "int64" }
  | { type: "number" }
  | { type: "boolean" }
  | { type: "int-or-string" }
  | { type: "quantity" }
  | { type: "time" }
  /** Anything goes (RawExtension, FieldsV1, preserved unknown fields). */
  | { type: "any" };

/** What every object has beside what its schema declares: a CRD's root, an embedded resource. */
export const ENVELOPE_FIELDS: Readonly<Record<string, OpenApiSchema>> = {
  apiVersion: { type: "string" },
  kind: { type: "string" },
  metadata: { $ref: `${REF_PREFIX}${META}ObjectMeta` },
};

const kindIndexes = new WeakMap<Record<string, OpenApiSchema>, Map<string, string>>();

/**
 * The name of the schema of group/version/kind among `schemas` (the published v3 or v2 ones); meta kinds are left
 * out (they are in every group).
 */
export function schemaNameOfKind(
  schemas: Record<string, OpenApiSchema>,
  group: string,
  version: string,
  kind: string,
): string | undefined {
  let index = kindIndexes.get(schemas);
  if (!index) {
    index = new Map();
    for (const [name, schema] of Object.entries(schemas)) {
      const gvks = schema[GVK];
      if (!Array.isArray(gvks) || name.startsWith(META)) continue;
      for (const k of gvks as { group: string; version: string; kind: string }[])
        index.set(`${k.group}/${k.version}/${k.kind}`, name);
    }
    kindIndexes.set(schemas, index);
  }
  return index.get(`${group}/${version}/${kind}`);
}

/** The published v3 schema's name of group/version/kind. */
export function publishedSchemaName(group: string, version: string, kind: string): string | undefined {
  return schemaNameOfKind(kubernetesApiBundle().openapiV3, group, version, kind);
}

/** The name a schema refers to (`$ref`, or `allOf: [{$ref}]` as v3 wraps references with a default). */
function referenced(schema: OpenApiSchema): string | undefined {
  const ref = schema.$ref ?? (schema.allOf as OpenApiSchema[] | undefined)?.[0]?.$ref;
  return typeof ref === "string" && ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

export function shapeOfName(name: string): Shape {
  if (name === "io.k8s.apimachinery.pkg.api.resource.Quantity") return { type: "quantity" };
  if (name === "io.k8s.apimachinery.pkg.util.intstr.IntOrString") return { type: "int-or-string" };
  if (name === `${META}Time` || name === `${META}MicroTime`) return { type: "time" };
  const schema = kubernetesApiBundle().openapiV3[name];
  if (!schema) return { type: "any" };
  if (schema.properties) return { type: "struct", name, fields: schema.properties as Record<string, OpenApiSchema> };
  return shapeOf(schema);
}

export function shapeOf(schema: OpenApiSchema): Shape {
  const ref = referenced(schema);
  if (ref) return shapeOfName(ref);
  const open = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (schema.properties && typeof schema.properties === "object") {
    const fields = { ...(schema.properties as Record<string, OpenApiSchema>) };
    if (schema["x-kubernetes-embedded-resource"] === true) Object.assign(fields, ENVELOPE_FIELDS);
    return { type: "struct", name: "", fields, ...(open ? { open } : {}) };
  }
  if (open) return { type: "any" };
  switch (schema.type) {
    case "object":
      if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        return { type: "map", values: schema.additionalProperties as OpenApiSchema };
      return { type: "any" };
    case "array": {
      const keys = schema["x-kubernetes-list-map-keys"];
      return {
        type: "list",
        items: (schema.items ?? {}) as OpenApiSchema,
        ...(Array.isArray(keys) ? { mapKeys: keys as string[] } : {}),
      };
    }
    case "string":
      return typeof schema.format === "string" ? { type: "string", format: schema.format } : { type: "string" };
    case "integer":
      return { type: "integer", format: schema.format === "int32" ? "int32" : "int64" };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    default:
      return schema.format === "int-or-string" ? { type: "int-or-string" } : { type: "any" };
  }
}

/** The Go type a shape decodes into, as encoding/json names it in errors (`v1.PodSpec`, `[]string`). */
export function goTypeName(shape: Shape): string {
  switch (shape.type) {
    case "struct": {
      const parts = shape.name.split(".");
      return `${parts.at(-2)}.${parts.at(-1)}`;
    }
    case "map":
      return `map[string]${goTypeName(shapeOf(shape.values))}`;
    case "list":
      return `[]${goTypeName(shapeOf(shape.items))}`;
    case "string":
      return shape.format === "byte" ? "[]uint8" : "string";
    case "integer":
      return shape.format;
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "int-or-string":
      return "int32";
    case "quantity":
      return "resource.Quantity";
    case "time":
      return "v1.Time";
    default:
      return "interface {}";
  }
}
