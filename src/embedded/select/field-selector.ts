// Field selectors: `metadata.name=x`, `metadata.namespace!=y`, joined by commas. Which labels a kind accepts,
// and how their values are read, is the kind's SelectableFields; any other label is a 400 with the real
// server's message.

import { SelectorParseError } from "./label-selector.js";
import { DEFAULT_SELECTABLE_FIELDS, type FieldReader, type SelectableFields } from "./selectable-fields.js";

export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
  read: FieldReader;
}

export type FieldSelector = FieldRequirement[];

export function parseFieldSelector(
  text: string,
  selectable: SelectableFields = DEFAULT_SELECTABLE_FIELDS,
): FieldSelector {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => {
    const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field = "", op = "", value = ""] = m;
    const read = Object.hasOwn(selectable.fields, field) ? selectable.fields[field] : undefined;
    if (!read) throw new SelectorParseError(selectable.unsupported(field));
    return { field, operator: op === "!=" ? "!=" : "=", value, read };
  });
}

export function matchesFields(selector: FieldSelector, obj: Parameters<FieldReader>[0]): boolean {
  return selector.every((req) => (req.read(obj) === req.value) === (req.operator === "="));
}
