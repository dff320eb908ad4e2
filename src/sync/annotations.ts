import { ANNOTATIONS, ARGOCD_ANNOTATIONS, describeRef, type KubeObject, refOf } from "../api/index.js";

export const HOOK_TYPES = ["PreSync", "Sync", "PostSync", "SyncFail", "Skip"] as const;
export type HookType = (typeof HOOK_TYPES)[number];

export const HOOK_DELETE_POLICIES = ["HookSucceeded", "HookFailed", "BeforeHookCreation"] as const;
export type HookDeletePolicy = (typeof HOOK_DELETE_POLICIES)[number];

/** A sync annotation bosun cannot read: the object is named, the value quoted. */
export class AnnotationError extends Error {
  override readonly name = "AnnotationError";
}

function annotation(obj: KubeObject, ours: string, argo?: string): string | undefined {
  const a = obj.metadata.annotations;
  return a?.[ours] ?? (argo ? a?.[argo] : undefined);
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The object's sync wave: `bosun.dev/sync-wave`, else `argocd.argoproj.io/sync-wave`, else 0. */
export function syncWaveOf(obj: KubeObject): number {
  const raw = annotation(obj, ANNOTATIONS.syncWave, ARGOCD_ANNOTATIONS.syncWave);
  if (raw === undefined || raw.trim() === "") return 0;
  if (!/^\s*[-+]?\d+\s*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new AnnotationError(`${describeRef(refOf(obj))}: sync wave "${raw}" is not an integer`);
  }
  return Number(raw);
}

/** The hook types the object is annotated with; empty for an ordinary object. */
export function hookTypesOf(obj: KubeObject): HookType[] {
  const raw = annotation(obj, ANNOTATIONS.hook, ARGOCD_ANNOTATIONS.hook);
  if (raw === undefined) return [];
  const types = list(raw);
  for (const t of types) {
    if (!(HOOK_TYPES as readonly string[]).includes(t)) {
      throw new AnnotationError(`${describeRef(refOf(obj))}: unknown hook "${t}" (use ${HOOK_TYPES.join(", ")})`);
    }
  }
  return types as HookType[];
}

/** Delete policies of a hook; BeforeHookCreation when none is given (as in Argo CD). */
export function hookDeletePoliciesOf(obj: KubeObject): HookDeletePolicy[] {
  const raw = annotation(obj, ANNOTATIONS.hookDeletePolicy, ARGOCD_ANNOTATIONS.hookDeletePolicy);
  if (raw === undefined || raw.trim() === "") return ["BeforeHookCreation"];
  const policies = list(raw);
  for (const p of policies) {
    if (!(HOOK_DELETE_POLICIES as readonly string[]).includes(p)) {
      throw new AnnotationError(
        `${describeRef(refOf(obj))}: unknown hook delete policy "${p}" (use ${HOOK_DELETE_POLICIES.join(", ")})`,
      );
    }
  }
  return policies as HookDeletePolicy[];
}

/** Per-object sync options from `bosun.dev/sync-options`: `Prune=false,Replace=true` → { Prune: "false", Replace: "true" }. */
export function syncOptionsOf(obj: KubeObject): Record<string, string> {
  const raw = obj.metadata.annotations?.[ANNOTATIONS.syncOptions];
  const options: Record<string, string> = {};
  for (const item of list(raw ?? "")) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new AnnotationError(`${describeRef(refOf(obj))}: sync option "${item}" is not Key=value`);
    options[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return options;
}
