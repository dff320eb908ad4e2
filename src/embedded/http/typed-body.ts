// Request bodies of built-in kinds decoded into their types as kube-apiserver decodes them, and the
// `fieldValidation` query parameter: unknown fields dropped with a warning (Warn, the default), dropped
// silently (Ignore) or refused (Strict); apply bodies checked against the schema as SSA checks them.

import { isRecord } from "../../api/index.js";
import { pruneCustomResource } from "../core/prune-custom.js";
import type { Target } from "../core/target.js";
import { applyBodyErrors, customApplyBodyErrors, typedPatchMessage } from "../core/typed-apply.js";
import {
  decodeTypedJson,
  type FieldValidation,
  strictDecodingMessage,
  strictProblems,
  TypedDecodeError,
} from "../core/typed-json.js";
import { ApiStatusError, badRequest, invalid } from "../errors.js";
import { publishedSchemaName } from "../schemas/published.js";

export type { FieldValidation };

const DIRECTIVES = ["Ignore", "Strict", "Warn"] as const;

/** `?fieldValidation=`, Warn when absent; anything else is refused as the options kind's validation refuses it. */
export function fieldValidationOf(
  query: URLSearchParams,
  options: "CreateOptions" | "UpdateOptions" | "PatchOptions",
): FieldValidation {
  const value = query.get("fieldValidation") ?? "";
  if (value === "") return "Warn";
  if ((DIRECTIVES as readonly string[]).includes(value)) return value as FieldValidation;
  throw invalid({ group: "meta.k8s.io", kind: options }, "", [
    {
      field: "fieldValidation",
      reason: "FieldValueNotSupported",
      detail: `Unsupported value: "${value}": supported values: "", "Ignore", "Strict", "Warn"`,
    },
  ]);
}

function schemaOf(target: Target): string | undefined {
  return target.type.builtin ? publishedSchemaName(target.type.group, target.version, target.type.kind) : undefined;
}

/**
 * The body as its Go type holds it, and the warnings to send; a 400 when it cannot be decoded, or under
 * Strict when it names an unknown field or one field twice (`duplicates`: their paths in the body's text).
 */
export function decodeTyped(
  target: Target,
  body: unknown,
  validation: FieldValidation,
  duplicates: readonly string[] = [],
): { body: unknown; warnings: string[] } {
  if (!isRecord(body)) return { body, warnings: [] };
  const schema = schemaOf(target);
  const custom = target.type.openApiSchemas?.[target.version];
  try {
    const { object, unknownFields } = schema
      ? decodeTypedJson(body, schema, target.type.kind, target.version)
      : pruneCustomResource(body, custom);
    const problems = strictProblems({ duplicate: duplicates, unknown: unknownFields });
    if (problems.length > 0 && validation === "Strict")
      throw badRequest(strictDecodingMessage(target.type.kind, target.version, problems));
    return { body: object, warnings: validation === "Warn" ? problems : [] };
  } catch (err) {
    if (err instanceof TypedDecodeError) throw badRequest(err.message);
    throw err;
  }
}

/** An apply body that does not fit its kind's schema (a CRD's too): SSA's 500, before anything is merged. */
export function checkApplyBody(target: Target, name: string, body: unknown): unknown {
  const custom = target.type.openApiSchemas?.[target.version];
  const schema = schemaOf(target);
  if (!schema && !custom) return body;
  const errors = custom ? customApplyBodyErrors(body, custom) : applyBodyErrors(body, schema as string);
  const meta = isRecord(body) && isRecord(body.metadata) ? body.metadata : {};
  const object = {
    namespace: typeof meta.namespace === "string" ? meta.namespace : "",
    name: typeof meta.name === "string" ? meta.name : name,
    apiVersion: isRecord(body) && typeof body.apiVersion === "string" ? body.apiVersion : "",
    kind: isRecord(body) && typeof body.kind === "string" ? body.kind : target.type.kind,
  };
  if (errors.length === 0) return body;
  throw new ApiStatusError(500, "", typedPatchMessage(object, errors));
}
