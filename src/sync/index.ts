export {
  AnnotationError,
  compareOptionsOf,
  HOOK_DELETE_POLICIES,
  HOOK_TYPES,
  type HookDeletePolicy,
  type HookType,
  hookDeletePoliciesOf,
  hookTypesOf,
  syncOptionSettingsOf,
  syncWaveOf,
} from "./annotations.js";
export { mapBounded, rankGroups } from "./batches.js";
export { type Change, type ExecuteContext, executeStep, type StepOutcome } from "./execute.js";
export {
  appOptionProblems,
  COMPARE_OPTIONS,
  type CompareOptions,
  type OptionProblem,
  parseSyncOptions,
  resolveSyncOptions,
  SYNC_OPTIONS,
  type SyncOptionName,
  type SyncOptionSettings,
  type SyncOptions,
} from "./options.js";
export { type PlanSettings, planSync, type SyncPlan, type SyncStep, type SyncTask } from "./plan.js";
export type {
  Applier,
  Deleter,
  HealthReader,
  KindReader,
  Lister,
  LiveReader,
  TrackedObjects,
  WriteOptions,
} from "./ports.js";
export {
  cascadeDeletable,
  deleteObjects,
  executePrune,
  nextInventory,
  type PrunePlan,
  type PruneResult,
  planPrune,
  pruneBlocker,
} from "./prune.js";
export { keepIgnoredFields, throughMapsOnly } from "./respect-ignore.js";
export { type DecideInput, decideSyncStep, type SyncDecision, type SyncProgress, type Waiting } from "./step.js";
export { dryRunObject, type WriteInput, writeObject } from "./write.js";
