// helm.valuesFrom: chart values from ConfigMaps and Secrets in the Application's namespace, merged in the
// order listed (as Flux's HelmRelease merges them), then the inline values on top. A Secret must be labelled
// `bosun.dev/secret-type: values`, so an Application cannot have the agent render any other Secret of
// its namespace (API tokens, sealing keys) into objects its author can read.
import { createHash } from "node:crypto";
import { parse } from "yaml";
import { type Application, isRecord, type KubeObject, LABELS, SECRET_TYPES } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { decoded } from "./source-credentials.js";

export interface ValuesReference {
  kind: "ConfigMap" | "Secret";
  name: string;
  /** The data key holding the values (default `values.yaml`). */
  valuesKey?: string;
  /** Set the key's value, as a string, at this dotted path instead of merging it as YAML. */
  targetPath?: string;
  /** A missing object or key is skipped instead of failing the render. */
  optional?: boolean;
}

export interface ValuesFrom {
  /** The merged values, inline values last; undefined when the Application has none of either. */
  values: Record<string, unknown> | undefined;
  /** A digest of the merged values: what a render memo keys on (never the values themselves). */
  digest: string;
  /** Whether any value came from a Secret: then renders are not kept on disk. */
  fromSecret: boolean;
  /** The string values that came from Secrets (at least 4 characters), to be masked wherever bosun shows text. */
  sensitive: string[];
}

export class ValuesFromError extends Error {
  override readonly name = "ValuesFromError";
}

export const DEFAULT_VALUES_KEY = "values.yaml";
const MIN_MASKED_LENGTH = 4;

/** The variables of postBuild: substituteFrom in order (every data key), then the inline ones over them. */
export interface Substitutions {
  vars: Record<string, string>;
  digest: string;
  /** The values that came from Secrets (at least 4 characters), to be masked. */
  sensitive: string[];
}

export async function readSubstitutions(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<Substitutions | undefined> {
  const postBuild = app.spec.source.postBuild;
  if (postBuild === undefined) return undefined;
  const vars: Record<string, string> = {};
  const sensitive = new Set<string>();
  const namespace = app.metadata.namespace;
  const field = "postBuild.substituteFrom";
  for (const { ref, data } of await readReferenced(client, namespace, postBuild.substituteFrom ?? [], field, signal)) {
    if (data === undefined) {
      if (ref.optional) continue;
      throw new ValuesFromError(`${ref.kind} ${namespace}/${ref.name} (${field}) does not exist`);
    }
    for (const [k, v] of Object.entries(data)) {
      vars[k] = v;
      if (ref.kind === "Secret") collectStrings(v, sensitive);
    }
  }
  Object.assign(vars, postBuild.substitute ?? {});
  return {
    vars,
    digest: createHash("sha256").update(JSON.stringify(vars)).digest("hex"),
    sensitive: [...sensitive],
  };
}

/** helm.valuesFrom read and merged with the inline values; undefined when the Application names none. */
export async function readValuesFrom(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<ValuesFrom | undefined> {
  const refs = app.spec.source.helm?.valuesFrom ?? [];
  if (refs.length === 0) return undefined;
  const namespace = app.metadata.namespace;
  const documents = await readReferenced(client, namespace, refs, "helm.valuesFrom", signal);
  return mergeValuesFrom(documents, app.spec.source.helm?.values, namespace);
}

/** Each referenced ConfigMap's or Secret's data (a Secret's decoded); undefined where the object does not exist. */
async function readReferenced<R extends Pick<ValuesReference, "kind" | "name">>(
  client: KubeClient,
  namespace: string,
  refs: readonly R[],
  field: string,
  signal: AbortSignal,
): Promise<Array<{ ref: R; data: Record<string, string> | undefined }>> {
  const out: Array<{ ref: R; data: Record<string, string> | undefined }> = [];
  for (const ref of refs) {
    const object = await client.get({ apiVersion: "v1", kind: ref.kind, namespace, name: ref.name }, signal);
    out.push({ ref, data: object ? dataOf(object, ref, namespace, field) : undefined });
  }
  return out;
}

function dataOf(
  object: KubeObject,
  ref: Pick<ValuesReference, "kind" | "name">,
  namespace: string,
  field: string,
): Record<string, string> {
  if (ref.kind === "ConfigMap") return (object as { data?: Record<string, string> }).data ?? {};
  if (object.metadata.labels?.[LABELS.secretType] !== SECRET_TYPES.values) {
    throw new ValuesFromError(
      `Secret ${namespace}/${ref.name} is not labelled ${LABELS.secretType}=${SECRET_TYPES.values}; ${field} reads only such Secrets`,
    );
  }
  return decoded((object as { data?: Record<string, string> }).data ?? {});
}

/**
 * The merge, pure: each reference's document (`undefined`: the object does not exist) in order, then the
 * inline values. Maps merge key by key, anything else replaces, as helm merges --values files.
 */
export function mergeValuesFrom(
  documents: ReadonlyArray<{ ref: ValuesReference; data: Record<string, string> | undefined }>,
  inline: Record<string, unknown> | undefined,
  namespace: string,
): ValuesFrom {
  let merged: Record<string, unknown> = {};
  const sensitive = new Set<string>();
  let fromSecret = false;
  for (const { ref, data } of documents) {
    const key = ref.valuesKey ?? DEFAULT_VALUES_KEY;
    const where = `${ref.kind} ${namespace}/${ref.name}`;
    if (data === undefined || data[key] === undefined) {
      if (ref.optional) continue;
      throw new ValuesFromError(
        data === undefined ? `${where} (helm.valuesFrom) does not exist` : `${where} has no key ${JSON.stringify(key)}`,
      );
    }
    const text = data[key] as string;
    const document = ref.targetPath === undefined ? parseValues(text, where, key) : atPath(ref.targetPath, text, where);
    if (ref.kind === "Secret") {
      fromSecret = true;
      collectStrings(document, sensitive);
    }
    merged = mergeMaps(merged, document);
  }
  if (inline !== undefined) merged = mergeMaps(merged, inline);
  const values = documents.length === 0 && inline === undefined ? undefined : merged;
  return {
    values,
    digest: createHash("sha256")
      .update(JSON.stringify(values ?? null))
      .digest("hex"),
    fromSecret,
    sensitive: [...sensitive].sort((a, b) => b.length - a.length),
  };
}

function parseValues(text: string, where: string, key: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new ValuesFromError(`${where} key ${key}: not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new ValuesFromError(`${where} key ${key}: the values must be a YAML map`);
  return value;
}

/** `a.b.c` → { a: { b: { c: value } } }; `\.` keeps a dot inside a key (`ingress.annotations.kubernetes\.io/tls`). */
function atPath(path: string, value: string, where: string): Record<string, unknown> {
  const keys = path.split(/(?<!\\)\./).map((k) => k.replaceAll("\\.", "."));
  if (keys.some((k) => k === ""))
    throw new ValuesFromError(`${where}: targetPath ${JSON.stringify(path)} is not a path`);
  let out: unknown = value;
  for (const key of [...keys].reverse()) out = { [key]: out };
  return out as Record<string, unknown>;
}

export function mergeMaps(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? mergeMaps(current, value) : value;
  }
  return out;
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === "string" || typeof value === "number") {
    const text = String(value);
    if (text.length >= MIN_MASKED_LENGTH) into.add(text);
  } else if (Array.isArray(value)) {
    for (const v of value) collectStrings(v, into);
  } else if (isRecord(value)) {
    for (const v of Object.values(value)) collectStrings(v, into);
  }
}

/** Every sensitive string in `text` replaced by `<secret>`; the text as it is when there are none. */
export function maskSensitive(text: string, sensitive: readonly string[]): string {
  let out = text;
  for (const value of sensitive) if (out.includes(value)) out = out.split(value).join("<secret>");
  return out;
}

/** A copy of a JSON value (a status) with every sensitive string masked inside its strings. */
export function maskedJson<T>(value: T, sensitive: readonly string[]): T {
  if (sensitive.length === 0) return value;
  const text = JSON.stringify(value);
  // Inside JSON text a string appears escaped: mask that form, which never spans the JSON's structure.
  const masked = maskSensitive(
    text,
    sensitive.map((v) => JSON.stringify(v).slice(1, -1)),
  );
  return masked === text ? value : (JSON.parse(masked) as T);
}
