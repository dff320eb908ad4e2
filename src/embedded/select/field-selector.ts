// Field selectors: `metadata.name=x`, `metadata.namespace!=y`, joined by commas. Only the fields every
// kind supports are served (as the API server does for most kinds); others are a 400 from the caller.

import { SelectorParseError } from "./label-selector.js";

export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Fields any kind can be selected by; a kind may add its own (Pods: spec.nodeName, status.phase). */
export const COMMON_SELECTABLE_FIELDS: readonly string[] = ["metadata.name", "metadata.namespace"];

export function parseFieldSelector(
  text: string,
  selectable: readonly string[] = COMMON_SELECTABLE_FIELDS,
): FieldSelector {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field = "", op = "", value = ""] = m;
    if (!selectable.includes(field)) throw new SelectorParseError(`field label not supported: ${field}`);
    return { field, operator: op === "!=" ? "!=" : "=", value };
  });
}

/** Reads a dotted field ("status.phase") of an object as a string ("" when absent). */
export function fieldValue(obj: unknown, field: string): string {
  let node: unknown = obj;
  for (const part of field.split(".")) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return "";
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" || typeof node === "number" || typeof node === "boolean" ? String(node) : "";
}

export function matchesFields(selector: FieldSelector, obj: unknown): boolean {
  return selector.every((req) => (fieldValue(obj, req.field) === req.value) === (req.operator === "="));
}
