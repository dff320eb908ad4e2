// syncPolicy.autoRollback: a sync that fails its health gate is taken back to the last revision that was
// Healthy, and its revision quarantined until Git moves past it (or `bosun app unquarantine`). Pure.
import {
  ANNOTATIONS,
  type Application,
  type ApplicationStatus,
  type HistoryEntry,
  type QuarantinedRevision,
  shortRevision,
} from "../api/index.js";

/** How an automatic rollback's operation and history entry name who started it. */
export const AUTO_ROLLBACK = "auto-rollback";

/** Quarantined revisions kept in status. */
export const MAX_QUARANTINED = 10;

export interface AutoRollback {
  /** The revision that failed its health gate. */
  bad: string;
  /** The history entry to go back to. */
  target: HistoryEntry;
  /** How the sync failed its health gate. */
  reason: string;
}

export function isQuarantined(status: ApplicationStatus, revision: string): boolean {
  return (status.quarantined ?? []).some((q) => q.revision === revision);
}

/**
 * How the last sync failed its health gate, or undefined when it did not (or it is not the Application's
 * latest word): its operation failed on health (an object Degraded, a wave not Healthy in time), or it
 * succeeded (the last wave is not waited for) and the Application turned Degraded, or stayed not Healthy
 * for the sync timeout, without having been Healthy at that revision since.
 */
function failedHealthGate(last: HistoryEntry, status: ApplicationStatus, now: number, timeoutMs: number) {
  const op = status.operation;
  if (last.result === "Failed")
    return op?.phase === "Failed" && op.healthGateFailed && op.revision === last.revision ? op.message : undefined;
  if (last.healthy || status.sync?.revision !== last.revision) return undefined;
  const health = status.health;
  if (health?.status === "Degraded") return `Degraded after the sync: ${health.message}`;
  if (health?.status !== "Healthy" && now - Date.parse(last.deployedAt) >= timeoutMs)
    return `not Healthy ${Math.round(timeoutMs / 1000)}s after the sync (${health?.status ?? "Unknown"}${health?.message ? `: ${health.message}` : ""})`;
  return undefined;
}

/**
 * Whether to roll back now, and where to: only an automated, unsuspended Application with autoRollback,
 * no operation running and no rollback by hand in force; never a rollback's own failure (automatic or by
 * hand), never twice for one revision; to the newest history entry that was Healthy at another revision
 * that is not quarantined. Undefined when there is nothing to do or nowhere to go.
 */
export function autoRollbackDecision(input: {
  app: Application;
  status: ApplicationStatus;
  now: number;
  timeoutMs: number;
}): AutoRollback | undefined {
  const { app, status } = input;
  const policy = app.spec.syncPolicy;
  if (!policy?.autoRollback || !policy.automated || policy.suspend || status.rollback) return undefined;
  if (status.operation?.phase === "Running") return undefined;
  const history = status.history ?? [];
  const last = history.at(-1);
  if (!last || last.initiatedBy.startsWith(AUTO_ROLLBACK) || last.initiatedBy.includes("(rollback to history"))
    return undefined;
  if (isQuarantined(status, last.revision)) return undefined;
  const reason = failedHealthGate(last, status, input.now, input.timeoutMs);
  if (reason === undefined) return undefined;
  const target = history.findLast(
    (e) => e.healthy && e.revision !== last.revision && !isQuarantined(status, e.revision),
  );
  return target ? { bad: last.revision, target, reason } : undefined;
}

/** The quarantine list with `bad` added (the oldest dropped beyond MAX_QUARANTINED). */
export function quarantine(
  list: readonly QuarantinedRevision[] | undefined,
  rollback: AutoRollback,
  at: string,
): QuarantinedRevision[] {
  const entry = { revision: rollback.bad, at, reason: rollback.reason, rolledBackTo: rollback.target.revision };
  return [...(list ?? []).filter((q) => q.revision !== rollback.bad), entry].slice(-MAX_QUARANTINED);
}

/** Who started the rollback, as its operation and history entry say. */
export function autoRollbackInitiator(rollback: AutoRollback): string {
  return `${AUTO_ROLLBACK} (${shortRevision(rollback.bad)} failed its health gate; back to history ${rollback.target.id})`;
}

/**
 * What lifting a quarantine asks of the Application (`bosun app unquarantine`, the API, the dashboard): the
 * annotations to set and the quarantined revisions the request names, or why it names none.
 */
export function unquarantineAnnotations(
  app: Application,
  revision: string,
  at: string,
): { annotations: Record<string, string>; lifts: string[] } | { reject: string } {
  const quarantined = app.status?.quarantined ?? [];
  const lifts = quarantined.filter((q) => q.revision.startsWith(revision)).map((q) => q.revision);
  if (revision.length < 4 || lifts.length === 0) {
    const known = quarantined.length
      ? ` (quarantined: ${quarantined.map((q) => shortRevision(q.revision)).join(", ")})`
      : "";
    const what =
      revision.length < 4 && lifts.length > 0
        ? `${revision} is too short a revision`
        : `${revision} is not quarantined`;
    return { reject: `${what} in ${app.metadata.name}${known}` };
  }
  return {
    annotations: {
      [ANNOTATIONS.unquarantine]: JSON.stringify({ revision, at }),
      [ANNOTATIONS.reconcileRequestedAt]: at,
    },
    lifts,
  };
}

/** A `bosun app unquarantine` request on the Application: the revision (or its prefix) and when it was asked. */
export function unquarantineRequest(app: Application): { revision: string; at: string } | undefined {
  const raw = app.metadata.annotations?.[ANNOTATIONS.unquarantine];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { revision?: unknown; at?: unknown };
    if (typeof parsed.revision !== "string" || parsed.revision.length < 4 || typeof parsed.at !== "string")
      return undefined;
    return { revision: parsed.revision, at: parsed.at };
  } catch {
    return undefined;
  }
}

/**
 * The quarantine list without what the request lifts (the revisions it names that were quarantined before
 * it was asked), and the revisions lifted.
 */
export function lifted(
  list: readonly QuarantinedRevision[],
  request: { revision: string; at: string },
): { kept: QuarantinedRevision[]; lifted: string[] } {
  const asked = Date.parse(request.at);
  const lifts = (q: QuarantinedRevision) => q.revision.startsWith(request.revision) && Date.parse(q.at) <= asked;
  return { kept: list.filter((q) => !lifts(q)), lifted: list.filter(lifts).map((q) => q.revision) };
}

/** The newest history entry marked Healthy (in place) once the Application is Healthy there. */
export function markHealthy(status: ApplicationStatus): void {
  const last = status.history?.at(-1);
  // The last synced revision (status.sync keeps it while OutOfSync): what is live is of that revision.
  if (
    last?.result === "Succeeded" &&
    !last.healthy &&
    status.sync?.revision === last.revision &&
    status.health?.status === "Healthy"
  )
    last.healthy = true;
}
