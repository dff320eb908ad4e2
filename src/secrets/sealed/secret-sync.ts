// How the controller writes the Secret a SealedSecret unseals to: whose Secret it may touch, what changes,
// and the object it sends. Pure.
import type { KubeObject, ObjectMeta } from "../../api/index.js";
import { SEALED_SECRET_KIND, SEALED_SECRETS_ANNOTATIONS } from "./names.js";
import type { SealedSecret, SecretObject } from "./types.js";

type OwnerReference = NonNullable<ObjectMeta["ownerReferences"]>[number];

/** Does this SealedSecret control the Secret (controller owner reference with its uid)? */
export function isControlledBy(secret: KubeObject, sealed: SealedSecret): boolean {
  return (secret.metadata.ownerReferences ?? []).some(
    (ref) => ref.controller === true && ref.kind === SEALED_SECRET_KIND && ref.uid === sealed.metadata.uid,
  );
}

/** May the controller write this existing Secret: it controls it, or the Secret is annotated managed. */
export function mayManage(secret: KubeObject, sealed: SealedSecret): boolean {
  return isControlledBy(secret, sealed) || secret.metadata.annotations?.[SEALED_SECRETS_ANNOTATIONS.managed] === "true";
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  const eb = b ?? {};
  return ea.length === Object.keys(eb).length && ea.every(([k, v]) => eb[k] === v);
}

function sameOwners(a: OwnerReference[] | undefined, b: OwnerReference[] | undefined): boolean {
  const key = (r: OwnerReference) => `${r.apiVersion}|${r.kind}|${r.name}|${r.uid}|${r.controller === true}`;
  return JSON.stringify((a ?? []).map(key)) === JSON.stringify((b ?? []).map(key));
}

/**
 * The existing Secret with the desired data, labels, annotations, owner references, type and immutable
 * put in; its other metadata (finalizers, resourceVersion) is kept. Undefined when nothing would change.
 */
export function updatedSecret(existing: SecretObject, desired: SecretObject): SecretObject | undefined {
  const type = desired.type ?? "Opaque";
  const ownerReferences = desired.metadata.ownerReferences ?? existing.metadata.ownerReferences;
  const unchanged =
    sameMap(existing.data, desired.data) &&
    sameMap(existing.metadata.labels, desired.metadata.labels) &&
    sameMap(existing.metadata.annotations, desired.metadata.annotations) &&
    sameOwners(existing.metadata.ownerReferences, ownerReferences) &&
    (existing.type ?? "Opaque") === type &&
    (desired.immutable === undefined || existing.immutable === desired.immutable);
  if (unchanged) return undefined;
  const metadata: ObjectMeta = { ...existing.metadata };
  delete metadata.managedFields;
  if (desired.metadata.labels) metadata.labels = { ...desired.metadata.labels };
  else delete metadata.labels;
  if (desired.metadata.annotations) metadata.annotations = { ...desired.metadata.annotations };
  else delete metadata.annotations;
  if (ownerReferences) metadata.ownerReferences = ownerReferences;
  const out: SecretObject = { apiVersion: "v1", kind: "Secret", metadata, type, data: { ...desired.data } };
  if (desired.immutable !== undefined) out.immutable = desired.immutable;
  else if (existing.immutable !== undefined) out.immutable = existing.immutable;
  return out;
}
