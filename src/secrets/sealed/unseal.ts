// Unsealing, as the Bitnami controller does it: the scope label comes from the SealedSecret's own metadata
// (name, namespace, scope annotations), every item must open, and the Secret gets the template's metadata
// and type, the SealedSecret's name and namespace, and an owner reference to it. Pure.
import type { KeyObject } from "node:crypto";
import { type ObjectMeta, refOf } from "../../api/index.js";
import { SealedValueError, UnsealError } from "./errors.js";
import { hybridDecrypt } from "./hybrid-crypto.js";
import {
  SEALED_SECRET_API_VERSION,
  SEALED_SECRET_KIND,
  SEALED_SECRETS_ANNOTATIONS,
  SERVER_METADATA_FIELDS,
} from "./names.js";
import { describeScope, encryptionLabel, scopeFromAnnotations } from "./scope.js";
import type { SealedSecret, SecretObject } from "./types.js";

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Template metadata fields that the Secret must not inherit. */
const DROPPED_FIELDS = [...SERVER_METADATA_FIELDS, "generateName"] as const;

function decodeBase64(value: string): Buffer | undefined {
  const compact = value.replace(/\s+/g, "");
  return STRICT_BASE64.test(compact) ? Buffer.from(compact, "base64") : undefined;
}

/** Opens one sealed item; `what` names it in errors ("data.password"). */
function openItem(sealed: SealedSecret, what: string, value: string, keys: readonly KeyObject[]): Buffer {
  const ref = refOf(sealed);
  const bytes = decodeBase64(value);
  if (!bytes) throw new UnsealError(ref, `cannot decrypt ${what}: it is not base64`);
  const scope = scopeFromAnnotations(sealed.metadata.annotations);
  const namespace = sealed.metadata.namespace ?? "";
  const name = sealed.metadata.name ?? "";
  try {
    return hybridDecrypt(keys, bytes, encryptionLabel(scope, namespace, name));
  } catch (err) {
    if (!(err instanceof SealedValueError)) throw err;
    throw new UnsealError(ref, `cannot decrypt ${what} (${describeScope(scope, namespace, name)}): ${err.message}`, {
      cause: err,
    });
  }
}

function secretMetadata(sealed: SealedSecret): ObjectMeta {
  const meta: ObjectMeta = { ...(sealed.spec.template?.metadata ?? {}) };
  for (const field of DROPPED_FIELDS) delete meta[field];
  meta.name = sealed.metadata.name;
  meta.namespace = sealed.metadata.namespace;
  if (meta.annotations?.[SEALED_SECRETS_ANNOTATIONS.skipSetOwnerReferences] !== "true") {
    meta.ownerReferences = [
      {
        apiVersion: SEALED_SECRET_API_VERSION,
        kind: SEALED_SECRET_KIND,
        name: sealed.metadata.name ?? "",
        uid: sealed.metadata.uid ?? "",
        controller: true,
      },
    ];
  }
  return meta;
}

/** The data items of the deprecated `spec.data` blob (a whole v1 Secret as JSON, sealed in one piece). */
function openDeprecatedData(sealed: SealedSecret, blob: string, keys: readonly KeyObject[]): Record<string, string> {
  const plain = openItem(sealed, "spec.data", blob, keys);
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString("utf8"));
  } catch {
    throw new UnsealError(refOf(sealed), "spec.data decrypted but is not a JSON Secret");
  } finally {
    plain.fill(0);
  }
  const data = (parsed as { data?: unknown }).data;
  const out: Record<string, string> = {};
  if (typeof data === "object" && data !== null)
    for (const [k, v] of Object.entries(data)) if (typeof v === "string") out[k] = v;
  const stringData = (parsed as { stringData?: unknown }).stringData;
  if (typeof stringData === "object" && stringData !== null)
    for (const [k, v] of Object.entries(stringData))
      if (typeof v === "string") out[k] = Buffer.from(v, "utf8").toString("base64");
  return out;
}

/**
 * The Secret a SealedSecret stands for. Throws UnsealError (naming the object and the item, never a value)
 * when an item does not open or the SealedSecret asks for something bosun does not do.
 */
export function unsealSecret(sealed: SealedSecret, keys: readonly KeyObject[]): SecretObject {
  const ref = refOf(sealed);
  if (!sealed.metadata.name || !sealed.metadata.namespace)
    throw new UnsealError(ref, "a SealedSecret needs a name and a namespace");
  const template = sealed.spec.template;
  if (template?.data && Object.keys(template.data).length > 0)
    throw new UnsealError(
      ref,
      `spec.template.data (templated keys: ${Object.keys(template.data).sort().join(", ")}) is not supported by bosun; seal each value instead`,
    );
  const encrypted = Object.entries(sealed.spec.encryptedData).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (encrypted.length > 0 && sealed.spec.data)
    throw new UnsealError(ref, "spec.data (deprecated) and spec.encryptedData cannot be used together");
  let data: Record<string, string> = {};
  if (encrypted.length > 0) {
    for (const [key, value] of encrypted) {
      const plain = openItem(sealed, `encryptedData.${key}`, value, keys);
      data[key] = plain.toString("base64");
      plain.fill(0);
    }
  } else if (sealed.spec.data) {
    data = openDeprecatedData(sealed, sealed.spec.data, keys);
  }
  const secret: SecretObject = { apiVersion: "v1", kind: "Secret", metadata: secretMetadata(sealed), data };
  if (template?.type) secret.type = template.type;
  if (template?.immutable !== undefined) secret.immutable = template.immutable;
  return secret;
}
