// An ApplicationSet's template made into an Application for one parameter set: every `{{param}}` in every
// string (keys and values) replaced, as Argo CD's fasttemplate mode does (spaces inside the braces allowed).
// A placeholder no parameter answers is an error, reported in the set's status, rather than a name with
// braces in it. Pure.
import { isRecord } from "../api/index.js";

export type Params = Record<string, string>;

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** Parameters from nested data, flattened with dots (`cluster.name`, `list.0`), every leaf as a string. */
export function flattenParams(value: unknown, prefix = "", out: Params = {}): Params {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) flattenParams(v, prefix ? `${prefix}.${i}` : String(i), out);
  } else if (isRecord(value))
    for (const [k, v] of Object.entries(value)) flattenParams(v, prefix ? `${prefix}.${k}` : k, out);
  else if (prefix) out[prefix] = value === null || value === undefined ? "" : String(value);
  return out;
}

/** `text` with its placeholders replaced; the names no parameter answers are added to `missing`. */
export function substitute(text: string, params: Params, missing: Set<string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
}

function substituteDeep(value: unknown, params: Params, missing: Set<string>): unknown {
  if (typeof value === "string") return substitute(value, params, missing);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, params, missing));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[substitute(k, params, missing)] = substituteDeep(v, params, missing);
    return out;
  }
  return value;
}

export type Rendered<T> = { value: T } | { error: string };

/** The template with the parameters in it, or which placeholders had no parameter. */
export function renderTemplate<T>(template: T, params: Params): Rendered<T> {
  const missing = new Set<string>();
  const value = substituteDeep(template, params, missing) as T;
  if (missing.size > 0)
    return {
      error: `no parameter ${[...missing].map((m) => `{{${m}}}`).join(", ")} (have: ${Object.keys(params).sort().join(", ") || "none"})`,
    };
  return { value };
}
