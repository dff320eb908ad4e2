// An Application's own health checks, in CEL, in the shape of Flux's healthCheckExprs. Each expression sees
// the live object as `self`, and (so that Flux's library of expressions works unchanged) its top-level fields
// by name. Integers are CEL ints, as Kubernetes' own CEL sees them, so `self.spec.replicas + 1` works.
//
// A check replaces the built-in rule and the generic conditions for its group and kind (health.ts still
// applies deletion and generation first). Its expressions are evaluated in Flux's order, and the first that
// is true decides:
//
//   inProgress → Progressing    failed → Degraded    current → Healthy    none true → Progressing
//
// An expression that cannot be evaluated (a field that is not there yet, a result that is not a boolean)
// makes the object Unknown with the error: a wave waits on it, until its timeout, as Flux does. Pure.
import { Environment, type ParseResult } from "@marcbachmann/cel-js";
import { groupOf, type Health, type HealthCheck, type KubeObject } from "../api/index.js";
import { degraded, healthy, progressing, unknown } from "./rule.js";

/** The bound names an expression may use: the object, and its top-level fields as Flux binds them. */
const VARIABLES = ["self", "apiVersion", "kind", "metadata", "spec", "status"] as const;

const env = new Environment({ enableOptionalTypes: true });
for (const name of VARIABLES) env.registerVariable(name, "dyn");

type Field = "inProgress" | "failed" | "current";

/** Flux's order: the first expression that is true decides. */
const ORDER: ReadonlyArray<{ field: Field; verdict: (message: string) => Health }> = [
  { field: "inProgress", verdict: progressing },
  { field: "failed", verdict: degraded },
  { field: "current", verdict: healthy },
];

/** A compiled health check for one group and kind. */
export interface CustomHealthRule {
  readonly group: string;
  readonly kind: string;
  /** Where the check is, for messages: `spec.healthChecks[0]`. */
  readonly source: string;
  readonly check: (obj: KubeObject) => Health;
}

/** Compiled checks by group and kind (see customRuleFor). */
export type CustomHealthRules = ReadonlyMap<string, CustomHealthRule>;

export interface CompiledHealthChecks {
  rules: CustomHealthRules;
  /** Why a check cannot be used, naming it (`spec.healthChecks[1] (Widget.example.com): failed: ...`). */
  problems: string[];
}

const ruleKey = (group: string, kind: string): string => `${kind}.${group}`;

/** The check an Application gives for a group and kind, if any. */
export function customRuleFor(rules: CustomHealthRules | undefined, group: string, kind: string) {
  return rules?.get(ruleKey(group, kind));
}

/** An error of the CEL library on one line, with where in the expression it is. */
function celError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const line = err.message.split("\n")[0] ?? err.message;
  const range = (err as { range?: { start?: unknown } }).range;
  return typeof range?.start === "number" ? `${line} (at character ${range.start + 1})` : line;
}

/** The expression compiled, or why it cannot be: a parse or type error, or a result that is never a boolean. */
function compileExpression(expression: string): ParseResult | string {
  const checked = env.check(expression);
  if (!checked.valid) return celError(checked.error);
  if (checked.type !== "bool" && checked.type !== "dyn") return `must return a boolean, not ${checked.type}`;
  try {
    return env.parse(expression);
  } catch (err) {
    return celError(err);
  }
}

/** JSON numbers as CEL sees Kubernetes objects: whole numbers are ints, others doubles. */
function celValue(value: unknown): unknown {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  return value;
}

interface Program {
  field: Field;
  expression: string;
  run: ParseResult;
  verdict: (message: string) => Health;
}

function evaluator(source: string, programs: readonly Program[]) {
  return (obj: KubeObject): Health => {
    const self = celValue(obj) as Record<string, unknown>;
    const context = { ...self, self };
    for (const { field, expression, run, verdict } of programs) {
      let result: unknown;
      try {
        result = run(context);
      } catch (err) {
        return unknown(`cannot evaluate ${field} (${source}): ${celError(err)}`);
      }
      if (typeof result !== "boolean")
        return unknown(`cannot evaluate ${field} (${source}): it returned ${typeof result}, not a boolean`);
      if (result) return verdict(`${field} (${source}): ${expression}`);
    }
    const current = programs.find((p) => p.field === "current")?.expression ?? "";
    return progressing(`not current yet (${source}): ${current}`);
  };
}

/** One check compiled, or its problems. */
function compileOne(
  check: HealthCheck,
  source: string,
  label: string,
): { rule?: CustomHealthRule; problems: string[] } {
  const problems: string[] = [];
  if (!check.apiVersion || !check.kind) problems.push(`${source}: apiVersion and kind are required`);
  if (!check.current) problems.push(`${source} (${label}): current is required`);
  const programs: Program[] = [];
  for (const { field, verdict } of ORDER) {
    const expression = check[field];
    if (!expression) continue;
    const compiled = compileExpression(expression);
    if (typeof compiled === "string") problems.push(`${source} (${label}): ${field}: ${compiled}`);
    else programs.push({ field, expression, run: compiled, verdict });
  }
  if (problems.length > 0) return { problems };
  const group = groupOf(check.apiVersion);
  return { rule: { group, kind: check.kind, source, check: evaluator(source, programs) }, problems };
}

/**
 * Compiles an Application's health checks. A check with a problem (invalid CEL, a second check for the same
 * kind) is left out of `rules` and named in `problems`, which the controller refuses the Application for.
 */
export function compileHealthChecks(checks: readonly HealthCheck[] | undefined): CompiledHealthChecks {
  const rules = new Map<string, CustomHealthRule>();
  const problems: string[] = [];
  (checks ?? []).forEach((check, i) => {
    const source = `spec.healthChecks[${i}]`;
    const group = groupOf(check.apiVersion ?? "");
    const label = group ? `${check.kind}.${group}` : check.kind;
    const { rule, problems: own } = compileOne(check, source, label);
    problems.push(...own);
    if (!rule) return;
    const earlier = rules.get(ruleKey(rule.group, rule.kind));
    if (earlier) problems.push(`${source} (${label}): ${earlier.source} already checks this kind`);
    else rules.set(ruleKey(rule.group, rule.kind), rule);
  });
  return { rules, problems };
}
