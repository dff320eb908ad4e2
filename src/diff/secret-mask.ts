// Secret values never leave diff/: they are replaced by placeholders that say only whether a key's value
// is the same on both sides. The placeholders have a fixed length, so they reveal neither content nor size.
import { cloneJson, groupOf, isRecord, type JsonRecord, jsonEqual, type KubeObject } from "../api/index.js";
import { LAST_APPLIED_ANNOTATION } from "./normalize.js";

/** A value present on one side only, or the same on both sides. */
export const SECRET_PLACEHOLDER = "<secret>";
/** A value that differs between the sides, as shown on the live side. */
export const SECRET_PLACEHOLDER_LIVE = "<secret: live value>";
/** A value that differs between the sides, as shown on the desired side. */
export const SECRET_PLACEHOLDER_DESIRED = "<secret: desired value>";
/** A last-applied annotation of a Secret that could not be read, so could not be masked key by key. */
export const SECRET_ANNOTATION_PLACEHOLDER = "<secret: last-applied-configuration hidden>";

const SECRET_FIELDS = ["data", "stringData"] as const;

/** Whether `obj` is a core Secret (`v1`, kind Secret). */
export function isSecret(obj: unknown): boolean {
  return (
    isRecord(obj) && obj.kind === "Secret" && groupOf(typeof obj.apiVersion === "string" ? obj.apiVersion : "") === ""
  );
}

/**
 * Copies of `live` and `desired` whose Secret values are placeholders. `stringData` is first folded into
 * `data` (base64) as the API server does on write, so a value given either way compares by content. Per
 * key: a value equal on both sides, or present on one side only, becomes `<secret>`; a value that differs
 * becomes `<secret: live value>` on the live side and `<secret: desired value>` on the desired side. The
 * last-applied annotation is masked the same way when it holds a Secret, and hidden whole when it cannot
 * be parsed. Objects that are not Secrets come back as copies, unchanged. Either side may be absent.
 */
export function maskSecret(live: KubeObject, desired: KubeObject): { live: KubeObject; desired: KubeObject };
export function maskSecret(
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
): { live: KubeObject | undefined; desired: KubeObject | undefined };
export function maskSecret(
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
): { live: KubeObject | undefined; desired: KubeObject | undefined } {
  const l = live === undefined ? undefined : cloneJson(live);
  const d = desired === undefined ? undefined : cloneJson(desired);
  if (isSecret(l) || isSecret(d)) maskPair(l, d);
  maskLastApplied(l, d);
  return { live: l, desired: d };
}

/** Mask data/stringData of two Secret-shaped records in place. */
function maskPair(live: JsonRecord | undefined, desired: JsonRecord | undefined): void {
  if (live) foldStringData(live);
  if (desired) foldStringData(desired);
  const liveData = dataOf(live);
  const desiredData = dataOf(desired);
  // Decide first, then write: masking one side must not change what the other side is compared with.
  const changed = new Set(
    Object.keys(liveData ?? {}).filter(
      (key) =>
        liveData && desiredData && Object.hasOwn(desiredData, key) && !jsonEqual(liveData[key], desiredData[key]),
    ),
  );
  for (const [data, differs] of [
    [liveData, SECRET_PLACEHOLDER_LIVE],
    [desiredData, SECRET_PLACEHOLDER_DESIRED],
  ] as const) {
    if (!data) continue;
    for (const key of Object.keys(data)) data[key] = changed.has(key) ? differs : SECRET_PLACEHOLDER;
  }
  // Any other shape (data that is not a map, a stringData left behind) is hidden whole.
  for (const obj of [live, desired]) {
    if (!obj) continue;
    for (const field of SECRET_FIELDS) {
      const value = obj[field];
      if (value !== undefined && value !== null && !(field === "data" && isRecord(value)))
        obj[field] = SECRET_PLACEHOLDER;
    }
  }
}

/** Copy every stringData value into data as base64 (stringData wins, as on the server), then drop stringData. */
function foldStringData(obj: JsonRecord): void {
  const stringData = obj.stringData;
  if (!isRecord(stringData)) return;
  const data: JsonRecord = isRecord(obj.data) ? obj.data : {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = typeof value === "string" ? Buffer.from(value, "utf8").toString("base64") : value;
  }
  obj.data = data;
  delete obj.stringData;
}

function dataOf(obj: JsonRecord | undefined): JsonRecord | undefined {
  return obj && isRecord(obj.data) ? obj.data : undefined;
}

/** The last-applied annotation may carry a whole Secret (kubectl client-side apply writes one). */
function maskLastApplied(live: KubeObject | undefined, desired: KubeObject | undefined): void {
  const parsedLive = readLastApplied(live);
  const parsedDesired = readLastApplied(desired);
  const holdsSecret =
    isSecret(live) || isSecret(desired) || isSecret(parsedLive.value) || isSecret(parsedDesired.value);
  if (!holdsSecret) return;
  const l = isRecord(parsedLive.value) ? parsedLive.value : undefined;
  const d = isRecord(parsedDesired.value) ? parsedDesired.value : undefined;
  maskPair(l, d);
  for (const [obj, parsed] of [
    [live, l],
    [desired, d],
  ] as const) {
    const annotations = obj?.metadata?.annotations;
    if (!annotations || !Object.hasOwn(annotations, LAST_APPLIED_ANNOTATION)) continue;
    annotations[LAST_APPLIED_ANNOTATION] = parsed ? JSON.stringify(parsed) : SECRET_ANNOTATION_PLACEHOLDER;
  }
}

function readLastApplied(obj: KubeObject | undefined): { value: unknown } {
  const text = obj?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== "string") return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { value: undefined };
  }
}

/** Shorter values are left alone in messages: masking "1" or "ok" would garble the text and hide nothing. */
const MIN_MASKED_CHARS = 3;

function scalarsOf(value: unknown, out: Set<string>): void {
  if (typeof value === "string" || typeof value === "number") out.add(String(value));
  else if (Array.isArray(value)) for (const v of value) scalarsOf(v, out);
  else if (isRecord(value)) for (const v of Object.values(value)) scalarsOf(v, out);
}

/** Every value of a Secret's data and stringData as text may quote it: as given, and data's decoded. */
function secretValues(obj: unknown): string[] {
  if (!isSecret(obj) || !isRecord(obj)) return [];
  const found = new Set<string>();
  for (const field of SECRET_FIELDS) scalarsOf(obj[field], found);
  const data = obj.data;
  if (isRecord(data))
    for (const v of Object.values(data))
      if (typeof v === "string") found.add(Buffer.from(v, "base64").toString("utf8"));
  return [...found].filter((v) => v.length >= MIN_MASKED_CHARS).sort((a, b) => b.length - a.length);
}

/**
 * `message` (an API server's refusal, a write's error) with every value of `obj`'s Secret data replaced by
 * `<secret>`: a refusal may quote a value it could not read (`expected string, got …{Value:123456}`).
 * Messages about other objects come back unchanged.
 */
export function maskSecretValues(message: string, obj: unknown): string {
  let out = message;
  for (const value of secretValues(obj)) out = out.split(value).join(SECRET_PLACEHOLDER);
  return out;
}
