// spec.driftPolicy: per changed field, what the agent does about a change another manager made behind Git's
// back. The first rule covering the field decides; without one, self-heal's setting does (revert when on,
// detect when off). Pure.
import {
  type Application,
  DRIFT_ACTIONS,
  type DriftAction,
  type DriftPolicyRule,
  FIELD_MANAGER,
  type KubeObject,
  type ObjectRef,
} from "../api/index.js";
import { isAncestorPointer, parsePointer } from "../diff/index.js";
import { keepIgnoredFields, type SyncPlan, type SyncTask } from "../sync/index.js";
import type { ResourceComparison } from "./compare.js";
import { globMatch } from "./project-policy.js";

/** The Application's rules and the action of a change no rule covers. */
export interface DriftPolicy {
  rules: readonly DriftPolicyRule[];
  fallback: DriftAction;
}

/** What decided for one change: the action, and the index of the rule (absent when the fallback decided). */
export interface DriftDecision {
  action: DriftAction;
  rule?: number;
}

/** The manager a deletion is attributed to: a deleted object leaves no managedFields behind. */
export const DELETION_MANAGER = "unknown";

export function driftPolicyOf(app: Application): DriftPolicy {
  const automated = app.spec.syncPolicy?.automated;
  return { rules: app.spec.driftPolicy ?? [], fallback: automated?.selfHeal ? "revert" : "detect" };
}

/** Whether the agent takes a reverted change back by itself now: only an automated, unsuspended Application syncs. */
export function revertsNow(app: Application): boolean {
  const policy = app.spec.syncPolicy;
  return Boolean(policy?.automated) && !policy?.suspend;
}

function kindMatches(patterns: readonly string[], ref: Pick<ObjectRef, "group" | "kind">): boolean {
  const qualified = `${ref.group}/${ref.kind}`;
  return patterns.some((p) => (p.includes("/") ? globMatch(p, qualified) : globMatch(p, ref.kind)));
}

function pointerCovers(pointers: readonly string[], path: string): boolean {
  return pointers.some((p) => p === path || isAncestorPointer(p, path));
}

/**
 * The decision for one change: `path` the changed field (undefined for a deleted object, which only rules
 * naming no jsonPointers cover), `manager` who made it. A field bosun itself owns live is not drift (the
 * desired state moved): the fallback decides for it and no rule applies.
 */
export function decideDrift(
  policy: DriftPolicy,
  change: { ref: Pick<ObjectRef, "group" | "kind">; manager: string; path?: string },
): DriftDecision {
  if (change.manager === FIELD_MANAGER) return { action: policy.fallback };
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.kinds?.length && !kindMatches(rule.kinds, change.ref)) continue;
    if (rule.managers?.length && !rule.managers.some((m) => globMatch(m, change.manager))) continue;
    if (rule.jsonPointers?.length && (change.path === undefined || !pointerCovers(rule.jsonPointers, change.path)))
      continue;
    return { action: rule.action, rule: index };
  }
  return { action: policy.fallback };
}

const SEVERITY: Record<DriftAction, number> = { allow: 0, detect: 1, revert: 2 };

/** An object's action from its changes' actions: revert when any change is reverted, else detect, else allow. */
export function strongestAction(actions: Iterable<DriftAction>): DriftAction | undefined {
  let out: DriftAction | undefined;
  for (const a of actions) if (out === undefined || SEVERITY[a] > SEVERITY[out]) out = a;
  return out;
}

/** Why spec.driftPolicy cannot be used, one line per problem. */
export function driftPolicyProblems(rules: readonly DriftPolicyRule[] | undefined): string[] {
  const problems: string[] = [];
  for (const [i, rule] of (rules ?? []).entries()) {
    const field = `driftPolicy[${i}]`;
    if (!DRIFT_ACTIONS.includes(rule.action))
      problems.push(`${field}.action: "${rule.action}" is not one of ${DRIFT_ACTIONS.join(", ")}`);
    for (const pointer of rule.jsonPointers ?? []) {
      try {
        parsePointer(pointer);
      } catch (err) {
        problems.push(`${field}.jsonPointers: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return problems;
}

/** How a decision reads in an Event: `reverting`, `detected only` or `allowed`, and the rule that said so. */
export function describeDecision(decision: DriftDecision, reverting: boolean): string {
  const by = decision.rule === undefined ? "" : ` (driftPolicy[${decision.rule}])`;
  if (decision.action === "allow") return `allowed${by}`;
  if (decision.action === "revert" && reverting) return `reverting${by}`;
  return `detected only${by}`;
}

/**
 * The plan a sync runs under the drift policy: each object with allowed changes written with those fields
 * as they are live (so the sync does not take them back); in a sync that heals drift (Git did not move),
 * the fields only to be detected kept live as well, and objects with nothing to revert left out.
 */
export function driftPlan(
  plan: SyncPlan,
  comparisons: readonly ResourceComparison[],
  options: { healing: boolean; liveOf: (ref: ObjectRef) => KubeObject | undefined },
): SyncPlan {
  const byTask = new Map(comparisons.map((c) => [c.task, c]));
  const held = (t: SyncTask) => {
    const c = byTask.get(t);
    return options.healing && c !== undefined && c.status !== "Synced" && c.action === "detect";
  };
  const kept = (t: SyncTask): SyncTask => {
    const c = byTask.get(t);
    const pointers = [...(c?.keepLive ?? []), ...(options.healing ? (c?.detectOnly ?? []) : [])];
    const live = options.liveOf(t.ref);
    if (pointers.length === 0 || !live) return t;
    const { group, kind, namespace, name } = t.ref;
    return {
      ...t,
      object: keepIgnoredFields(t.object, live, [{ group, kind, namespace, name, jsonPointers: pointers }]),
    };
  };
  if (!comparisons.some((c) => c.keepLive?.length || c.detectOnly?.length || c.action === "detect")) return plan;
  // Steps left empty stay: an operation's step index holds across passes whose comparisons differ.
  const steps = plan.steps.map((step) => ({ ...step, tasks: step.tasks.filter((t) => !held(t)).map(kept) }));
  return { ...plan, steps };
}
