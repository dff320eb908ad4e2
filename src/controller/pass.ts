// One reconcile's view of its Application, and how a reconcile can end. Passed between the phases of
// reconciler.ts (observe → compare → decide → operate) and finalised by it in one place.

import {
  ANNOTATIONS,
  type AppKey,
  type Application,
  type ApplicationStatus,
  type EventReason,
  errorMessage,
  type Health,
  type KubeObject,
  type ObjectRef,
  type ReadyReason,
  type ReconciledBy,
} from "../api/index.js";
import type { ApplicationClient, EventRecorder, EventType, WatchCache } from "../cluster/index.js";
import { parseDuration } from "../source/index.js";
import type { SyncPlan } from "../sync/index.js";
import { appHealth } from "./app-health.js";
import type { ClusterCapabilities, Clusters } from "./clusters.js";
import type { ResourceComparison } from "./compare.js";
import type { DesiredState, DesiredStateDeps } from "./desired-state.js";
import type { AgentObserver, ReconcileOutcome } from "./observer.js";
import type { AppAccess, ProjectAccess } from "./project-access.js";
import type { Denial } from "./project-policy.js";
import type { RollbackTarget } from "./sync-decision.js";
import type { SyncWindowVerdict } from "./sync-windows.js";

export interface Logger {
  debug?(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface ReconcilerDeps {
  /** Applications, kept by a watch. */
  apps: WatchCache;
  /** Status writes and finalizer patches of Applications. */
  applications: ApplicationClient;
  /** How the desired state is read and rendered; the destination cluster's capabilities are added per pass. */
  desired: Omit<DesiredStateDeps, keyof ClusterCapabilities>;
  /** Whether a destination cluster answers (see Clusters). */
  clusters: Pick<Clusters, "ready" | "markUnreachable">;
  /** Each Application's project: what it may change, and the client its writes go through. */
  access: ProjectAccess;
  events: EventRecorder;
  log: Logger;
  now: () => number;
  /** Ask for this key to be reconciled again after ms. */
  requeue: (key: string, ms: number) => void;
  /** The key failed without throwing: retry it with the work queue's backoff, never later than capMs. */
  backOff: (key: string, capMs: number) => void;
  random?: () => number;
  /** Hears how each reconcile, sync and drift correction went (metrics); nothing by default. */
  observe?: AgentObserver;
  /** Hears each Event recorded on an Application (notifications); nothing by default. */
  notices?: AppNoticeSink;
  /** Which replica (and shard) reconciles key, recorded in its status; nothing with a single agent. */
  replicaOf?: (key: string) => ReconciledBy | undefined;
}

export const DEFAULT_INTERVAL_MS = 3 * 60_000;
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The failures before anything was applied, and the reconcile outcome (metrics) each one is. */
export const FAILURE_OUTCOMES = {
  SourceFailed: "source_failed",
  RenderFailed: "render_failed",
  InvalidManifests: "invalid",
  InvalidSpec: "invalid",
  ProjectNotFound: "denied",
  UnknownCluster: "denied",
  NotPermitted: "denied",
  ClusterUnreachable: "cluster_unreachable",
  DependencyCycle: "invalid",
} as const satisfies Partial<Record<ReadyReason, ReconcileOutcome>>;
export type FailureReason = keyof typeof FAILURE_OUTCOMES;

/** Failures that no retry heals: only a change in Git, the Application or its Project does (Stalled). */
export const STALLING: ReadonlySet<FailureReason> = new Set([
  "InvalidManifests",
  "InvalidSpec",
  "ProjectNotFound",
  "UnknownCluster",
  "NotPermitted",
  "DependencyCycle",
]);

export function durationOr(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  try {
    return parseDuration(value);
  } catch {
    return fallback;
  }
}

export interface PendingEvent {
  type: EventType;
  reason: EventReason;
  message: string;
  /** The commit it is about (a sync's, a drift's): what notifications name and set commit statuses on. */
  revision?: string;
}

/** An Event bosun recorded on an Application, as notifications hear of it (the message already masked). */
export interface AppNotice {
  app: Application;
  type: EventType;
  reason: EventReason;
  message: string;
  revision?: string;
  /** When it was recorded (ISO 8601). */
  at: string;
}

/** Hears every Event the reconciler records on an Application, once it is recorded; must not block. */
export interface AppNoticeSink {
  publish(notice: AppNotice): void;
}

export interface Pass {
  key: string;
  app: Application;
  /** The status being built; written once when the pass ends (and at each sync step while an operation runs). */
  status: ApplicationStatus;
  signal: AbortSignal;
  started: number;
  intervalMs: number;
  requestedAt?: string;
  manualRequest: boolean;
  rollback?: RollbackTarget;
  /** Set when a sync operation finished successfully in this pass. */
  completedSync?: boolean;
  /** Inventory ids of the objects that sync left as they are (drift only to be detected). */
  heldBack?: ReadonlySet<string>;
  /** An automated sync that waits for the Applications this one depends on: what it waits for. */
  waitingFor?: string;
  /** What the project's sync windows allow now (undefined: none applies). */
  syncWindow?: SyncWindowVerdict;
  /** The health of a live object of this Application (its spec.healthChecks compiled once per pass). */
  healthOf: (live: KubeObject | undefined) => Health;
  /**
   * Objects this pass wrote, as the API server returned them: the live state of one the watch has not
   * delivered yet (just created), so the status never calls it Missing.
   */
  written: Map<string, KubeObject>;
  /** Events of what this pass did: recorded once its status is written. */
  events: PendingEvent[];
  /** Observer calls about what this pass records (a sync result, drift corrected): made once it is written. */
  recorded: Array<(observer: AgentObserver) => void>;
}

/** What the comparison of desired and live found. */
export interface Analysis {
  desired: DesiredState;
  plan: SyncPlan;
  comparisons: ResourceComparison[];
  extraneous: ObjectRef[];
  /** Inventory ids of the desired resources. */
  managedIds: string[];
  emptyRender: boolean;
  sourceWarning?: string;
  /** What this pass saw besides the desired objects (see QuietPasses): the same again is a quiet pass. */
  fingerprint: string;
}

/** The source, the Application and every live object it deploys are as a settled pass last saw them. */
export interface Quiet {
  type: "quiet";
}

/** A failure before anything was applied: the cluster keeps its state, Ready says why. */
export interface Failure {
  type: "failure";
  reason: FailureReason;
  message: string;
  revision?: string;
  denials?: readonly Denial[];
}

/**
 * How a pass ended; reconciler.ts finalises the status from it. (A pass that throws, an API error or a
 * conflict, is finalised as an error and retried by the queue with backoff.)
 */
export type PassEnd =
  | Failure
  /** Compared (and synced when it should); look again after requeueMs (0: at once). */
  | { type: "reconciled"; analysis: Analysis; requeueMs: number; access: AppAccess }
  /** Nothing changed since a settled pass: nothing to compare, write or tell. */
  | Quiet;

export const isQuiet = (x: unknown): x is Quiet =>
  typeof x === "object" && x !== null && (x as Partial<Quiet>).type === "quiet";

export const isFailure = (x: unknown): x is Failure =>
  typeof x === "object" && x !== null && (x as Partial<Failure>).type === "failure";

export function failure(reason: FailureReason, err: unknown, revision?: string, denials?: readonly Denial[]): Failure {
  const message = errorMessage(err);
  return { type: "failure", reason, message, ...(revision ? { revision } : {}), ...(denials ? { denials } : {}) };
}

export function beginPass(key: string, app: Application, signal: AbortSignal, now: number): Pass {
  const status: ApplicationStatus = structuredClone(app.status ?? {});
  const requestedAt = app.metadata.annotations?.[ANNOTATIONS.reconcileRequestedAt];
  return {
    key,
    app,
    status,
    signal,
    started: now,
    intervalMs: durationOr(app.spec.syncPolicy?.interval, DEFAULT_INTERVAL_MS),
    requestedAt,
    manualRequest: requestedAt !== undefined && requestedAt !== status.handledSyncRequest,
    rollback: rollbackTarget(app, status),
    healthOf: appHealth(app),
    written: new Map(),
    events: [],
    recorded: [],
  };
}

function rollbackTarget(app: Application, status: ApplicationStatus): RollbackTarget | undefined {
  const raw = app.metadata.annotations?.[ANNOTATIONS.rollbackTo];
  if (!raw) return undefined;
  const entry = status.history?.find((h) => String(h.id) === raw.trim());
  if (!entry) return status.rollback;
  return { revision: entry.revision, historyId: entry.id };
}

/** An Application from the agent's watch, by key. */
export function appLookup(apps: WatchCache): (key: AppKey) => Application | undefined {
  return (key) =>
    apps.get({ group: "bosun.dev", kind: "Application", namespace: key.namespace, name: key.name }) as
      | Application
      | undefined;
}

/** The Application as an object: what a denial of the Application itself names. */
export function appObjectRef(app: Application): ObjectRef {
  return { group: "bosun.dev", kind: "Application", namespace: app.metadata.namespace, name: app.metadata.name };
}
