// The agent's log, read for metrics: the reconciler logs one line per reconcile, and that line carries
// what the reconcile metrics need. A Logger that passes every line on and counts those.
import type { Logger } from "../controller/index.js";
import type { BosunMetrics, ReconcileOutcome } from "./metrics.js";

/** Messages of the reconciler and the agent's queue (src/controller) that end a reconcile. */
const RECONCILED = "reconciled";
const FAILED_BEFORE_APPLY = "reconcile failed; the cluster keeps its last state";
const FAILED_WITH_ERROR = "reconcile failed; retrying with backoff";

const FAILURE_REASONS: Record<string, ReconcileOutcome> = {
  SourceFailed: "source_failed",
  RenderFailed: "render_failed",
  InvalidManifests: "invalid",
};

/** What a log line says about a finished reconcile, if it is one of those lines. */
export function reconcileOutcome(
  obj: Record<string, unknown>,
  msg: string,
): { outcome: ReconcileOutcome; durationMs?: number } | undefined {
  if (msg === RECONCILED)
    return { outcome: "success", durationMs: typeof obj.durationMs === "number" ? obj.durationMs : undefined };
  if (msg === FAILED_BEFORE_APPLY) return { outcome: FAILURE_REASONS[String(obj.reason)] ?? "error" };
  if (msg === FAILED_WITH_ERROR) return { outcome: "error" };
  return undefined;
}

/** A Logger for startAgent that also feeds the reconcile metrics. */
export function metricsLogger(log: Logger, metrics: BosunMetrics): Logger {
  const observe = (obj: Record<string, unknown>, msg: string) => {
    const seen = reconcileOutcome(obj, msg);
    if (seen) metrics.observeReconcile(seen.outcome, seen.durationMs);
  };
  return {
    debug: (obj, msg) => log.debug?.(obj, msg),
    info: (obj, msg) => {
      observe(obj, msg);
      log.info(obj, msg);
    },
    warn: (obj, msg) => {
      observe(obj, msg);
      log.warn(obj, msg);
    },
    error: (obj, msg) => {
      observe(obj, msg);
      log.error(obj, msg);
    },
  };
}
