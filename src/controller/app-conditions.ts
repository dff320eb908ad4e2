import { type ApplicationStatus, type Condition, shortRevision, syncFailed } from "../api/index.js";
import { setCondition } from "./status.js";

export interface ConditionInputs {
  /** The render was empty and nothing was pruned. */
  emptyRender: boolean;
  /** The source could not be fetched and its last fetched state was used. */
  sourceWarning?: string;
  /** A failed sync will be retried by the retry policy, at this time: not Stalled. */
  retryAt?: string | undefined;
  /** An automated sync waits for the Applications this one depends on (spec.dependsOn): what it waits for. */
  waitingFor?: string | undefined;
  /** Git's revision is quarantined by an automatic rollback: why, and what runs instead. */
  quarantined?: string | undefined;
}

/** Why the Application is not Ready, most urgent first; undefined when it is Ready. */
function notReadyBecause(
  status: ApplicationStatus,
  inputs: ConditionInputs,
): [reason: string, message: string] | undefined {
  const op = status.operation;
  if (op?.phase === "Running") return ["Progressing", op.message];
  if (syncFailed(op)) return ["SyncFailed", op?.message ?? ""];
  if (inputs.waitingFor && status.sync?.status !== "Synced") return ["WaitingForDependencies", inputs.waitingFor];
  if (inputs.sourceWarning) return ["SourceUnreachable", inputs.sourceWarning];
  if (inputs.emptyRender) return ["EmptyRender", "the render produced no objects; nothing was pruned"];
  if (inputs.quarantined && status.sync?.status !== "Synced") return ["Quarantined", inputs.quarantined];
  if (status.sync?.status !== "Synced") return ["OutOfSync", status.sync?.message ?? "the cluster differs from Git"];
  if (status.health?.status !== "Healthy") return [status.health?.status ?? "Unknown", status.health?.message ?? ""];
  return undefined;
}

/** Ready / Reconciling / Stalled, as kstatus and Flux users read them. Pure. */
export function applicationConditions(status: ApplicationStatus, inputs: ConditionInputs, now: string): Condition[] {
  const op = status.operation;
  const running = op?.phase === "Running";
  const failed = syncFailed(op);
  // Stalled only when nothing but a change (in Git, the spec, a manual sync) will move it on.
  const stalled = failed && inputs.retryAt === undefined;
  const why = notReadyBecause(status, inputs);
  let conditions = setCondition(
    status.conditions,
    why
      ? { type: "Ready", status: "False", reason: why[0], message: why[1] }
      : {
          type: "Ready",
          status: "True",
          reason: "Succeeded",
          message: `synced to ${shortRevision(status.sync?.revision ?? "")} and healthy`,
        },
    now,
  );
  const retrying = failed && !stalled;
  conditions = setCondition(
    conditions,
    {
      type: "Reconciling",
      status: running || retrying ? "True" : "False",
      reason: running ? "Progressing" : retrying ? "RetryScheduled" : "Idle",
      message: running ? (op?.message ?? "") : retrying ? `the failed sync is retried at ${inputs.retryAt}` : "",
    },
    now,
  );
  return setCondition(
    conditions,
    {
      type: "Stalled",
      status: stalled ? "True" : "False",
      reason: stalled ? "SyncFailed" : "",
      message: stalled ? (op?.message ?? "") : "",
    },
    now,
  );
}
