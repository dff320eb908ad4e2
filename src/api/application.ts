import type { NamespacedMeta } from "./object.js";
import type {
  ConditionType,
  HealthStatus,
  OperationPhase,
  ResourceSyncStatus,
  SyncPhase,
  SyncStatus,
} from "./vocabulary.js";

export const APPLICATION_API_VERSION = "bosun.dev/v1alpha1";
export const APPLICATION_KIND = "Application";
export const APPLICATION_PLURAL = "applications";
/** Where Applications live unless told otherwise. */
export const DEFAULT_APP_NAMESPACE = "bosun";

export interface ApplicationSource {
  /** A Git repository; with `chart`, a Helm repository (`https://…`) or an OCI registry (`oci://host/path`). */
  repoURL: string;
  /**
   * Git: branch, tag, full SHA, or a semver range over tags (default HEAD). A chart: a version or a semver
   * range (default the highest stable version).
   */
  revision?: string;
  /** The chart's name in the Helm repository or OCI registry that repoURL names. */
  chart?: string;
  /** Allow a plain http:// chart repository or registry (off by default). */
  insecure?: boolean;
  /**
   * In spec.sources: a name other sources use to take value files from this one's tree
   * (`helm.valueFiles: [$NAME/envs/prod/values.yaml]`, Argo CD's syntax). A source with a ref and no path
   * or chart is not rendered itself.
   */
  ref?: string;
  path?: string;
  directory?: { recurse?: boolean; include?: string; exclude?: string };
  kustomize?: {
    namePrefix?: string;
    nameSuffix?: string;
    namespace?: string;
    images?: string[];
    patches?: Array<{ patch?: string; path?: string; target?: Record<string, string> }>;
    commonLabels?: Record<string, string>;
    commonAnnotations?: Record<string, string>;
  };
  helm?: {
    releaseName?: string;
    valueFiles?: string[];
    values?: Record<string, unknown>;
    /**
     * Values from ConfigMaps and Secrets (labelled bosun.dev/secret-type: values) in the Application's
     * namespace, merged in order after the value files and before the inline values, as Flux's HelmRelease.
     */
    valuesFrom?: Array<{
      kind: "ConfigMap" | "Secret";
      name: string;
      valuesKey?: string;
      targetPath?: string;
      optional?: boolean;
    }>;
    skipCrds?: boolean;
  };
  decryption?: { provider: "sops"; secretRef: { name: string } };
  credentialsRef?: { name: string };
  /**
   * Flux's post-build variable substitution (`${VAR}` in the rendered objects of a plain or Kustomize
   * source): inline variables, over those of ConfigMaps and Secrets (labelled bosun.dev/secret-type: values)
   * in the Application's namespace, read in order.
   */
  postBuild?: {
    substitute?: Record<string, string>;
    substituteFrom?: Array<{ kind: "ConfigMap" | "Secret"; name: string; optional?: boolean }>;
  };
}

export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  managedFieldsManagers?: string[];
}

/** What the agent does about drift: take it back, only say so (OutOfSync), or accept it (Synced). */
export const DRIFT_ACTIONS = ["revert", "detect", "allow"] as const;
export type DriftAction = (typeof DRIFT_ACTIONS)[number];

/**
 * One rule of `spec.driftPolicy`: which drift it covers (every condition given must hold; none given covers
 * all) and what to do about it. The first rule that covers a changed field decides for it.
 */
export interface DriftPolicyRule {
  /** Globs over the field manager that made the change (`kube-controller-manager`, `kubectl-*`, `unknown`). */
  managers?: string[];
  /** The fields, as JSON pointers: a changed field at or under one of them is covered. */
  jsonPointers?: string[];
  /** `Kind` or `group/Kind` globs (`Deployment`, `apps/*`). */
  kinds?: string[];
  action: DriftAction;
}

/** A destination's server URL as clusters are known by it (no trailing slash), or undefined when it names none. */
export function destinationServer(dest: { server?: string } | undefined): string | undefined {
  return dest?.server?.trim().replace(/\/+$/, "") || undefined;
}

export interface ApplicationDestination {
  namespace?: string;
  /** The cluster's API server URL; `https://kubernetes.default.svc` (or absent) is the agent's own cluster. */
  server?: string;
  /** The cluster's name; `in-cluster` is the agent's own cluster. */
  name?: string;
}

/**
 * A health check in CEL for one kind, in the shape of Flux's `healthCheckExprs`: each expression sees the live
 * object as `self` (and, as in Flux, its top-level fields by name) and returns a boolean.
 */
export interface HealthCheck {
  /** The kind's API version; only its group counts, as for the built-in rules. */
  apiVersion: string;
  kind: string;
  /** True when the object reached the state it should be in: Healthy. */
  current: string;
  /** True while the object is on its way there: Progressing. Evaluated first. */
  inProgress?: string;
  /** True when the object failed to get there: Degraded. Evaluated after inProgress, before current. */
  failed?: string;
}

export interface ApplicationSpec {
  /** The Project bounding what this Application may change; `default` when absent. */
  project?: string;
  /** The source; with `sources`, the first source that renders (filled in on read, see primarySource). */
  source: ApplicationSource;
  /** Several sources (Argo CD's multi-source Applications): their objects together, value files across them. */
  sources?: ApplicationSource[];
  destination: ApplicationDestination;
  syncPolicy?: {
    automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean };
    interval?: string;
    /** How long a wave may take to become healthy; default 5m. */
    timeout?: string;
    retry?: { limit?: number; backoff?: { duration?: string; factor?: number; maxDuration?: string } };
    syncOptions?: string[];
    suspend?: boolean;
    /**
     * A sync that fails its health gate (Degraded, or not Healthy within the timeout) is rolled back to the
     * last history entry that was Healthy, and its revision quarantined: automated sync skips it until Git
     * moves past it.
     */
    autoRollback?: boolean;
  };
  ignoreDifferences?: IgnoreDifference[];
  /** What to do about drift, per manager, field and kind; by default self-heal reverts it, or it is only detected. */
  driftPolicy?: DriftPolicyRule[];
  /** Health checks in CEL for kinds the built-in rules do not judge well; one per kind, overriding its built-in rule. */
  healthChecks?: HealthCheck[];
  /** Applications that must be Synced and Healthy at their current revision before this one syncs. */
  dependsOn?: ApplicationDependency[];
}

/** An Application this one depends on: by name, in this Application's namespace unless another is given. */
export interface ApplicationDependency {
  name: string;
  namespace?: string;
}

export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: ResourceSyncStatus;
  health?: HealthStatus;
  healthMessage?: string;
  wave: number;
  hook?: SyncPhase;
  /** Why the last write or dry run of this object failed (the API server's message: RBAC, admission, schema). */
  message?: string;
  /** Fields another manager changed that driftPolicy allows: live differs from Git there, and stays so. */
  allowedDrift?: string;
}

/** A rendered object the Application's project or another Application's ownership does not allow. */
export interface DeniedResource {
  /** `describeRef` of the object. */
  resource: string;
  /** The rule that denied it, in words. */
  rule: string;
}

/** An object that existed without an owner and that a sync took over. */
export interface AdoptedResource {
  resource: string;
  revision: string;
  at: string;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  initiatedBy: string;
  result: "Succeeded" | "Failed";
  message?: string;
  /** The Application was Healthy at this revision after this sync: a target for an automatic rollback. */
  healthy?: boolean;
}

/** A revision an automatic rollback took back: automated sync skips it until Git moves past it. */
export interface QuarantinedRevision {
  revision: string;
  /** When it was quarantined. */
  at: string;
  /** Why: how the sync failed its health gate. */
  reason: string;
  /** The revision the Application was rolled back to. */
  rolledBackTo: string;
}

/** One drifted field with its value before and after: what Git (bosun) set, and what the other manager wrote. */
export interface DriftChange {
  /** JSON pointer into the object, as in `fields`. */
  path: string;
  /** The value bosun applied from Git, on one line and cut to ~120 characters; absent when Git does not set it. */
  from?: string;
  /** The live value the other manager wrote, rendered the same way; absent when it removed the field. */
  to?: string;
}

export interface DriftRecord {
  resource: string;
  fields: string[];
  /**
   * The values of the first fields (bounded; `fields` lists them all). A Secret's values are the diff's
   * placeholders (`<secret: live value>`…), never the values. Absent in records of older versions.
   */
  changes?: DriftChange[];
  manager: string;
  operation?: string;
  at: string;
  corrected: boolean;
  /** What the agent did about it: reverted, only detected, or allowed (absent in records of older versions). */
  action?: DriftAction;
  /** The index in spec.driftPolicy of the rule that decided; absent when the default decided. */
  rule?: number;
}

export interface Condition {
  type: ConditionType;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface OperationState {
  phase: OperationPhase;
  /** The revision being synced. */
  revision: string;
  initiatedBy: string;
  /** Index of the step in the sync plan, and whether it was applied (for resuming after a restart). */
  step: number;
  stepApplied: boolean;
  stepAppliedAt?: string;
  syncPhase?: SyncPhase;
  wave?: number;
  message: string;
  startedAt: string;
  finishedAt?: string;
  retries?: number;
  /** The objects a failed step could not write, with the API server's answer (bounded). */
  failures?: Array<{ resource: string; message: string }>;
  /** The names the server gave the hooks this operation created from metadata.generateName, by hook id. */
  hooks?: Record<string, string>;
  /** A sync asked for by hand with --prune: extraneous objects are deleted even without automated prune. */
  prune?: boolean;
  /** A dry run: every object checked by a server-side dry run, nothing changed, no history entry. */
  dryRun?: boolean;
  /** A selective sync: only these objects (inventory ids, `group/kind/namespace/name`) are applied; no hooks. */
  resources?: string[];
  /** The sync failed its health gate (an object Degraded, or not Healthy in time), not a write. */
  healthGateFailed?: boolean;
}

export interface SyncWindowStatus {
  /** Open: automated syncs may start; Closed: a window blocks them. */
  state: "Open" | "Closed";
  /** Whether a sync asked for by hand may start now. */
  manualSync: boolean;
  /** Why syncs are blocked; empty when open. */
  message: string;
  /** When the state next changes (within a week), ISO 8601. */
  nextChange?: string;
  /** The `bosun app sync` request (its reconcile-requested-at) the window refused, so the CLI can say so. */
  refusedRequest?: string;
}

/** A sync that failed for real (a dry run that found a refusal changed nothing and is not retried). */
export function syncFailed(op: OperationState | undefined): boolean {
  return op?.phase === "Failed" && !op.dryRun;
}

/** Counts over every resource, also those a large Application's status does not list one by one. */
export interface ResourceSummary {
  total: number;
  /** How many `resources` lists. */
  shown: number;
  /** Every resource left out of the list was Synced and Healthy. */
  omittedSynced: boolean;
  /** By sync status (Synced, OutOfSync, Missing, Extraneous). */
  sync: Record<string, number>;
  /** By health status. */
  health: Record<string, number>;
}

export interface ReconciledBy {
  replica: string;
  shard?: number;
}

export interface ApplicationStatus {
  observedGeneration?: number;
  sync?: { status: SyncStatus; revision?: string; message?: string };
  health?: { status: HealthStatus; message: string };
  operation?: OperationState;
  /** Per resource; bounded: beyond MAX_RESOURCES_IN_STATUS only those not Synced and Healthy (see summary). */
  resources?: ResourceStatus[];
  summary?: ResourceSummary;
  inventory?: string[];
  history?: HistoryEntry[];
  /** Revisions automatic rollbacks took back (bounded, newest last). */
  quarantined?: QuarantinedRevision[];
  drift?: DriftRecord[];
  conditions?: Condition[];
  /** Set when the last render holds objects the project or ownership forbids; nothing was applied. */
  denied?: DeniedResource[];
  /** Untracked objects a sync took over (bounded, newest last). */
  adopted?: AdoptedResource[];
  /** Set while the Application is rolled back (`bosun app rollback`): automated sync stays off until `bosun app resume`. */
  rollback?: { revision: string; historyId: number; at: string };
  /** The project's sync windows that apply to this Application, and what they allow now. */
  syncWindow?: SyncWindowStatus;
  /** The last `bosun.dev/reconcile-requested-at` value acted on (a manual sync request). */
  handledSyncRequest?: string;
  reconciledAt?: string;
  /** The replica (and, with sharding, the shard) whose pass wrote this status: with several agent replicas. */
  reconciledBy?: ReconciledBy;
  sourceRevision?: { sha: string; message: string; author: string; time: string };
}

export interface Application {
  apiVersion: typeof APPLICATION_API_VERSION;
  kind: typeof APPLICATION_KIND;
  metadata: NamespacedMeta;
  spec: ApplicationSpec;
  status?: ApplicationStatus;
}
