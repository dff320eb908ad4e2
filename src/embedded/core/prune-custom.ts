// Pruning a custom resource to its CRD's structural schema, as the API server does before storing it: fields
// the schema does not specify are dropped (and listed, for fieldValidation), except under
// `x-kubernetes-preserve-unknown-fields: true`; apiVersion, kind and metadata are always the object's own, as
// they are of an `x-kubernetes-embedded-resource`.

import { isRecord } from "../../api/index.js";

type Schema = Readonly<Record<string, unknown>>;

export interface PruneResult {
  object: Record<string, unknown>;
  /** Dropped fields, as `spec.items[0].colour`. */
  unknownFields: string[];
}

const ENVELOPE = new Set(["apiVersion", "kind", "metadata"]);

class Pruner {
  readonly unknownFields: string[] = [];

  value(value: unknown, schema: Schema | undefined, path: string): unknown {
    if (!schema) return value;
    if (Array.isArray(value)) {
      const items = isRecord(schema.items) ? schema.items : undefined;
      return value.map((item, i) => this.value(item, items, `${path}[${i}]`));
    }
    if (!isRecord(value)) return value;
    return this.object(value, schema, path, schema["x-kubernetes-embedded-resource"] === true);
  }

  object(value: Record<string, unknown>, schema: Schema, path: string, envelope: boolean): Record<string, unknown> {
    const properties = isRecord(schema.properties) ? schema.properties : undefined;
    const additional = isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true || schema.additionalProperties === true;
    if (preserve && !properties && !additional) return value;
    // Not an object schema (a type mismatch, which validation reports): nothing to prune by.
    if (schema.type !== "object" && !properties && !additional) return value;
    // An object schema that specifies no fields keeps none (`type: object` alone prunes everything below it).
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      // An object's apiVersion, kind and metadata are its own, whatever the schema says of them.
      if (envelope && ENVELOPE.has(key)) {
        out[key] = item;
        continue;
      }
      const field = properties?.[key];
      if (isRecord(field)) out[key] = this.value(item, field, child);
      else if (additional) out[key] = this.value(item, additional, child);
      else if (preserve) out[key] = item;
      else this.unknownFields.push(child);
    }
    return out;
  }
}

/** The custom resource as its CRD's schema keeps it; with no schema it is kept whole. */
export function pruneCustomResource(obj: Record<string, unknown>, schema: Schema | undefined): PruneResult {
  if (!schema) return { object: obj, unknownFields: [] };
  const pruner = new Pruner();
  const object = pruner.object(obj, schema, "", true);
  return { object, unknownFields: pruner.unknownFields };
}
