// The SealedSecret resource (bitnami.com/v1alpha1) and the Secret it becomes, as plain JSON, with narrowing
// parsers for untrusted input.
import type { KubeObject, ObjectMeta } from "../../api/index.js";
import { SealedSecretsError } from "./errors.js";
import { SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND } from "./names.js";

export interface SealedSecretTemplate {
  metadata?: ObjectMeta;
  type?: string;
  immutable?: boolean;
  /** Go text/template strings over the decrypted items (Bitnami); bosun refuses them with a clear error. */
  data?: Record<string, string> | null;
}

export interface SealedSecretSpec {
  /** Item name → base64 of one hybrid-encrypted value. */
  encryptedData: Record<string, string>;
  template?: SealedSecretTemplate;
  /** Deprecated: base64 of one hybrid-encrypted blob holding a whole v1 Secret as JSON. */
  data?: string;
}

export type ConditionStatus = "True" | "False" | "Unknown";

export interface SealedSecretCondition {
  type: string;
  status: ConditionStatus;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface SealedSecretStatus {
  observedGeneration?: number;
  conditions?: SealedSecretCondition[];
}

export interface SealedSecret extends KubeObject {
  spec: SealedSecretSpec;
  status?: SealedSecretStatus;
}

/** A core/v1 Secret. */
export interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

/** A SealedSecret or Secret document that does not have the expected shape. */
export class ObjectShapeError extends SealedSecretsError {
  override readonly name: string = "ObjectShapeError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown, what: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new ObjectShapeError(`${what} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new ObjectShapeError(`${what}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function metadataOf(value: unknown, what: string): ObjectMeta {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new ObjectShapeError(`${what} must be a map`);
  const meta: ObjectMeta = { ...value };
  for (const field of ["name", "namespace", "generateName"] as const) {
    if (meta[field] !== undefined && typeof meta[field] !== "string")
      throw new ObjectShapeError(`${what}.${field} must be a string`);
  }
  const labels = stringMap(value.labels, `${what}.labels`);
  const annotations = stringMap(value.annotations, `${what}.annotations`);
  if (labels) meta.labels = labels;
  else delete meta.labels;
  if (annotations) meta.annotations = annotations;
  else delete meta.annotations;
  return meta;
}

/** A v1 Secret from untrusted JSON/YAML; its data and stringData must be maps of strings. */
export function parseSecret(value: unknown): SecretObject {
  if (!isRecord(value)) throw new ObjectShapeError("the input is not an object");
  if (value.kind !== "Secret" || value.apiVersion !== "v1")
    throw new ObjectShapeError(
      `the input is ${String(value.apiVersion ?? "<no apiVersion>")} ${String(value.kind ?? "<no kind>")}, not a v1 Secret`,
    );
  const secret: SecretObject = {
    ...value,
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadataOf(value.metadata, "metadata"),
  };
  const data = stringMap(value.data, "data");
  const stringData = stringMap(value.stringData, "stringData");
  if (data) secret.data = data;
  else delete secret.data;
  if (stringData) secret.stringData = stringData;
  else delete secret.stringData;
  if (value.type !== undefined && typeof value.type !== "string") throw new ObjectShapeError("type must be a string");
  return secret;
}

function parseTemplate(template: unknown): SealedSecretTemplate {
  if (!isRecord(template)) throw new ObjectShapeError("spec.template must be a map");
  const parsed: SealedSecretTemplate = { metadata: metadataOf(template.metadata, "spec.template.metadata") };
  if (template.type !== undefined && template.type !== null) {
    if (typeof template.type !== "string") throw new ObjectShapeError("spec.template.type must be a string");
    parsed.type = template.type;
  }
  if (template.immutable !== undefined && template.immutable !== null) {
    if (typeof template.immutable !== "boolean")
      throw new ObjectShapeError("spec.template.immutable must be a boolean");
    parsed.immutable = template.immutable;
  }
  const data = stringMap(template.data, "spec.template.data");
  if (data) parsed.data = data;
  return parsed;
}

function parseSpec(spec: unknown): SealedSecretSpec {
  if (!isRecord(spec)) throw new ObjectShapeError("spec is missing");
  const parsed: SealedSecretSpec = { encryptedData: stringMap(spec.encryptedData, "spec.encryptedData") ?? {} };
  if (spec.data !== undefined && spec.data !== null) {
    if (typeof spec.data !== "string") throw new ObjectShapeError("spec.data must be a string");
    parsed.data = spec.data;
  }
  if (spec.template !== undefined && spec.template !== null) parsed.template = parseTemplate(spec.template);
  return parsed;
}

/** A bitnami.com/v1alpha1 SealedSecret from untrusted JSON/YAML (or the API server). */
export function parseSealedSecret(value: unknown): SealedSecret {
  if (!isRecord(value)) throw new ObjectShapeError("the input is not an object");
  if (value.kind !== SEALED_SECRET_KIND || value.apiVersion !== SEALED_SECRET_API_VERSION)
    throw new ObjectShapeError(
      `the input is ${String(value.apiVersion ?? "<no apiVersion>")} ${String(value.kind ?? "<no kind>")}, not a ${SEALED_SECRET_API_VERSION} ${SEALED_SECRET_KIND}`,
    );
  const sealed: SealedSecret = {
    ...value,
    apiVersion: SEALED_SECRET_API_VERSION,
    kind: SEALED_SECRET_KIND,
    metadata: metadataOf(value.metadata, "metadata"),
    spec: parseSpec(value.spec),
  };
  if (isRecord(value.status)) sealed.status = value.status as SealedSecretStatus;
  else delete sealed.status;
  return sealed;
}
