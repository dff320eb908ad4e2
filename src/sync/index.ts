export {
  AnnotationError,
  HOOK_DELETE_POLICIES,
  HOOK_TYPES,
  type HookDeletePolicy,
  type HookType,
  hookDeletePoliciesOf,
  hookTypesOf,
  syncOptionsOf,
  syncWaveOf,
} from "./annotations.js";
export { mapBounded, rankGroups } from "./batches.js";
export { type Change, type ExecuteContext, executeStep, type StepOutcome } from "./execute.js";
export { planSync, type SyncPlan, type SyncStep, type SyncTask } from "./plan.js";
export type {
  Applier,
  Deleter,
  HealthReader,
  LiveReader,
  ObjectAddress,
  PropagationPolicy,
  TrackedObjects,
} from "./ports.js";
export { deleteObjects, executePrune, nextInventory, type PrunePlan, type PruneResult, planPrune } from "./prune.js";
export { type DecideInput, decideSyncStep, type SyncDecision, type SyncProgress, type Waiting } from "./step.js";
