// What the agent tells whoever watches it (metrics, benchmarks) as it works: plain calls with plain data.
// The controller does not know who listens; server/ implements this for /metrics.
import { type AppKey, errorMessage } from "../api/index.js";
import type { FetchFailureReason } from "../source/index.js";

/** How one reconcile of an Application ended. */
export type ReconcileOutcome =
  /** Compared, and synced when it should have: the status is written. */
  | "success"
  /** The repository could not be fetched or the revision resolved. */
  | "source_failed"
  /** The tree could not be rendered (or decrypted). */
  | "render_failed"
  /** The rendered manifests could not be planned (invalid objects). */
  | "invalid"
  /** The project refused the Application or one of its objects, or does not exist; nothing was applied. */
  | "denied"
  /** The destination cluster could not be reached; nothing was applied or pruned there. */
  | "cluster_unreachable"
  /** The Application changed while it was reconciled; it is reconciled again at once. */
  | "conflict"
  /** Any other failure (the API server, a sync step that threw); retried with backoff. */
  | "error";

/** The Application an event is about. */
export type AppRef = AppKey;

/** Why a fetch failed: the source module's reasons, or a URL or revision refused before any fetch. */
export type GitFetchFailure = FetchFailureReason | "invalid";

export interface ReconciledEvent {
  app: AppRef;
  outcome: ReconcileOutcome;
  durationMs: number;
}

export interface SyncedEvent {
  app: AppRef;
  result: "Succeeded" | "Failed";
  revision: string;
}

export interface DriftCorrectedEvent {
  app: AppRef;
  /** `describeRef` of the drifted object. */
  resource: string;
}

export interface GitFetchedEvent {
  app: AppRef;
  /** The repository URL without credentials (user information stripped). */
  repo: string;
  durationMs: number;
  /** Set when the fetch failed, also when the last fetched state answered instead. */
  error?: GitFetchFailure;
}

export interface RenderedEvent {
  app: AppRef;
  /** directory, kustomize or helm. */
  tool: string;
  durationMs: number;
  /** The render cache answered; no tool ran. */
  fromCache: boolean;
}

export interface NotifiedEvent {
  /** The Notifier's name (in the agent's namespace). */
  notifier: string;
  /** Its spec.type: webhook, slack, github, gitlab, gitea. */
  type: string;
  /** How the delivery ended: made, given up after its retries, or cut short by a stop (not sent again). */
  result: "delivered" | "failed" | "interrupted";
}

/** Told as the agent works; every call is made after the fact, with plain data. */
export interface AgentObserver {
  /** A reconcile ended (not when the agent is stopping). */
  reconciled(event: ReconciledEvent): void;
  /** A sync operation finished, once its result is written to status. */
  synced(event: SyncedEvent): void;
  /** Drift that self-heal takes back was recorded (one call per drift record). */
  driftCorrected(event: DriftCorrectedEvent): void;
  /** A resolve that was allowed to fetch from the remote ended. */
  gitFetched(event: GitFetchedEvent): void;
  /** The desired state was rendered. */
  rendered(event: RenderedEvent): void;
  /** A notification's delivery to one Notifier ended. */
  notified?(event: NotifiedEvent): void;
}

/** An observer that hears nothing. */
export const NO_OBSERVER: AgentObserver = {
  reconciled: () => undefined,
  synced: () => undefined,
  driftCorrected: () => undefined,
  gitFetched: () => undefined,
  rendered: () => undefined,
  notified: () => undefined,
};

/** `observer`, where a call that throws is logged and forgotten: watching the agent never stops it. */
export function guardedObserver(
  observer: AgentObserver | undefined,
  log: { warn(obj: Record<string, unknown>, msg: string): void },
): AgentObserver {
  if (!observer) return NO_OBSERVER;
  const safely = (name: keyof AgentObserver, call: () => void): void => {
    try {
      call();
    } catch (err) {
      log.warn({ observer: name, error: errorMessage(err) }, "an observer failed");
    }
  };
  return {
    reconciled: (e) => safely("reconciled", () => observer.reconciled(e)),
    synced: (e) => safely("synced", () => observer.synced(e)),
    driftCorrected: (e) => safely("driftCorrected", () => observer.driftCorrected(e)),
    gitFetched: (e) => safely("gitFetched", () => observer.gitFetched(e)),
    rendered: (e) => safely("rendered", () => observer.rendered(e)),
    notified: (e) => safely("notified", () => observer.notified?.(e)),
  };
}
