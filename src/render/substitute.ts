// Flux's post-build variable substitution (kustomize-controller `spec.postBuild.substitute` / `substituteFrom`), pure.
//
// As Flux does it (fluxcd/pkg kustomize/kustomize_varsub.go, expressions by fluxcd/pkg envsubst, a fork of
// drone/envsubst): each object is written as YAML (as kustomize's Resource.AsYAML does: from the object, so quotes
// of the source file are gone; a string is quoted only when it would otherwise read as something else), `${…}`
// expressions are expanded in that text, and the text is read back with YAML 1.1 scalars as go-yaml v2 reads them.
// So a plain scalar that is one whole expression takes the type of its value (`replicas: ${N}` with N=3 is the
// number 3, `yes`/`on`/`true` are booleans, an empty value is null) and a value that carries its own quotes stays a
// string (Flux documents `${quote}${id}${quote}` with quote='"', or a value of '"9797"').
//
// - Nothing happens when there are no variables (Flux substitutes only when at least one is defined), and objects
//   labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left as they are.
// - Values lose their newlines ("\n" removed), as Flux does when it loads them, so a value cannot add YAML lines.
// - Variable names must match ^[_[:alpha:]][_[:alpha:][:digit:]]*$ (ASCII); one that does not fails every object
//   substituted.
// - `$var` is never substituted; `$$` is an escape for `$` anywhere (`$${var}` gives `${var}`, `$$x` gives `$x`).
// - strict (Flux's StrictPostBuildSubstitutions): a variable that is not defined is an error unless the expression
//   supplies a default (`-`, `=`, `:-`, `:=`, `:+`, `:?`); otherwise it is the empty string. Defaults and other
//   arguments are evaluated first, so an undefined variable inside a default fails in strict mode even when unused.
//
// Forms, all as Flux evaluates them:
//   ${var}                   the value
//   ${var:-d} ${var:=d} ${var=d}   d when the value is empty or undefined (Flux does not tell the two apart)
//   ${var:+d} ${var:?d}      the same as ${var:-d} in Flux (not bash's meaning), kept so
//   ${#var}                  length in bytes
//   ${var^} ${var^^} ${var,} ${var,,}   upper/lower case of the first or every character
//   ${var:pos} ${var:pos:len}           substring by byte offset (negative pos from the end, negative len too)
//   ${var#glob} ${var##glob} ${var%glob} ${var%%glob}   strip the shortest/longest prefix/suffix matching a glob
//                            (`*` and `?` also match `/`; a malformed glob leaves the value as it is)
//   ${var/pat/rep} ${var//pat/rep} ${var/#pat/rep} ${var/%pat/rep}   replace first/all/prefix/suffix (literal pat;
//                            `\/`, `\\` and `$$` are escapes there)
// Defaults and arguments may nest expressions (`${a:-${b}}`). Anything else after `${` (`${var-d}`, `${var+d}`, `${var?d}`,
// `${ var}`, `${{ x }}`, an unclosed `${`) is refused, as Flux refuses it: a SubstitutionError.
// Character-level operations work on code points, where Go works on bytes; the two differ only for non-ASCII text.
//
// Errors name the object and the variables, and the field; never a value (values may come from Secrets) and never
// the object's text (it may be a decrypted Secret).
import { Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, parseDocument, visit } from "yaml";
import { cloneJson, describeRef, isRecord, type KubeObject, refOf } from "../api/index.js";
import { RenderError } from "./errors.js";

/** The label or annotation that turns substitution off for one object, with the value `disabled`. */
export const SUBSTITUTE_DISABLED_KEY = "kustomize.toolkit.fluxcd.io/substitute";

export interface SubstituteOptions {
  /** An undefined variable without a default is an error (Flux's StrictPostBuildSubstitutions). */
  strict?: boolean;
}

export type SubstitutionFailure = "invalid-name" | "unset" | "syntax" | "yaml";

/** Flux would refuse to substitute this object. Carries names only: never a value, never the object's text. */
export class SubstitutionError extends RenderError {
  override readonly name: string = "SubstitutionError";
  /** The object as `describeRef` names it (before substitution). */
  readonly object: string;
  readonly reason: SubstitutionFailure;
  /** The variables concerned (invalid names, undefined ones, the one whose expression is malformed). */
  readonly variables: readonly string[];
  /** The field (`spec.template.spec.containers[0].image`) where it happened, when known. */
  readonly field: string | undefined;

  constructor(
    object: string,
    reason: SubstitutionFailure,
    detail: string,
    options: { variables?: readonly string[]; field?: string | undefined } = {},
  ) {
    const at = options.field === undefined ? "" : ` (at ${options.field})`;
    super(`${object}: ${detail}${at}`);
    this.object = object;
    this.reason = reason;
    this.variables = options.variables ?? [];
    this.field = options.field;
  }
}

const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;

/** `variables "A", "B"` / `variable "A"`: names only, quoted. */
function names(noun: string, list: readonly string[]): string {
  const quoted = list.map((n) => JSON.stringify(n)).join(", ");
  return noun === "" ? quoted : `${noun}${list.length > 1 ? "s" : ""} ${quoted}`;
}
const VAR_NAME_AS_FLUX_WRITES_IT = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

/**
 * `objects` with `${…}` expanded from `vars`, as Flux's post-build substitution does it. New objects; the inputs are
 * not changed. Throws a SubstitutionError for an object Flux would refuse, an AggregateError of them for several.
 */
export function substituteVariables(
  objects: KubeObject[],
  vars: Readonly<Record<string, string>>,
  options: SubstituteOptions,
): KubeObject[] {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(vars)) values.set(name, value.replaceAll("\n", ""));
  if (values.size === 0) return objects.map((o) => cloneJson(o));
  const invalid = [...values.keys()].filter((n) => !VAR_NAME.test(n)).sort();
  const lookup = (name: string): string | undefined => values.get(name);
  const errors: SubstitutionError[] = [];
  const out = objects.map((object) => {
    try {
      return substituteOne(object, lookup, invalid, options.strict === true);
    } catch (err) {
      if (!(err instanceof SubstitutionError)) throw err;
      errors.push(err);
      return object;
    }
  });
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `variable substitution failed for ${errors.length} objects`);
  return out;
}

function isDisabled(object: KubeObject): boolean {
  const { labels, annotations } = object.metadata ?? {};
  return labels?.[SUBSTITUTE_DISABLED_KEY] === "disabled" || annotations?.[SUBSTITUTE_DISABLED_KEY] === "disabled";
}

function substituteOne(
  object: KubeObject,
  lookup: (name: string) => string | undefined,
  invalid: readonly string[],
  strict: boolean,
): KubeObject {
  if (isDisabled(object)) return cloneJson(object);
  const name = describeRef(refOf(object));
  if (invalid.length > 0) {
    const detail = `${names("variable name", invalid)} invalid, must match '${VAR_NAME_AS_FLUX_WRITES_IT}'`;
    throw new SubstitutionError(name, "invalid-name", detail, { variables: invalid });
  }
  const text = toYaml(object);
  if (!text.includes("$")) return cloneJson(object);
  const expanded = expand(name, text, lookup, strict);
  return fromYaml(name, text, expanded);
}

// ---------------------------------------------------------------------------------------------------------------
// The expression language: parse into a tree, then evaluate (arguments first, then the variable), as envsubst does.

interface TextPart {
  kind: "text";
  value: string;
}

interface CallPart {
  kind: "call";
  /** Offset of the `${` in the template. */
  at: number;
  param: string;
  /** "" for `${var}`, else the operator as written: ":-", "=", "#", "//", "^^", ":" … */
  op: string;
  args: Part[];
}

type Part = TextPart | CallPart;

class TemplateSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
    readonly variable: string | undefined,
  ) {
    super(reason);
  }
}

const IDENT = /[\p{L}\p{Nd}_]/u;
const DEFAULT_OPS = new Set(["=", ":-", ":=", ":+", ":?"]);

class TemplateParser {
  private pos = 0;
  /** The `${` being parsed and its variable, for error messages. */
  private current: { at: number; variable: string | undefined } = { at: 0, variable: undefined };

  constructor(private readonly src: string) {}

  parse(): Part[] {
    const parts: Part[] = [];
    while (this.pos < this.src.length) {
      if (this.opensCall()) {
        this.pos += 2;
        parts.push(this.call(this.pos - 2));
      } else {
        parts.push({ kind: "text", value: this.topText() });
      }
    }
    return parts;
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  private opensCall(): boolean {
    return this.peek() === "$" && this.peek(1) === "{";
  }

  private fail(reason: string): never {
    throw new TemplateSyntaxError(reason, this.current.at, this.current.variable);
  }

  /** Text outside expressions: `$$` is `$`, nothing else is special. */
  private topText(): string {
    let text = "";
    while (this.pos < this.src.length && !this.opensCall()) {
      if (this.peek() === "$" && this.peek(1) === "$") {
        text += "$";
        this.pos += 2;
      } else {
        text += this.peek();
        this.pos += 1;
      }
    }
    return text;
  }

  private ident(): string {
    let name = "";
    for (;;) {
      const c = this.src.codePointAt(this.pos);
      if (c === undefined) return name;
      const ch = String.fromCodePoint(c);
      if (!IDENT.test(ch)) return name;
      name += ch;
      this.pos += ch.length;
    }
  }

  private expectClose(reason = "bad substitution"): void {
    if (this.peek() !== "}") this.fail(reason);
    this.pos += 1;
  }

  /** After `${`. */
  private call(at: number): CallPart {
    const outer = this.current;
    this.current = { at, variable: undefined };
    const part = this.callBody(at);
    this.current = outer;
    return part;
  }

  private callBody(at: number): CallPart {
    if (this.peek() === "#") {
      this.pos += 1;
      const param = this.ident();
      if (param === "") this.fail("bad substitution");
      this.current.variable = param;
      this.expectClose();
      return { kind: "call", at, param, op: "#", args: [] };
    }
    const param = this.ident();
    if (param === "") this.fail("unable to parse variable name");
    this.current.variable = param;
    const node: CallPart = { kind: "call", at, param, op: "", args: [] };
    const c = this.peek();
    if (c === ":" && "=-?+".includes(this.peek(1)) && this.peek(1) !== "") {
      this.defaults(node, 2);
    } else if (c === ":") {
      this.substring(node);
    } else if (c === "=") {
      this.defaults(node, 1);
    } else if (c === "," || c === "^") {
      node.op = this.run((ch) => ch === "," || ch === "^", 2);
      this.expectClose();
    } else if (c === "/") {
      this.replace(node);
    } else if (c === "#" || c === "%") {
      node.op = this.run((ch) => ch === c, 2);
      node.args.push(this.param((ch) => ch !== "}", false));
      this.expectClose();
    } else {
      this.expectClose("missing closing brace");
    }
    return node;
  }

  /** Up to `max` characters accepted by `accept`. */
  private run(accept: (ch: string) => boolean, max: number): string {
    let out = "";
    while (out.length < max && this.pos < this.src.length && accept(this.peek())) {
      out += this.peek();
      this.pos += 1;
    }
    return out;
  }

  private defaults(node: CallPart, opLength: number): void {
    node.op = this.src.slice(this.pos, this.pos + opLength);
    this.pos += opLength;
    while (this.peek() !== "}") node.args.push(this.param((ch) => ch !== "}", false));
    this.pos += 1;
  }

  private substring(node: CallPart): void {
    node.op = ":";
    this.pos += 1;
    node.args.push(this.param((ch) => ch !== ":" && ch !== "}", false));
    if (this.peek() === "}") {
      this.pos += 1;
      return;
    }
    if (this.run((ch) => ch === ":", Number.POSITIVE_INFINITY) === "") this.fail("bad substitution");
    node.args.push(this.param((ch) => ch !== "}", false));
    this.expectClose();
  }

  private replace(node: CallPart): void {
    node.op = "/";
    this.pos += 1;
    if ("/#%".includes(this.peek()) && this.peek() !== "") {
      node.op += this.peek();
      this.pos += 1;
    }
    node.args.push(this.peek() === "/" ? { kind: "text", value: "" } : this.param((ch) => ch !== "/", true));
    if (this.run((ch) => ch === "/", Number.POSITIVE_INFINITY) === "") this.fail("bad substitution");
    if (this.peek() === "}") {
      this.pos += 1;
      return;
    }
    node.args.push(this.param((ch) => ch !== "}", true));
    this.expectClose();
  }

  /** One argument: a nested expression, or text up to a character `accept` refuses or a `${`. */
  private param(accept: (ch: string) => boolean, escapes: boolean): Part {
    if (this.pos >= this.src.length) this.fail("unable to parse substitution within function");
    if (this.opensCall()) {
      this.pos += 2;
      return this.call(this.pos - 2);
    }
    let value = "";
    let first = true;
    while (this.pos < this.src.length && !this.opensCall()) {
      const escaped = escapes ? this.escapeAt() : undefined;
      if (escaped !== undefined) {
        value += escaped;
        this.pos += 2;
      } else if (accept(this.peek())) {
        value += this.peek();
        this.pos += 1;
      } else {
        if (first) this.fail("unable to parse substitution within function");
        break;
      }
      first = false;
    }
    return { kind: "text", value };
  }

  /** Inside replace arguments: `$$` is `$`, `\/` is `/`, `\\` is `\`. */
  private escapeAt(): string | undefined {
    const [c, next] = [this.peek(), this.peek(1)];
    if (c === "$" && next === "$") return "$";
    if (c === "\\" && (next === "/" || next === "\\")) return next;
    return undefined;
  }
}

interface Expansion {
  text: string;
  /** Where each top-level expression landed in the output, and the variables it read. */
  spans: Array<{ start: number; end: number; variables: string[] }>;
}

interface EvalState {
  lookup: (name: string) => string | undefined;
  strict: boolean;
  unset: Array<{ name: string; at: number }>;
  read: string[];
}

function expand(
  object: string,
  text: string,
  lookup: (name: string) => string | undefined,
  strict: boolean,
): Expansion {
  let parts: Part[];
  try {
    parts = new TemplateParser(text).parse();
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    const variables = err.variable === undefined ? [] : [err.variable];
    const about = err.variable === undefined ? "" : ` in the expression of variable ${JSON.stringify(err.variable)}`;
    throw new SubstitutionError(object, "syntax", `cannot substitute variables: ${err.reason}${about}`, {
      variables,
      field: fieldAt(text, err.at),
    });
  }
  const state: EvalState = { lookup, strict, unset: [], read: [] };
  let out = "";
  const spans: Expansion["spans"] = [];
  for (const part of parts) {
    if (part.kind === "text") {
      out += part.value;
      continue;
    }
    state.read = [];
    const start = out.length;
    out += evaluate(part, state);
    spans.push({ start, end: out.length, variables: state.read });
  }
  if (state.unset.length > 0) {
    const unset = [...new Set(state.unset.map((u) => u.name))];
    const [verb, has] = unset.length > 1 ? ["are", "have"] : ["is", "has"];
    const detail = `${names("variable", unset)} ${verb} not set and ${has} no default (strict substitution)`;
    throw new SubstitutionError(object, "unset", detail, {
      variables: unset,
      field: fieldAt(text, state.unset[0]?.at ?? 0),
    });
  }
  return { text: out, spans };
}

function evaluate(part: Part, state: EvalState): string {
  if (part.kind === "text") return part.value;
  const args = part.args.map((a) => evaluate(a, state));
  state.read.push(part.param);
  const value = state.lookup(part.param);
  if (value === undefined && state.strict && !DEFAULT_OPS.has(part.op))
    state.unset.push({ name: part.param, at: part.at });
  return apply(part.op, value ?? "", args);
}

type Operation = (value: string, args: string[]) => string;

const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  [",", (v) => mapFirst(v, (c) => c.toLowerCase())],
  [",,", (v) => mapEach(v, (c) => c.toLowerCase())],
  ["^", (v) => mapFirst(v, (c) => c.toUpperCase())],
  ["^^", (v) => mapEach(v, (c) => c.toUpperCase())],
  ["#", (v, args) => (args.length === 0 ? String(Buffer.byteLength(v, "utf8")) : trimPrefix(v, args[0], "shortest"))],
  ["##", (v, args) => trimPrefix(v, args[0], "longest")],
  ["%", (v, args) => trimSuffix(v, args[0], "shortest")],
  ["%%", (v, args) => trimSuffix(v, args[0], "longest")],
  [":", substring],
  ["/", (v, args) => replaceLiteral(v, args, "first")],
  ["//", (v, args) => replaceLiteral(v, args, "all")],
  [
    "/#",
    (v, [pattern, replacement]) =>
      replacement !== undefined && v.startsWith(pattern ?? "") ? replacement + v.slice((pattern ?? "").length) : v,
  ],
  [
    "/%",
    (v, [pattern, replacement]) =>
      replacement !== undefined && v.endsWith(pattern ?? "")
        ? v.slice(0, v.length - (pattern ?? "").length) + replacement
        : v,
  ],
]);

function apply(op: string, value: string, args: string[]): string {
  const operation = OPERATIONS.get(op);
  if (operation !== undefined) return operation(value, args);
  // `${var}` and every default form (and `,^`, which Flux also treats so): the value, else the arguments joined.
  return value === "" && args.length > 0 ? args.join("") : value;
}

/** A character mapped as Go maps a rune: when the mapping is not one character, the character stays. */
function mapChar(c: string, f: (c: string) => string): string {
  const mapped = f(c);
  return Array.from(mapped).length === 1 ? mapped : c;
}

function mapEach(v: string, f: (c: string) => string): string {
  return Array.from(v)
    .map((c) => mapChar(c, f))
    .join("");
}

function mapFirst(v: string, f: (c: string) => string): string {
  const [first, ...rest] = Array.from(v);
  return first === undefined ? v : mapChar(first, f) + rest.join("");
}

/** Go's strconv.Atoi: optional sign, decimal digits, within int64. */
function atoi(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) return undefined;
  return Number(n);
}

/** `${var:pos}` / `${var:pos:len}` by byte offset; an argument that is not an integer gives the whole value. */
function substring(value: string, args: string[]): string {
  const bytes = Buffer.from(value, "utf8");
  const size = bytes.length;
  const slice = (from: number, to = size): string => bytes.subarray(from, to).toString("utf8");
  let pos = atoi(args[0]);
  if (pos === undefined) return value;
  if (pos < 0) pos = Math.max(0, size + pos);
  if (args.length < 2) return pos < size ? slice(pos) : "";
  const length = atoi(args[1]);
  if (length === undefined) return value;
  if (length < 0) {
    const end = size + length;
    return end < pos ? "" : slice(pos, end);
  }
  if (pos + length >= size) return pos < size ? slice(pos) : "";
  return slice(pos, pos + length);
}

function replaceLiteral(value: string, args: string[], which: "first" | "all"): string {
  const [pattern, replacement = ""] = args;
  if (pattern === undefined) return value;
  if (pattern === "") {
    // Go's strings.Replace with an empty pattern: before the first character, or around every character.
    if (which === "first") return replacement + value;
    return (
      replacement +
      Array.from(value)
        .map((c) => c + replacement)
        .join("")
    );
  }
  return which === "first" ? value.replace(pattern, () => replacement) : value.replaceAll(pattern, () => replacement);
}

function trimPrefix(value: string, pattern: string | undefined, which: "shortest" | "longest"): string {
  if (pattern === undefined) return value;
  const glob = globToRegExp(pattern);
  if (glob === undefined) return value;
  const chars = Array.from(value);
  let cut: number | undefined;
  // Prefixes from the longest to one character; the empty prefix is never tried.
  for (let n = chars.length; n >= 1; n--) {
    if (!glob.test(chars.slice(0, n).join(""))) continue;
    cut = n;
    if (which === "longest") break;
  }
  return cut === undefined ? value : chars.slice(cut).join("");
}

function reverse(s: string): string {
  return Array.from(s).reverse().join("");
}

/** As envsubst does it: the prefix operation on the reversed value with the reversed pattern. */
function trimSuffix(value: string, pattern: string | undefined, which: "shortest" | "longest"): string {
  if (pattern === undefined) return value;
  return reverse(trimPrefix(reverse(value), reverse(pattern), which));
}

function literal(c: string): string {
  return `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * A glob as envsubst's copy of Go's path.Match reads it (`*`, `?`, `[^a-z]`, `\` escapes), except that `*` and `?`
 * match `/` too; undefined for a malformed pattern.
 */
function globToRegExp(pattern: string): RegExp | undefined {
  const chars = Array.from(pattern);
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? "";
    if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[") {
      const cls = globClass(chars, i + 1);
      if (cls === undefined) return undefined;
      source += cls.source;
      i = cls.end;
    } else if (c === "\\") {
      i += 1;
      if (i >= chars.length) return undefined;
      source += literal(chars[i] ?? "");
    } else source += literal(c);
  }
  return new RegExp(`^${source}$`, "u");
}

/** One character of a class, `\`-escaped or not; undefined where Go reports a bad pattern. */
function classChar(chars: string[], i: number): { c: string; next: number } | undefined {
  let at = i;
  if (chars[at] === undefined || chars[at] === "-" || chars[at] === "]") return undefined;
  if (chars[at] === "\\") at += 1;
  const c = chars[at];
  // Go also refuses a class that ends right after a character (no closing bracket).
  if (c === undefined || at + 1 >= chars.length) return undefined;
  return { c, next: at + 1 };
}

/** `[…]` starting after the `[`: its regular expression and the index of its `]`. */
function globClass(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start;
  const negated = chars[i] === "^";
  if (negated) i += 1;
  const ranges: string[] = [];
  let count = 0;
  while (!(chars[i] === "]" && count > 0)) {
    const lo = classChar(chars, i);
    if (lo === undefined) return undefined;
    let hi = lo;
    if (chars[lo.next] === "-") {
      const h = classChar(chars, lo.next + 1);
      if (h === undefined) return undefined;
      hi = h;
    }
    // A range whose ends are out of order matches nothing, as in Go.
    if ((lo.c.codePointAt(0) ?? 0) <= (hi.c.codePointAt(0) ?? 0)) ranges.push(`${literal(lo.c)}-${literal(hi.c)}`);
    count += 1;
    i = hi.next;
  }
  let source: string;
  if (ranges.length === 0) source = negated ? "[\\s\\S]" : "(?!)";
  else source = `[${negated ? "^" : ""}${ranges.join("")}]`;
  return { source, end: i };
}

// ---------------------------------------------------------------------------------------------------------------
// YAML out and back, as kustomize and sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 scalars) do it for Flux.

const YAML_KEYWORDS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((k) => [k, true] as const),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map((k) => [k, false] as const),
  ...["", "~", "null", "Null", "NULL"].map((k) => [k, null] as const),
  ...[".nan", ".NaN", ".NAN"].map((k) => [k, Number.NaN] as const),
  ...["", "+", "-"].flatMap((sign) =>
    [".inf", ".Inf", ".INF"].map((k) => [sign + k, sign === "-" ? -Infinity : Infinity] as const),
  ),
]);

const GO_INT = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const LEADING_DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64). */
function goInteger(s: string): number | undefined {
  if (!GO_INT.test(s)) return undefined;
  const negative = s.startsWith("-");
  const body = s.replace(/^[+-]/, "");
  const octal = /^0[0-7]+$/.test(body);
  const n = BigInt(octal ? `0o${body.slice(1)}` : body.toLowerCase());
  const signed = negative ? -n : n;
  const fitsInt = signed >= -(2n ** 63n) && signed <= 2n ** 63n - 1n;
  const fitsUint = !/^[+-]/.test(s) && signed <= 2n ** 64n - 1n;
  return fitsInt || fitsUint ? Number(signed) : undefined;
}

/** A plain scalar as go-yaml v2 resolves it (timestamps stay strings, as they do when decoded into interface{}). */
function resolvePlain(s: string): unknown {
  if (YAML_KEYWORDS.has(s)) return YAML_KEYWORDS.get(s);
  if (s.startsWith(".")) return LEADING_DOT_FLOAT.test(s) ? Number(s) : s;
  if (!/^[-+0-9]/.test(s)) return s;
  const plain = s.replaceAll("_", "");
  const int = goInteger(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return s;
}

/** The object as YAML text: strings quoted exactly when they would otherwise read back as something else. */
function toYaml(object: KubeObject): string {
  const doc = new Document(object, { version: "1.1", aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && resolvePlain(node.value) !== node.value) node.type = "QUOTE_SINGLE";
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, singleQuote: true, blockQuote: "literal" });
}

class YamlShapeError extends Error {}

const MAX_ALIASES = 100;

function scalarValue(node: Node): unknown {
  if (!isScalar(node)) throw new YamlShapeError("a key is not a scalar");
  const raw = node.value === null || node.value === undefined ? "" : String(node.value);
  if (node.tag === "tag:yaml.org,2002:str") return raw;
  if (node.type === "PLAIN" || node.tag !== undefined) return resolvePlain(raw);
  return raw;
}

/** A map key as sigs.k8s.io/yaml makes it a JSON key. */
function keyString(node: unknown): string {
  const key = scalarValue(node as Node);
  if (typeof key === "string") return key;
  if (typeof key === "number" || typeof key === "boolean") return String(key);
  throw new YamlShapeError("a map key is null");
}

function toJson(node: unknown, doc: Document, budget: { aliases: number }): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    budget.aliases += 1;
    const target = node.resolve(doc);
    if (target === undefined || budget.aliases > MAX_ALIASES) throw new YamlShapeError("an alias cannot be resolved");
    return toJson(target, doc, budget);
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const value = toJson(pair.value, doc, budget);
      Object.defineProperty(out, keyString(pair.key), { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toJson(item, doc, budget));
  const value = scalarValue(node as Node);
  if (typeof value === "number" && !Number.isFinite(value)) throw new YamlShapeError("a value is .inf or .nan");
  return value;
}

/** Offset of the start of 1-based `line` (the end of the text past the last line). */
function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const newline = text.indexOf("\n", offset);
    if (newline === -1) return text.length;
    offset = newline + 1;
  }
  return offset;
}

function fromYaml(object: string, before: string, expanded: Expansion): KubeObject {
  const doc = parseDocument(expanded.text, { schema: "failsafe", uniqueKeys: false, prettyErrors: false });
  const problem = doc.errors[0];
  try {
    if (problem !== undefined) throw new YamlShapeError(`YAML error ${problem.code}`);
    const value = toJson(doc.contents, doc, { aliases: 0 });
    if (!isRecord(value)) throw new YamlShapeError("it is not a mapping");
    if (typeof value.apiVersion !== "string" || typeof value.kind !== "string" || !isRecord(value.metadata)) {
      throw new YamlShapeError("apiVersion, kind or metadata is no longer what an object needs");
    }
    return value as KubeObject;
  } catch (err) {
    if (!(err instanceof YamlShapeError)) throw err;
    // The substituted values have no newlines, so line N of the result is line N of the text before.
    const offset = problem?.pos[0];
    const line = offset === undefined ? undefined : expanded.text.slice(0, offset).split("\n").length;
    const from = line === undefined ? 0 : lineStart(expanded.text, line);
    const to = line === undefined ? expanded.text.length : lineStart(expanded.text, line + 1);
    const near = expanded.spans.filter((s) => s.end >= from && s.start <= to).flatMap((s) => s.variables);
    const all = expanded.spans.flatMap((s) => s.variables);
    const variables = [...new Set(near.length > 0 ? near : all)];
    const field = line === undefined ? undefined : fieldAt(before, firstNonBlank(before, lineStart(before, line)));
    const detail = `the object is not valid YAML after substituting ${names("", variables).trim()} (${err.message})`;
    throw new SubstitutionError(object, "yaml", detail, { variables, field });
  }
}

function firstNonBlank(text: string, from: number): number {
  let i = from;
  while (text[i] === " ") i++;
  return i;
}

/** The field of the object's YAML text at `offset`, as `spec.containers[0].image`. */
function fieldAt(text: string, offset: number): string | undefined {
  const doc = parseDocument(text, { schema: "failsafe", uniqueKeys: false });
  let found: string | undefined;
  visit(doc, {
    Node(_key, node, path) {
      const range = node.range;
      if (range === null || range === undefined || offset < range[0] || offset >= range[2]) return;
      const described = describePath([...path.slice(1), node]);
      if (described !== "") found = described;
    },
  });
  return found;
}

function describePath(chain: readonly unknown[]): string {
  let out = "";
  chain.forEach((item, i) => {
    const next = chain[i + 1];
    if (isPair(item) && isScalar(item.key)) {
      const key = String(item.key.value);
      out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${out === "" ? "" : "."}${key}` : `[${JSON.stringify(key)}]`;
    } else if (isSeq(item) && next !== undefined) {
      out += `[${(item.items as unknown[]).indexOf(next)}]`;
    }
  });
  return out;
}
