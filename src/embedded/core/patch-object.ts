// The four patch types, by content type, turned into the object they ask for.

import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import { ApiStatusError, badRequest, invalid, unsupportedMediaType } from "../errors.js";
import { applyJsonPatch, parseJsonPatch } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge-patch.js";
import { PatchError } from "../patch/patch-error.js";
import { applyStrategicMergePatch } from "../patch/strategic-merge.js";
import type { ResourceType } from "../resources/resource-type.js";
import { publishedSchemaName } from "../schemas/published.js";
import { pruneCustomResource } from "./prune-custom.js";
import { decodeTypedJson, TypedDecodeError } from "./typed-json.js";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
  "application/apply-patch+cbor": "apply",
};

/** The patch type of a Content-Type; undefined for a type no PATCH route consumes. */
export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const bare = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return CONTENT_TYPES[bare];
}

/** Parses a patch body: YAML (a superset of JSON) for apply, JSON for the others. */
export function parsePatchBody(type: PatchType, text: string): unknown {
  try {
    return type === "apply" ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function patchFailed(err: unknown): never {
  if (err instanceof PatchError) throw new ApiStatusError(422, "Invalid", err.message, undefined, { cause: err });
  throw err;
}

/** The object a JSON, merge or strategic merge patch asks for. */
export function patchedObject(
  type: ResourceType,
  live: KubeObject,
  patchType: Exclude<PatchType, "apply">,
  body: unknown,
): KubeObject {
  let out: unknown;
  try {
    if (patchType === "json") out = applyJsonPatch(live, parseJsonPatch(body));
    else if (patchType === "merge") out = applyMergePatch(live, body);
    else {
      if (!type.schema.strategic)
        throw unsupportedMediaType(
          Object.keys(CONTENT_TYPES).filter(
            (t) => t !== "application/strategic-merge-patch+json" && !t.endsWith("+cbor"),
          ),
        );
      out = applyStrategicMergePatch(live, body, type.schema);
    }
  } catch (err) {
    patchFailed(err);
  }
  if (!isRecord(out) || !isRecord(out.metadata)) throw badRequest("the patched object has no metadata");
  return out as KubeObject;
}

/**
 * A patched built-in object as its Go type holds it: unknown fields dropped (silently, as the API server
 * drops them from a patch's result); a value of the wrong type is the API server's 422 on `patch`.
 */
export function typedPatchResult(type: ResourceType, version: string, patched: KubeObject): KubeObject {
  const custom = type.openApiSchemas?.[version];
  if (custom) return pruneCustomResource(patched, custom).object as KubeObject;
  const schema = type.builtin ? publishedSchemaName(type.group, version, type.kind) : undefined;
  if (!schema) return patched;
  try {
    return decodeTypedJson(patched, schema, type.kind, version).object as KubeObject;
  } catch (err) {
    if (!(err instanceof TypedDecodeError)) throw err;
    const value = JSON.stringify(patched);
    throw invalid({ group: "", kind: "" }, "", [
      { field: "patch", reason: "FieldValueInvalid", detail: `Invalid value: ${JSON.stringify(value)}: ${err.detail}` },
    ]);
  }
}
