export {
  type ApplicationOptions,
  buildApplication,
  type ChartRepoSourceOptions,
  chartSource,
  type GitPathSourceOptions,
  gitSource,
} from "./app-builder.js";
export {
  type AdoptedResource,
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  APPLICATION_PLURAL,
  type Application,
  type ApplicationDependency,
  type ApplicationDestination,
  type ApplicationSource,
  type ApplicationSpec,
  type ApplicationStatus,
  type Condition,
  DEFAULT_APP_NAMESPACE,
  type DeniedResource,
  type DriftRecord,
  destinationServer,
  type HealthCheck,
  type HistoryEntry,
  type IgnoreDifference,
  type OperationState,
  type ReconciledBy,
  type ResourceStatus,
  type ResourceSummary,
  type SyncWindowStatus,
  syncFailed,
} from "./application.js";
export {
  APPLICATION_SET_API_VERSION,
  APPLICATION_SET_KIND,
  APPLICATION_SET_PLURAL,
  type ApplicationSet,
  type ApplicationSetSpec,
  type ApplicationSetStatus,
  type ClusterGenerator,
  type Generator,
  type GitGenerator,
  type LabelSelector,
  type ListGenerator,
} from "./application-set.js";
export { applicationCrd, applicationSetCrd, installManifests, installNames, projectCrd } from "./crds.js";
export { errorMessage } from "./errors.js";
export {
  type AppKey,
  appKeyOf,
  inventoryId,
  type ParsedTrackingId,
  parseInventoryId,
  parseTrackingId,
  trackedBy,
  trackingId,
} from "./identity.js";
export { canonicalJson, cloneJson, isRecord, type JsonRecord, jsonEqual, recordAt } from "./json.js";
export { kindRank, orderForApply, orderForDelete } from "./kind-order.js";
export {
  ANNOTATIONS,
  ARGOCD_ANNOTATIONS,
  CASCADE_FINALIZER,
  FIELD_MANAGER,
  GROUP,
  HELM_ANNOTATIONS,
  IN_CLUSTER,
  LABELS,
  SECRET_TYPES,
} from "./names.js";
export {
  describeRef,
  groupOf,
  type KubeObject,
  type ManagedFieldsEntry,
  type ObjectMeta,
  type ObjectRef,
  refOf,
} from "./object.js";
export {
  DEFAULT_PROJECT,
  defaultProject,
  type GroupKind,
  PROJECT_API_VERSION,
  PROJECT_KIND,
  PROJECT_PLURAL,
  type Project,
  type ProjectDestination,
  type ProjectSpec,
  type SyncWindow,
} from "./project.js";
export { shortRevision } from "./revision.js";
export { SharedRuns } from "./shared-runs.js";
export { applicationSources, rendersObjects, withPrimarySource } from "./sources.js";
export {
  APPLY_ACTIONS,
  type ApplyAction,
  CONDITION_TYPES,
  type ConditionType,
  EVENT_REASONS,
  type EventReason,
  HEALTH_STATUSES,
  type Health,
  type HealthStatus,
  OPERATION_PHASES,
  type OperationPhase,
  READY_REASONS,
  RECONCILING_REASONS,
  RESOURCE_SYNC_STATUSES,
  type ReadyReason,
  type ReconcilingReason,
  type ResourceSyncStatus,
  SYNC_PHASES,
  SYNC_STATUSES,
  type SyncPhase,
  type SyncStatus,
} from "./vocabulary.js";
