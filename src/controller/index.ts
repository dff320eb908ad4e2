export { type Agent, type AgentOptions, startAgent } from "./agent.js";
export { type AppDiff, type AppDiffOptions, AppDiffRefusedError, appDiff } from "./app-diff.js";
export { unquarantineAnnotations } from "./auto-rollback.js";
export { type ClusterConnection, type ClusterStatus, Clusters, destinedTo } from "./clusters.js";
export { type CompareCache, compareResource, type ResourceComparison } from "./compare.js";
export { dependencyWait, notReadyBecause } from "./dependencies.js";
export { type DesiredState, DesiredStateError, kubeVersionOf, loadDesiredState } from "./desired-state.js";
export { compareHistory, type HistoryComparison } from "./history-compare.js";
export { pickEntries } from "./history-diff.js";
export { ownershipConflicts } from "./inventory.js";
export type { ResourceManifestStatus, ResourceManifests } from "./manifest-view.js";
export { httpUrlProblem } from "./notifications/request.js";
export {
  type AgentObserver,
  type AppRef,
  type DriftCorrectedEvent,
  type GitFetchedEvent,
  type GitFetchFailure,
  guardedObserver,
  NO_OBSERVER,
  type NotifiedEvent,
  type ReconciledEvent,
  type ReconcileOutcome,
  type RenderedEvent,
  type SyncedEvent,
} from "./observer.js";
export { type PlanOptions, planChange, sameRepository } from "./plan.js";
export {
  type AppPlan,
  type AppPlanStatus,
  buildPlanReport,
  EXIT_CHANGES,
  type PlanReport,
  planJson,
  planMarkdown,
} from "./plan-report.js";
export { appNamespaceRule, objectDenial, type PolicyContext } from "./project-policy.js";
export { appKeyString, type Logger, parseAppKey, Reconciler, type ReconcilerDeps } from "./reconciler.js";
export { type ListedResource, listAppResources } from "./resource-list.js";
export { appResourceManifests } from "./resource-manifests.js";
export type { ResourceTree, TreeNode } from "./resource-tree.js";
export { type AppTree, readAppTree } from "./resource-tree-io.js";
export { credentialsFromSecret, readSecretData, sopsDecryptorFor } from "./source-credentials.js";
export { MIN_INTERVAL_MS, namespaceProblem, specProblems } from "./spec-check.js";
export { aggregateHealth, appendHistory, setCondition } from "./status.js";
export type { SyncRequestOptions } from "./sync-decision.js";
export { chooseResource, syncRequestAnnotations } from "./sync-request.js";
export { WorkQueue } from "./work-queue.js";
