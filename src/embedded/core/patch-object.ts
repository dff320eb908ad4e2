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
import { goValue } from "./go-format.js";
import { pruneCustomResource } from "./prune-custom.js";
import { decodeTypedJson, type FieldValidation, strictProblems, TypedDecodeError } from "./typed-json.js";

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

/** A patch's result as the API server reports it in an error: top-level fields sorted (Go re-encodes that map). */
function patchedJson(patched: KubeObject): string {
  return JSON.stringify(Object.fromEntries(Object.entries(patched).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** How a patch was sent, for what the API server says of its result's unknown fields. */
export interface PatchValidation {
  validation: FieldValidation;
  patchType: PatchType;
  patch: unknown;
}

/**
 * A patched object as its Go type holds it (a custom resource: pruned to its schema), and the warnings to
 * send. Unknown fields are dropped with a warning (Warn), silently (Ignore), or refused (Strict: the API
 * server's 422 on `patch`, quoting the result, or a strategic patch itself as Go prints it); a value of the
 * wrong type is that 422 too.
 */
export function typedPatchResult(
  type: ResourceType,
  version: string,
  patched: KubeObject,
  how: PatchValidation,
): { object: KubeObject; warnings: string[] } {
  const custom = type.openApiSchemas?.[version];
  const schema = type.builtin ? publishedSchemaName(type.group, version, type.kind) : undefined;
  if (!custom && !schema) return { object: patched, warnings: [] };
  let decoded: { object: unknown; unknownFields: string[] };
  try {
    decoded = custom
      ? pruneCustomResource(patched, custom)
      : decodeTypedJson(patched, schema as string, type.kind, version);
  } catch (err) {
    if (!(err instanceof TypedDecodeError)) throw err;
    throw patchInvalid(patchedJson(patched), err.detail);
  }
  const problems = strictProblems({ unknown: decoded.unknownFields });
  if (problems.length > 0 && how.validation === "Strict") {
    const quoted = how.patchType === "strategic" ? goValue(how.patch) : patchedJson(patched);
    throw patchInvalid(quoted, `strict decoding error: ${problems.join(", ")}`);
  }
  return { object: decoded.object as KubeObject, warnings: how.validation === "Warn" ? problems : [] };
}

function patchInvalid(value: string, why: string) {
  return invalid({ group: "", kind: "" }, "", [
    { field: "patch", reason: "FieldValueInvalid", detail: `Invalid value: ${JSON.stringify(value)}: ${why}` },
  ]);
}
