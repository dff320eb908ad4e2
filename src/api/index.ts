export {
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  APPLICATION_PLURAL,
  type Application,
  type ApplicationSource,
  type ApplicationSpec,
  type ApplicationStatus,
  type Condition,
  DEFAULT_APP_NAMESPACE,
  type DriftRecord,
  type HistoryEntry,
  type IgnoreDifference,
  type OperationState,
  type ResourceStatus,
} from "./application.js";
export { applicationCrd, installManifests } from "./crds.js";
export { inventoryId, type ParsedTrackingId, parseInventoryId, parseTrackingId, trackingId } from "./identity.js";
export { ANNOTATIONS, ARGOCD_ANNOTATIONS, CASCADE_FINALIZER, FIELD_MANAGER, GROUP } from "./names.js";
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
  APPLY_ACTIONS,
  type ApplyAction,
  CONDITION_TYPES,
  type ConditionType,
  HEALTH_STATUSES,
  type Health,
  type HealthStatus,
  OPERATION_PHASES,
  type OperationPhase,
  RESOURCE_SYNC_STATUSES,
  type ResourceSyncStatus,
  SYNC_PHASES,
  SYNC_STATUSES,
  type SyncPhase,
  type SyncStatus,
} from "./vocabulary.js";
