// Sealing, as kubeseal does it: a Secret becomes a SealedSecret whose template carries the Secret's
// metadata and type and whose encryptedData holds each data/stringData item sealed for the scope. Pure
// apart from the random session keys.
import type { KeyObject } from "node:crypto";
import type { ObjectMeta } from "../../api/index.js";
import { SealInputError } from "./errors.js";
import { hybridEncrypt } from "./hybrid-crypto.js";
import {
  LAST_APPLIED_ANNOTATIONS,
  SEALED_SECRET_API_VERSION,
  SEALED_SECRET_KIND,
  SERVER_METADATA_FIELDS,
} from "./names.js";
import { encryptionLabel, type SealingScope, scopeFromAnnotations, withScopeAnnotations } from "./scope.js";
import type { SealedSecret, SealedSecretTemplate, SecretObject } from "./types.js";

export interface SealValueOptions {
  publicKey: KeyObject;
  scope: SealingScope;
  /** Needed for strict and namespace-wide. */
  namespace?: string;
  /** Needed for strict. */
  name?: string;
}

function requireTarget(scope: SealingScope, namespace: string | undefined, name: string | undefined): void {
  if (scope !== "cluster-wide" && !namespace)
    throw new SealInputError(`a ${scope} seal needs a namespace (set metadata.namespace or pass one)`);
  if (scope === "strict" && !name)
    throw new SealInputError("a strict seal needs a name (set metadata.name or pass one)");
}

/** Seals one value (kubeseal --raw); returns standard base64. */
export function sealValue(value: Uint8Array, options: SealValueOptions): string {
  requireTarget(options.scope, options.namespace, options.name);
  const label = encryptionLabel(options.scope, options.namespace ?? "", options.name ?? "");
  return hybridEncrypt(options.publicKey, value, label).toString("base64");
}

export interface SealSecretOptions {
  publicKey: KeyObject;
  /** Overrides the scope the Secret's annotations select. */
  scope?: SealingScope;
  /** Override the Secret's name and namespace. */
  name?: string;
  namespace?: string;
  /** Seal a Secret without data (kubeseal refuses by default). */
  allowEmptyData?: boolean;
}

function templateMetadata(meta: ObjectMeta, scope: SealingScope): ObjectMeta {
  const out: ObjectMeta = { ...meta };
  for (const field of SERVER_METADATA_FIELDS) delete out[field];
  const annotations = { ...meta.annotations };
  for (const a of LAST_APPLIED_ANNOTATIONS) delete annotations[a];
  const scoped = withScopeAnnotations(annotations, scope);
  if (scoped) out.annotations = scoped;
  else delete out.annotations;
  if (out.labels && Object.keys(out.labels).length === 0) delete out.labels;
  return out;
}

function sortedEntries(map: Record<string, string> | undefined): Array<[string, string]> {
  return Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A SealedSecret from a Secret. stringData wins over data for the same key, as the API server merges them. */
export function sealSecret(secret: SecretObject, options: SealSecretOptions): SealedSecret {
  const name = options.name ?? secret.metadata.name;
  const namespace = options.namespace ?? secret.metadata.namespace;
  const scope = options.scope ?? scopeFromAnnotations(secret.metadata.annotations);
  if (!name) throw new SealInputError("the Secret has no metadata.name (pass --name)");
  requireTarget(scope, namespace, name);
  const items = new Map<string, Buffer>();
  for (const [key, value] of sortedEntries(secret.data)) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.replace(/\s+/g, "")))
      throw new SealInputError(`data.${key} is not base64 (put plain text under stringData)`);
    items.set(key, Buffer.from(value, "base64"));
  }
  for (const [key, value] of sortedEntries(secret.stringData)) items.set(key, Buffer.from(value, "utf8"));
  if (items.size === 0 && !options.allowEmptyData)
    throw new SealInputError("the Secret has no data or stringData: nothing to seal");
  const label = encryptionLabel(scope, namespace ?? "", name);
  const encryptedData: Record<string, string> = {};
  for (const key of [...items.keys()].sort()) {
    const value = items.get(key) ?? Buffer.alloc(0);
    encryptedData[key] = hybridEncrypt(options.publicKey, value, label).toString("base64");
    value.fill(0);
  }
  const metadata: ObjectMeta = { ...secret.metadata, name, ...(namespace ? { namespace } : {}) };
  if (!namespace) delete metadata.namespace;
  const template: SealedSecretTemplate = { metadata: templateMetadata(metadata, scope) };
  if (secret.type) template.type = secret.type;
  if (secret.immutable !== undefined) template.immutable = secret.immutable;
  const sealedMeta: ObjectMeta = { name, ...(namespace ? { namespace } : {}) };
  const scopeAnnotations = withScopeAnnotations(undefined, scope);
  if (scopeAnnotations) sealedMeta.annotations = scopeAnnotations;
  return {
    apiVersion: SEALED_SECRET_API_VERSION,
    kind: SEALED_SECRET_KIND,
    metadata: sealedMeta,
    spec: { template, encryptedData },
  };
}
