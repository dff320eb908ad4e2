// The three sealing scopes and the RSA-OAEP label each binds a value to. Pure.
import { SEALED_SECRETS_ANNOTATIONS } from "./names.js";

export const SEALING_SCOPES = ["strict", "namespace-wide", "cluster-wide"] as const;
export type SealingScope = (typeof SEALING_SCOPES)[number];

export function isSealingScope(value: string): value is SealingScope {
  return (SEALING_SCOPES as readonly string[]).includes(value);
}

/** The scope an object's annotations select: cluster-wide wins over namespace-wide; only "true" counts. */
export function scopeFromAnnotations(annotations: Readonly<Record<string, string>> | undefined): SealingScope {
  if (annotations?.[SEALED_SECRETS_ANNOTATIONS.clusterWide] === "true") return "cluster-wide";
  if (annotations?.[SEALED_SECRETS_ANNOTATIONS.namespaceWide] === "true") return "namespace-wide";
  return "strict";
}

/**
 * Annotations with the scope annotations set for `scope` (and the other one removed), as kubeseal writes
 * them onto both the SealedSecret and its template. Returns a new object; undefined when nothing is left.
 */
export function withScopeAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  scope: SealingScope,
): Record<string, string> | undefined {
  const out: Record<string, string> = { ...annotations };
  delete out[SEALED_SECRETS_ANNOTATIONS.clusterWide];
  delete out[SEALED_SECRETS_ANNOTATIONS.namespaceWide];
  if (scope === "cluster-wide") out[SEALED_SECRETS_ANNOTATIONS.clusterWide] = "true";
  if (scope === "namespace-wide") out[SEALED_SECRETS_ANNOTATIONS.namespaceWide] = "true";
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The RSA-OAEP label: `namespace/name` (strict, with the slash), `namespace`, or empty (cluster-wide). */
export function encryptionLabel(scope: SealingScope, namespace: string, name: string): Buffer {
  if (scope === "cluster-wide") return Buffer.alloc(0);
  if (scope === "namespace-wide") return Buffer.from(namespace, "utf8");
  return Buffer.from(`${namespace}/${name}`, "utf8");
}

/** How a message names a scope and its label (public: namespaces and names only). */
export function describeScope(scope: SealingScope, namespace: string, name: string): string {
  if (scope === "cluster-wide") return "scope cluster-wide";
  if (scope === "namespace-wide") return `scope namespace-wide, namespace "${namespace}"`;
  return `scope strict, "${namespace}/${name}"`;
}
