// batch/Job. Terminal conditions first: Complete, Failed, and FailureTarget (the Job controller has decided
// the Job fails and is terminating its pods before it writes Failed). SuccessCriteriaMet before Complete
// likewise means "succeeded, pods still terminating"; that stays Progressing until Complete, the documented
// end of a successful Job, so that what waits for the Job never runs beside its last pods.
import type { Health, KubeObject } from "../../api/index.js";
import { bool, conditionsOf, findCondition, num } from "../fields.js";
import { degraded, healthy, type KindRule, progressing, suspended } from "../rule.js";
import { describeCondition } from "../text.js";

function podCounts(obj: KubeObject): string {
  const active = num(obj, "status", "active") ?? 0;
  const succeeded = num(obj, "status", "succeeded") ?? 0;
  const failed = num(obj, "status", "failed") ?? 0;
  const completions = num(obj, "spec", "completions");
  const of = completions === undefined ? "" : ` of ${completions}`;
  return `${active} active, ${succeeded}${of} succeeded, ${failed} failed`;
}

export function jobHealth(obj: KubeObject): Health {
  const conditions = conditionsOf(obj);
  const complete = findCondition(conditions, "Complete");
  if (complete?.status === "True") return healthy(`Job completed: ${describeCondition(complete, podCounts(obj))}`);
  const failed = findCondition(conditions, "Failed");
  if (failed?.status === "True") return degraded(`Job failed: ${describeCondition(failed, podCounts(obj))}`);
  const failing = findCondition(conditions, "FailureTarget");
  if (failing?.status === "True")
    return degraded(`Job failed (its pods are terminating): ${describeCondition(failing, podCounts(obj))}`);
  if (bool(obj, "spec", "suspend") === true) return suspended(`Job is suspended (${podCounts(obj)})`);
  if (findCondition(conditions, "SuccessCriteriaMet")?.status === "True")
    return progressing(`Job succeeded; waiting for its pods to terminate (${podCounts(obj)})`);
  return progressing(`Job is running: ${podCounts(obj)}`);
}

export const jobRule: KindRule = { group: "batch", kind: "Job", tracksGeneration: false, check: jobHealth };
