// Checking a server-side apply body of a built-in kind against its schema as structured-merge-diff does
// before it merges anything: a value of the wrong type or a field the schema does not declare is an error
// (500 "failed to create typed patch object", whatever fieldValidation says), with SMD's own wording,
// which prints the offending value in Go's %v and %#v forms.

import { isRecord } from "../../api/index.js";
import { ENVELOPE_FIELDS, type Shape, shapeOf, shapeOfName } from "../schemas/published.js";

const sortedKeys = (m: Record<string, unknown>) => Object.keys(m).sort();

/** Go's %#v of a decoded JSON value. */
function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return "interface {}(nil)";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(", ")}}`;
  if (isRecord(value))
    return `map[string]interface {}{${sortedKeys(value)
      .map((k) => `${JSON.stringify(k)}:${goSyntax(value[k])}`)
      .join(", ")}}`;
  return String(value);
}

/** Go's %v of a decoded JSON value. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goValue).join(" ")}]`;
  if (isRecord(value))
    return `map[${sortedKeys(value)
      .map((k) => `${k}:${goValue(value[k])}`)
      .join(" ")}]`;
  return String(value);
}

/** Go's %T of a decoded JSON value. */
function goTypeOf(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int64" : "float64";
  return Array.isArray(value) ? "[]interface {}" : "map[string]interface {}";
}

/** SMD's path element of a list item: `[name="c"]` for keyed lists, `[="x"]` for sets, else `[0]`. */
function itemElement(item: unknown, index: number, shape: Extract<Shape, { type: "list" }>, set: boolean): string {
  if (shape.mapKeys && isRecord(item) && shape.mapKeys.every((k) => item[k] !== undefined))
    return `[${shape.mapKeys.map((k) => `${k}=${JSON.stringify(item[k])}`).join(",")}]`;
  if (set && !isRecord(item) && !Array.isArray(item)) return `[=${JSON.stringify(item)}]`;
  return `[${index}]`;
}

class Validator {
  readonly errors: string[] = [];

  private error(path: string, message: string): void {
    this.errors.push(path ? `${path}: ${message}` : message);
  }

  value(value: unknown, shape: Shape, path: string, schemaIsSet = false): void {
    if (value === null || value === undefined) return;
    switch (shape.type) {
      case "struct":
      case "map":
        this.map(value, shape, path);
        return;
      case "list":
        this.list(value, shape, path, schemaIsSet);
        return;
      case "integer":
      case "number":
        if (typeof value !== "number") this.error(path, `expected numeric (int or float), got ${goTypeOf(value)}`);
        return;
      case "string":
      case "time":
        if (typeof value !== "string")
          this.error(path, `expected string, got &value.valueUnstructured{Value:${goSyntax(value)}}`);
        return;
      case "boolean":
        if (typeof value !== "boolean") this.error(path, `expected boolean, got &{${goValue(value)}}`);
        return;
      case "int-or-string":
      case "quantity":
        if (isRecord(value) || Array.isArray(value)) this.error(path, `expected any scalar, got &{${goValue(value)}}`);
        return;
      default:
        return;
    }
  }

  private map(value: unknown, shape: Extract<Shape, { type: "struct" | "map" }>, path: string): void {
    if (!isRecord(value)) {
      this.error(path, `expected map, got &{${goValue(value)}}`);
      return;
    }
    for (const key of sortedKeys(value)) {
      const field = shape.type === "struct" ? shape.fields[key] : shape.values;
      if (!field && shape.type === "struct" && shape.open) continue;
      if (!field) {
        // SMD stops at the first undeclared field of a map. It walks maps in Go's random order, so the real
        // server may report a different subset; this walks them in key order, one of the orders it may take.
        this.error(`${path}.${key}`, "field not declared in schema");
        return;
      }
      this.value(value[key], shapeOf(field), `${path}.${key}`, field["x-kubernetes-list-type"] === "set");
    }
  }

  private list(value: unknown, shape: Extract<Shape, { type: "list" }>, path: string, set: boolean): void {
    if (!Array.isArray(value)) {
      this.error(path, `expected list, got &{${goValue(value)}}`);
      return;
    }
    const items = shapeOf(shape.items);
    value.forEach((item, i) => {
      this.value(item, items, `${path}${itemElement(item, i, shape, set)}`);
    });
  }
}

/** SMD's errors for an apply body of the kind whose published schema is `schemaName`; empty when it is typed. */
export function applyBodyErrors(body: unknown, schemaName: string): string[] {
  const validator = new Validator();
  validator.value(body, shapeOfName(schemaName), "");
  return validator.errors;
}

/** SMD's errors for an apply body of a custom resource, against its CRD's schema (envelope fields added). */
export function customApplyBodyErrors(body: unknown, schema: Readonly<Record<string, unknown>>): string[] {
  const validator = new Validator();
  const root = { ...schema, properties: { ...(schema.properties as object | undefined), ...ENVELOPE_FIELDS } };
  validator.value(body, shapeOf(root), "");
  return validator.errors;
}

/** kube-apiserver's message for an apply body that does not fit its kind's schema. */
export function typedPatchMessage(
  object: { namespace: string; name: string; apiVersion: string; kind: string },
  errors: readonly string[],
): string {
  const apiVersion = object.apiVersion.includes("/") ? object.apiVersion : `/${object.apiVersion}`;
  const detail = errors.length === 1 ? errors[0] : ["errors:", ...errors.map((e) => `  ${e}`)].join("\n");
  return `failed to create typed patch object (${object.namespace}/${object.name}; ${apiVersion}, Kind=${object.kind}): ${detail}`;
}
