// kubectl's migration from client-side to server-side apply, as the API server supports it for the
// field manager "kubectl": an apply that conflicts only on fields named in the object's
// last-applied-configuration goes through (those fields were kubectl's own), and the annotation is kept
// in step with what is applied.

import type { KubeObject } from "../../api/index.js";
import { canonicalJson, isRecord } from "../../api/index.js";
import type { FieldSchema } from "../resources/field-schema.js";
import type { FieldConflict } from "../ssa/apply.js";
import type { FieldSet } from "../ssa/field-set.js";
import { fieldSetOf } from "../ssa/to-field-set.js";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
export const KUBECTL_MANAGER = "kubectl";

/** The fields of the last-applied configuration, or undefined when there is none (or it does not parse). */
export function lastAppliedFields(live: KubeObject | undefined, schema: FieldSchema): FieldSet | undefined {
  const text = live?.metadata.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? fieldSetOf(parsed, schema) : undefined;
  } catch {
    return undefined;
  }
}

/** The conflicts that the last-applied configuration does not excuse. */
export function unexcusedConflicts(conflicts: readonly FieldConflict[], allowed: FieldSet): FieldConflict[] {
  return conflicts.filter((c) => !allowed.has(c.path));
}

/** Sets the annotation to the applied configuration, when the live object has one. */
export function updateLastApplied(
  object: Record<string, unknown>,
  live: KubeObject | undefined,
  config: KubeObject,
): void {
  if (!live?.metadata.annotations?.[LAST_APPLIED]) return;
  const annotations = { ...(config.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const metadata: Record<string, unknown> = { ...config.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const meta = isRecord(object.metadata) ? object.metadata : {};
  const current = isRecord(meta.annotations) ? meta.annotations : {};
  object.metadata = {
    ...meta,
    annotations: { ...current, [LAST_APPLIED]: `${canonicalJson({ ...config, metadata })}\n` },
  };
}
