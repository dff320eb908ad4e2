// Narrow accessors over an object's JSON. Live objects come from the API server as untyped JSON, so every
// field is read as `unknown` and narrowed here; a field of the wrong type reads as absent.

/** The value at `path` below `value`, or undefined when any step is missing or not an object. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function num(value: unknown, ...path: string[]): number | undefined {
  const v = field(value, ...path);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function str(value: unknown, ...path: string[]): string | undefined {
  const v = field(value, ...path);
  return typeof v === "string" ? v : undefined;
}

export function bool(value: unknown, ...path: string[]): boolean | undefined {
  const v = field(value, ...path);
  return typeof v === "boolean" ? v : undefined;
}

/** The array at `path`, or an empty array when it is absent or not an array. */
export function list(value: unknown, ...path: string[]): unknown[] {
  const v = field(value, ...path);
  return Array.isArray(v) ? v : [];
}

/** One entry of a status.conditions list, as every Kubernetes API and most controllers write it. */
export interface Condition {
  type: string;
  /** "True" | "False" | "Unknown" by convention; kept as written. */
  status: string;
  reason: string;
  message: string;
  observedGeneration: number | undefined;
}

/** Parses a list of conditions, skipping entries without a string `type`. */
export function parseConditions(entries: unknown[]): Condition[] {
  const out: Condition[] = [];
  for (const entry of entries) {
    const type = str(entry, "type");
    if (type === undefined) continue;
    out.push({
      type,
      status: str(entry, "status") ?? "Unknown",
      reason: str(entry, "reason") ?? "",
      message: str(entry, "message") ?? "",
      observedGeneration: num(entry, "observedGeneration"),
    });
  }
  return out;
}

/** status.conditions of an object. */
export function conditionsOf(obj: unknown): Condition[] {
  return parseConditions(list(obj, "status", "conditions"));
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}
