// Closed vocabularies shared by every module. They appear in Application.status and in users' tooling,
// so a value here is a contract: add, never rename.

export const HEALTH_STATUSES = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface Health {
  status: HealthStatus;
  message: string;
}

export const SYNC_STATUSES = ["Synced", "OutOfSync", "Unknown"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Per-object comparison result. */
export const RESOURCE_SYNC_STATUSES = ["Synced", "OutOfSync", "Missing", "Extraneous"] as const;
export type ResourceSyncStatus = (typeof RESOURCE_SYNC_STATUSES)[number];

export const OPERATION_PHASES = ["Running", "Succeeded", "Failed", "Error"] as const;
export type OperationPhase = (typeof OPERATION_PHASES)[number];

export const SYNC_PHASES = ["PreSync", "Sync", "PostSync", "SyncFail"] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** What one write did to one object. */
export const APPLY_ACTIONS = ["created", "configured", "unchanged", "deleted", "skipped"] as const;
export type ApplyAction = (typeof APPLY_ACTIONS)[number];

export const CONDITION_TYPES = ["Ready", "Reconciling", "Stalled"] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/**
 * Why an Application is not Ready (the Ready condition's reason when False). The first seven are failures
 * before anything was applied; ReconcileError is a reconcile that threw; the rest come from the comparison
 * and the sync.
 */
export const READY_REASONS = [
  "SourceFailed",
  "RenderFailed",
  "InvalidManifests",
  "InvalidSpec",
  "ProjectNotFound",
  "UnknownCluster",
  "NotPermitted",
  "ClusterUnreachable",
  "DependencyCycle",
  "ReconcileError",
  "WaitingForDependencies",
  "Progressing",
  "SyncFailed",
  "SourceUnreachable",
  "EmptyRender",
  "Quarantined",
  "OutOfSync",
  "Succeeded",
] as const;
export type ReadyReason = (typeof READY_REASONS)[number];

/** Reasons of the Reconciling condition. */
export const RECONCILING_REASONS = ["Progressing", "RetryScheduled", "RetryingAfterError", "Idle"] as const;
export type ReconcilingReason = (typeof RECONCILING_REASONS)[number];

/** Reasons of the Events bosun records on an Application, as `kubectl describe` and `get events` show them. */
export const EVENT_REASONS = [
  "SyncStarted",
  "Synced",
  "SyncFailed",
  "HealthDegraded",
  "RolledBack",
  "Unquarantined",
  "DryRunSucceeded",
  "DryRunFailed",
  "SyncBlocked",
  "Pruned",
  "DriftDetected",
  "DriftAllowed",
  "Adopted",
  "SyncDenied",
  "ResourcesKept",
  "StatusWriteFailed",
  "SourceFailed",
  "RenderFailed",
  "InvalidManifests",
  "InvalidSpec",
  "ProjectNotFound",
  "UnknownCluster",
  "ClusterUnreachable",
  "DependencyCycle",
  "SyncRequested",
  "RollbackRequested",
  "SuspendRequested",
  "ResumeRequested",
  "RefreshRequested",
  "UnquarantineRequested",
  "Created",
  "Updated",
] as const;
export type EventReason = (typeof EVENT_REASONS)[number];
