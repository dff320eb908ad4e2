// Label selectors as the API server parses them from `?labelSelector=`: `a=b`, `a==b`, `a!=b`,
// `a in (x,y)`, `a notin (x,y)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`, joined by commas.

export type LabelOperator = "=" | "!=" | "in" | "notin" | "exists" | "!exists" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

export class SelectorParseError extends Error {
  override readonly name = "SelectorParseError";
}

/** Splits at commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, part: string): string {
  if (!KEY.test(key) || key.length > 317)
    throw new SelectorParseError(`unable to parse requirement: invalid label key "${key}" in "${part}"`);
  return key;
}

function checkValue(value: string, part: string): string {
  if (!VALUE.test(value) || value.length > 63)
    throw new SelectorParseError(`unable to parse requirement: invalid label value "${value}" in "${part}"`);
  return value;
}

function parseSet(part: string, key: string, operator: "in" | "notin", rest: string): LabelRequirement {
  const m = /^\((.*)\)$/.exec(rest.trim());
  if (!m) throw new SelectorParseError(`unable to parse requirement: expected "(" after ${operator} in "${part}"`);
  const values = (m[1] ?? "")
    .split(",")
    .map((v) => v.trim())
    .map((v) => checkValue(v, part));
  return { key: checkKey(key, part), operator, values };
}

function parseRequirement(part: string): LabelRequirement {
  if (part.startsWith("!")) return { key: checkKey(part.slice(1).trim(), part), operator: "!exists", values: [] };
  const setMatch = /^(\S+)\s+(in|notin)\s*(\(.*)$/.exec(part);
  if (setMatch) return parseSet(part, setMatch[1] ?? "", setMatch[2] as "in" | "notin", setMatch[3] ?? "");
  const opMatch = /^([^=!<>\s]+)\s*(==|!=|=|<|>)\s*(.*)$/.exec(part);
  if (!opMatch) return { key: checkKey(part, part), operator: "exists", values: [] };
  const [, key = "", op = "", value = ""] = opMatch;
  if (op === "<" || op === ">") {
    if (!/^-?\d+$/.test(value.trim()))
      throw new SelectorParseError(
        `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    return { key: checkKey(key, part), operator: op === ">" ? "gt" : "lt", values: [value.trim()] };
  }
  return { key: checkKey(key, part), operator: op === "!=" ? "!=" : "=", values: [checkValue(value.trim(), part)] };
}

/** Parses `?labelSelector=`; an empty string selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === "") return [];
  return splitTopLevel(text).map((part) => {
    if (part === "") throw new SelectorParseError(`unable to parse requirement: empty requirement in "${text}"`);
    return parseRequirement(part);
  });
}

function matchesOne(req: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "=":
      return has && value === req.values[0];
    case "!=":
      return !has || value !== req.values[0];
    case "in":
      return has && req.values.includes(value ?? "");
    case "notin":
      return !has || !req.values.includes(value ?? "");
    case "gt":
    case "lt": {
      if (!has || !/^-?\d+$/.test(value ?? "")) return false;
      const n = Number(value);
      const limit = Number(req.values[0]);
      return req.operator === "gt" ? n > limit : n < limit;
    }
  }
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return selector.every((req) => matchesOne(req, labels ?? {}));
}

/** A `metav1.LabelSelector` ({matchLabels, matchExpressions}) as requirements; for controllers. */
export function fromLabelSelectorObject(sel: {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}): LabelSelector {
  const reqs: LabelSelector = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({
    key,
    operator: "=",
    values: [v],
  }));
  const ops: Record<string, LabelOperator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!exists" };
  for (const e of sel.matchExpressions ?? []) {
    const operator = ops[e.operator];
    if (!operator) throw new SelectorParseError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, operator, values: e.values ?? [] });
  }
  return reqs;
}
