// Decoding a built-in kind's JSON body as kube-apiserver does, into its Go type: a value of the wrong type
// is refused with encoding/json's message (the first one, in document order), base64 and quantities are
// checked as their decoders check them, unknown fields are dropped (and listed, for fieldValidation), and
// nulls leave a field unset. The shapes come from the published schemas (schemas/published.ts).

import { isRecord } from "../../api/index.js";
import { goTypeName, type Shape, shapeOf, shapeOfName } from "../schemas/published.js";
import { goBase64Error } from "./go-base64.js";

export class TypedDecodeError extends Error {
  override readonly name = "TypedDecodeError";
  /** The decoder's own words, without the `Kind in version "v1" cannot be handled as a Kind: ` before them. */
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export interface TypedDecodeResult {
  object: Record<string, unknown>;
  /** Unknown fields that were dropped, as `spec.template.spec.containers[0].imagee`. */
  unknownFields: string[];
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIX = /^(|[numkMGTPE]|[KMGTPE]i|[eE][-+]?[0-9]+)$/;

function jsonTypeOf(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  return Array.isArray(value) ? "array" : "object";
}

interface Place {
  /** The Go struct holding the field being decoded (`DeploymentSpec`). */
  struct: string;
  /** JSON field names from the root, list indices left out: encoding/json's context. */
  path: readonly string[];
  /** The same with indices, as strict decoding names unknown fields. */
  fieldPath: string;
}

class Decoder {
  firstError: string | undefined;
  readonly unknownFields: string[] = [];

  private fail(message: string): void {
    this.firstError ??= message;
  }

  private typeError(value: unknown, shape: Shape, at: Place, jsonType = jsonTypeOf(value)): void {
    this.fail(
      `json: cannot unmarshal ${jsonType} into Go struct field ${at.struct}.${at.path.join(".")} of type ${goTypeName(shape)}`,
    );
  }

  /** The decoded value, or undefined to leave the field unset. */
  value(value: unknown, shape: Shape, at: Place): unknown {
    if (value === null) return undefined;
    switch (shape.type) {
      case "struct":
        if (!isRecord(value)) return this.typeError(value, shape, at);
        return this.struct(value, shape, at);
      case "map":
        return this.map(value, shape, at);
      case "list": {
        if (!Array.isArray(value)) return this.typeError(value, shape, at);
        const items = shapeOf(shape.items);
        return value.map((item, i) => this.value(item, items, { ...at, fieldPath: `${at.fieldPath}[${i}]` }) ?? null);
      }
      case "string":
        if (typeof value !== "string") return this.typeError(value, shape, at);
        if (shape.format === "byte") {
          const error = goBase64Error(value);
          if (error) this.fail(error);
        }
        return value;
      case "integer":
        return this.integer(value, shape, at);
      case "number":
        return typeof value === "number" ? value : this.typeError(value, shape, at);
      case "boolean":
        return typeof value === "boolean" ? value : this.typeError(value, shape, at);
      case "int-or-string":
        return typeof value === "string" ? value : this.integer(value, { type: "integer", format: "int32" }, at);
      case "quantity":
        return this.quantity(value);
      default:
        return value;
    }
  }

  private integer(value: unknown, shape: Extract<Shape, { type: "integer" }>, at: Place): unknown {
    if (typeof value !== "number") return this.typeError(value, shape, at);
    const limit = shape.format === "int32" ? 2 ** 31 : 2 ** 63;
    if (!Number.isInteger(value) || value < -limit || value >= limit)
      return this.typeError(value, shape, at, `number ${value}`);
    return value;
  }

  private quantity(value: unknown): unknown {
    const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : JSON.stringify(value);
    const m = QUANTITY.exec(text.trim());
    if (!m) this.fail(`quantities must match the regular expression '${QUANTITY.source}'`);
    else if (!QUANTITY_SUFFIX.test(m[2] ?? "")) this.fail("unable to parse quantity's suffix");
    return value;
  }

  private map(value: unknown, shape: Extract<Shape, { type: "map" }>, at: Place): unknown {
    if (!isRecord(value)) return this.typeError(value, shape, at);
    const values = shapeOf(shape.values);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const decoded = this.value(item, values, { ...at, fieldPath: `${at.fieldPath}[${key}]` });
      out[key] = decoded === undefined && values.type === "string" ? "" : (decoded ?? null);
    }
    return out;
  }

  struct(
    value: Record<string, unknown>,
    shape: Extract<Shape, { type: "struct" }>,
    at: Place,
  ): Record<string, unknown> {
    const struct = shape.name.split(".").at(-1) ?? shape.name;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const fieldPath = at.fieldPath ? `${at.fieldPath}.${key}` : key;
      const field = shape.fields[key];
      if (!field) {
        this.unknownFields.push(fieldPath);
        continue;
      }
      const decoded = this.value(item, shapeOf(field), { struct, path: [...at.path, key], fieldPath });
      if (decoded !== undefined) out[key] = decoded;
    }
    return out;
  }
}

/**
 * Decodes `body` as kind `kind` of version `version`, whose published schema is `schemaName`. Throws
 * TypedDecodeError with kube-apiserver's message (`Deployment in version "v1" cannot be handled as a
 * Deployment: …`) when a value cannot be decoded.
 */
export function decodeTypedJson(
  body: Record<string, unknown>,
  schemaName: string,
  kind: string,
  version: string,
): TypedDecodeResult {
  const shape = shapeOfName(schemaName);
  if (shape.type !== "struct") return { object: body, unknownFields: [] };
  const decoder = new Decoder();
  const object = decoder.struct(body, shape, { struct: kind, path: [], fieldPath: "" });
  if (decoder.firstError)
    throw new TypedDecodeError(
      `${kind} in version "${version}" cannot be handled as a ${kind}: ${decoder.firstError}`,
      decoder.firstError,
    );
  return { object, unknownFields: decoder.unknownFields };
}

/** `?fieldValidation=`: what to do with unknown and duplicate fields. */
export type FieldValidation = "Ignore" | "Warn" | "Strict";

/** What strict decoding says of these fields, each as kube-apiserver words it (also its Warning texts). */
export function strictProblems(fields: { duplicate?: readonly string[]; unknown: readonly string[] }): string[] {
  return [
    ...(fields.duplicate ?? []).map((f) => `duplicate field "${f}"`),
    ...fields.unknown.map((f) => `unknown field "${f}"`),
  ];
}

/** The strict-decoding message of a body (fieldValidation=Strict). */
export function strictDecodingMessage(kind: string, version: string, problems: readonly string[]): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${problems.join(", ")}`;
}
