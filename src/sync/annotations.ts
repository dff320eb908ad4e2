import {
  ANNOTATIONS,
  ARGOCD_ANNOTATIONS,
  describeRef,
  HELM_ANNOTATIONS,
  type KubeObject,
  refOf,
} from "../api/index.js";
import {
  type CompareOptions,
  type OptionProblem,
  optionItems,
  parseCompareOptions,
  parseSyncOptions,
  type SyncOptionSettings,
} from "./options.js";

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

/** Which of the two annotations is read (ours wins), for messages. */
const annotationRead = (obj: KubeObject, ours: string, argo: string) =>
  obj.metadata.annotations?.[ours] !== undefined ? ours : argo;

const list = optionItems;

function integerAnnotation(obj: KubeObject, raw: string, what: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new AnnotationError(`${describeRef(refOf(obj))}: ${what} "${raw}" is not an integer`);
  }
  return Number(raw);
}

/**
 * The object's sync wave: `bosun.dev/sync-wave`, else `argocd.argoproj.io/sync-wave`, else Helm's
 * `helm.sh/hook-weight` (as Argo CD reads it), else 0.
 */
export function syncWaveOf(obj: KubeObject): number {
  const raw = annotation(obj, ANNOTATIONS.syncWave, ARGOCD_ANNOTATIONS.syncWave);
  if (raw !== undefined && raw.trim() !== "") return integerAnnotation(obj, raw, "sync wave");
  const weight = obj.metadata.annotations?.[HELM_ANNOTATIONS.hookWeight];
  if (weight !== undefined && weight.trim() !== "") return integerAnnotation(obj, weight, HELM_ANNOTATIONS.hookWeight);
  return 0;
}

/** Helm's hook events and the phase Argo CD runs each in; every other event (test, pre-delete, …) is not synced. */
const HELM_HOOK_PHASES: Readonly<Record<string, HookType>> = {
  "pre-install": "PreSync",
  "pre-upgrade": "PreSync",
  "post-install": "PostSync",
  "post-upgrade": "PostSync",
};

/**
 * The phases of a Helm hook, as Argo CD maps them: pre-install/pre-upgrade → PreSync, post-install/post-upgrade →
 * PostSync; `crd-install` is an ordinary object; a hook of no synced event (test, test-success, pre-delete,
 * pre-rollback, …) is Skip: never applied, counted or pruned.
 */
function helmHookTypes(raw: string): HookType[] {
  const events = list(raw);
  if (events.every((e) => e === "crd-install")) return [];
  const phases = [...new Set(events.flatMap((e) => HELM_HOOK_PHASES[e] ?? []))];
  return phases.length > 0 ? phases : ["Skip"];
}

/** The hook types the object is annotated with (bosun's, else Argo CD's, else Helm's); empty for an ordinary object. */
export function hookTypesOf(obj: KubeObject): HookType[] {
  const raw = annotation(obj, ANNOTATIONS.hook, ARGOCD_ANNOTATIONS.hook);
  if (raw === undefined) {
    const helm = obj.metadata.annotations?.[HELM_ANNOTATIONS.hook];
    return helm === undefined ? [] : helmHookTypes(helm);
  }
  const types = list(raw);
  for (const t of types) {
    if (!(HOOK_TYPES as readonly string[]).includes(t)) {
      throw new AnnotationError(`${describeRef(refOf(obj))}: unknown hook "${t}" (use ${HOOK_TYPES.join(", ")})`);
    }
  }
  return types as HookType[];
}

const HELM_DELETE_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  "before-hook-creation": "BeforeHookCreation",
  "hook-succeeded": "HookSucceeded",
  "hook-failed": "HookFailed",
};

function helmDeletePolicies(obj: KubeObject, raw: string): HookDeletePolicy[] {
  return list(raw).map((p) => {
    const policy = HELM_DELETE_POLICIES[p];
    if (!policy)
      throw new AnnotationError(
        `${describeRef(refOf(obj))}: unknown ${HELM_ANNOTATIONS.hookDeletePolicy} "${p}" (use ${Object.keys(HELM_DELETE_POLICIES).join(", ")})`,
      );
    return policy;
  });
}

/**
 * Delete policies of a hook (bosun's, else Argo CD's, else Helm's `helm.sh/hook-delete-policy`);
 * BeforeHookCreation when none is given (as in Argo CD and Helm).
 */
export function hookDeletePoliciesOf(obj: KubeObject): HookDeletePolicy[] {
  const raw = annotation(obj, ANNOTATIONS.hookDeletePolicy, ARGOCD_ANNOTATIONS.hookDeletePolicy);
  const helm = obj.metadata.annotations?.[HELM_ANNOTATIONS.hookDeletePolicy];
  if ((raw === undefined || raw.trim() === "") && helm !== undefined && helm.trim() !== "")
    return helmDeletePolicies(obj, helm);
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

function optionProblems(
  obj: KubeObject,
  annotationName: string,
  problems: readonly OptionProblem[],
): AnnotationError | undefined {
  if (problems.length === 0) return undefined;
  const what = problems.map((p) => p.problem).join("; ");
  return new AnnotationError(`${describeRef(refOf(obj))}: annotation ${annotationName}: ${what}`);
}

/**
 * The sync options an object sets: `bosun.dev/sync-options`, else `argocd.argoproj.io/sync-options`
 * (`Prune=false,Replace=true`). An unknown option, a bad value or an Application-only option is an
 * AnnotationError naming the object and the options bosun knows.
 */
export function syncOptionSettingsOf(obj: KubeObject): SyncOptionSettings {
  const name = annotationRead(obj, ANNOTATIONS.syncOptions, ARGOCD_ANNOTATIONS.syncOptions);
  const raw = annotation(obj, ANNOTATIONS.syncOptions, ARGOCD_ANNOTATIONS.syncOptions);
  const { settings, problems } = parseSyncOptions(optionItems(raw ?? ""), "object");
  const error = optionProblems(obj, name, problems);
  if (error) throw error;
  return settings;
}

/** The compare options an object sets (`bosun.dev/compare-options`, else Argo CD's); AnnotationError as above. */
export function compareOptionsOf(obj: KubeObject): CompareOptions {
  const name = annotationRead(obj, ANNOTATIONS.compareOptions, ARGOCD_ANNOTATIONS.compareOptions);
  const raw = annotation(obj, ANNOTATIONS.compareOptions, ARGOCD_ANNOTATIONS.compareOptions);
  const { options, problems } = parseCompareOptions(optionItems(raw ?? ""));
  const error = optionProblems(obj, name, problems);
  if (error) throw error;
  return options;
}
