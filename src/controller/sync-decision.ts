import { type Application, type ApplicationStatus, type OperationState, syncFailed } from "../api/index.js";

export interface RollbackTarget {
  revision: string;
  historyId: number;
}

/** What a sync asked for by hand may ask besides a revision (`bosun app sync --prune --dry-run --resource`). */
export interface SyncRequestOptions {
  prune?: boolean;
  dryRun?: boolean;
  /** Inventory ids of the only objects to sync. */
  resources?: string[];
}

export interface SyncDecisionInput {
  app: Application;
  status: ApplicationStatus;
  /** The commit the source resolves to now. */
  revision: string;
  /** Some resource differs from Git (or an extraneous object waits to be pruned). */
  outOfSync: boolean;
  /**
   * Some difference is to be taken back though Git did not move (self-heal, or a driftPolicy rule that
   * reverts). Default: outOfSync when self-heal is on.
   */
  heal?: boolean;
  /** A `bosun app sync` request not yet acted on. */
  manualRequest: boolean;
  /** Who asked for the sync or rollback (an API token's name), when the request says. */
  requestedBy?: string;
  /** Options of the manual request; ignored for automated syncs and rollbacks. */
  requestOptions?: SyncRequestOptions;
  rollback?: RollbackTarget;
  /** A failed sync of this revision may be retried now (retry policy and backoff allow it). */
  retryDue: boolean;
  /** An automatic rollback quarantined this revision: no automated sync of it. */
  quarantined?: boolean;
  now: string;
}

/**
 * Whether to start a sync operation, and with what. Pure. A manual request or a new rollback always
 * syncs; otherwise only automated Applications sync: when a retry of a failed sync is due (in sync or
 * not: a sync that failed on health applied everything already), when out of sync and Git moved, or when a
 * difference is to be healed. A failed sync of the same revision is not restarted by drift alone unless
 * it is to be healed.
 */
export function decideSyncStart(input: SyncDecisionInput): OperationState | undefined {
  const { app, status, revision, manualRequest, rollback } = input;
  const policy = app.spec.syncPolicy;
  const automated = Boolean(policy?.automated) && !policy?.suspend && !rollback && !input.quarantined;
  const heal = input.heal ?? (input.outOfSync && Boolean(policy?.automated?.selfHeal));
  const revisionChanged = status.sync?.revision !== revision;
  const rollbackNew = rollback !== undefined && status.rollback?.historyId !== rollback.historyId;
  const last = status.operation;
  const failedHere = syncFailed(last) && last?.revision === revision;

  // A retry is due whatever the comparison says: a sync that failed on health applied everything already.
  const automatic = automated && (failedHere ? input.retryDue || heal : (input.outOfSync && revisionChanged) || heal);
  if (!manualRequest && !rollbackNew && !automatic) return undefined;

  const who = input.requestedBy?.trim() || undefined;
  const asked = manualRequest ? requestedOperation(input.requestOptions) : {};
  const initiatedBy = manualRequest
    ? (who ?? "user (bosun app sync)")
    : rollbackNew
      ? `${who ?? "user"} (rollback to history ${rollback?.historyId})`
      : "automated";
  return {
    phase: "Running",
    revision,
    initiatedBy,
    step: 0,
    stepApplied: false,
    message: "starting",
    startedAt: input.now,
    retries: failedHere && !manualRequest && input.retryDue ? (last?.retries ?? 0) + 1 : 0,
    ...asked,
  };
}

function requestedOperation(options: SyncRequestOptions | undefined): Partial<OperationState> {
  const resources = [...new Set(options?.resources ?? [])].sort();
  return {
    ...(options?.prune ? { prune: true } : {}),
    ...(options?.dryRun ? { dryRun: true } : {}),
    ...(resources.length > 0 ? { resources } : {}),
  };
}

/** Delay before retry n+1 of a failed sync, or undefined when the retry policy is used up. */
export function retryDelayMs(
  app: Application,
  op: OperationState,
  parse: (d: string | undefined, fallback: number) => number,
): number | undefined {
  const retry = app.spec.syncPolicy?.retry;
  if (!retry || (op.retries ?? 0) >= (retry.limit ?? 0)) return undefined;
  const base = parse(retry.backoff?.duration, 5000);
  const max = parse(retry.backoff?.maxDuration, 180_000);
  return Math.min(max, base * (retry.backoff?.factor ?? 2) ** (op.retries ?? 0));
}

/** When the retry policy tries a failed sync of this revision again; undefined when it will not. */
export function retryAt(
  app: Application,
  op: OperationState | undefined,
  revision: string,
  parse: (d: string | undefined, fallback: number) => number,
): string | undefined {
  if (!syncFailed(op) || op?.revision !== revision) return undefined;
  const delay = retryDelayMs(app, op, parse);
  return delay === undefined ? undefined : new Date(Date.parse(op.finishedAt ?? op.startedAt) + delay).toISOString();
}
