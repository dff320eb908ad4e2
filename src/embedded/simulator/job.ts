// The Job controller (NonIndexed completion): up to `parallelism` pods at a time until `completions`
// have succeeded, then SuccessCriteriaMet and Complete (as Kubernetes 1.31+ writes them); failed pods are
// replaced after a back-off until `backoffLimit` is passed (restartPolicy Never counts failed pods,
// OnFailure counts container restarts), then FailureTarget and Failed with BackoffLimitExceeded;
// activeDeadlineSeconds, suspend and ttlSecondsAfterFinished are honoured. Indexed completion,
// podFailurePolicy, successPolicy and pod tracking finalizers are not simulated.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { conditionList, findCondition, type NewCondition, setCondition } from "./conditions.js";
import { arr, bool, num, str, timeOf } from "./fields.js";
import { isPodReady } from "./kubelet.js";
import { crashLoopBackOff, type SimulatorSettings } from "./options.js";
import { podFromTemplate } from "./pod-factory.js";
import { isActive, podsToDelete } from "./pod-sets.js";

export interface JobInput {
  job: KubeObject;
  /** The pods it controls. */
  pods: readonly KubeObject[];
  /** Milliseconds since the epoch, and the same as a timestamp. */
  now: number;
  nowStamp: string;
  settings: SimulatorSettings;
}

export interface JobPlan {
  create: KubeObject[];
  delete: KubeObject[];
  status: JsonRecord;
  /** The Job's ttlSecondsAfterFinished has passed. */
  deleteJob: boolean;
  wakeAt?: number;
}

function isTrue(conditions: readonly JsonRecord[], type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}

function jobPod(job: KubeObject): KubeObject {
  const name = job.metadata.name ?? "";
  const uid = job.metadata.uid ?? "";
  return podFromTemplate({
    owner: job,
    template: job.spec && (job.spec as JsonRecord).template,
    generateName: `${name}-`,
    labels: {
      "batch.kubernetes.io/controller-uid": uid,
      "batch.kubernetes.io/job-name": name,
      "controller-uid": uid,
      "job-name": name,
    },
  });
}

function restartsOf(pods: readonly KubeObject[]): number {
  let n = 0;
  for (const pod of pods) {
    const phase = str(pod, "status", "phase");
    if (phase !== "Running" && phase !== "Pending") continue;
    for (const field of ["initContainerStatuses", "containerStatuses"])
      for (const s of arr(pod, "status", field)) n += num(s, "restartCount") ?? 0;
  }
  return n;
}

function lastFailureAt(pods: readonly KubeObject[]): number {
  let last = 0;
  for (const pod of pods) {
    if (str(pod, "status", "phase") !== "Failed") continue;
    for (const s of arr(pod, "status", "containerStatuses"))
      last = Math.max(last, timeOf(str(s, "state", "terminated", "finishedAt")) ?? 0);
  }
  return last;
}

interface Counts {
  succeeded: number;
  failed: number;
  active: KubeObject[];
}

function countsOf(input: JobInput): Counts {
  const { job, pods } = input;
  const phase = (p: KubeObject) => str(p, "status", "phase");
  return {
    succeeded: Math.max(num(job, "status", "succeeded") ?? 0, pods.filter((p) => phase(p) === "Succeeded").length),
    failed: Math.max(num(job, "status", "failed") ?? 0, pods.filter((p) => phase(p) === "Failed").length),
    active: pods.filter(isActive),
  };
}

/** Why the Job fails now, if it does. */
function failure(input: JobInput, counts: Counts, startTime: string | undefined): NewCondition | undefined {
  const { job } = input;
  const backoffLimit = num(job, "spec", "backoffLimit") ?? 6;
  const restartPolicy = str(job, "spec", "template", "spec", "restartPolicy");
  const restarts = restartsOf(counts.active);
  const onFailureExceeded =
    restartPolicy === "OnFailure" && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
  if (counts.failed > backoffLimit || onFailureExceeded)
    return {
      type: "Failed",
      status: "True",
      reason: "BackoffLimitExceeded",
      message: "Job has reached the specified backoff limit",
    };
  const deadline = num(job, "spec", "activeDeadlineSeconds");
  const started = timeOf(startTime);
  if (deadline !== undefined && started !== undefined && started + deadline * 1000 <= input.now)
    return {
      type: "Failed",
      status: "True",
      reason: "DeadlineExceeded",
      message: "Job was active longer than specified deadline",
    };
  return undefined;
}

function isComplete(job: KubeObject, counts: Counts): boolean {
  const completions = num(job, "spec", "completions");
  return completions !== undefined
    ? counts.succeeded >= completions
    : counts.succeeded > 0 && counts.active.length === 0;
}

/** When the next wake-up is due for the deadline, and for ttlSecondsAfterFinished. */
function deadlineWake(job: KubeObject, startTime: string | undefined): number | undefined {
  const deadline = num(job, "spec", "activeDeadlineSeconds");
  const started = timeOf(startTime);
  return deadline !== undefined && started !== undefined ? started + deadline * 1000 : undefined;
}

function finishedAt(job: KubeObject): number | undefined {
  const conditions = conditionList(job.status);
  const done = findCondition(conditions, "Complete") ?? findCondition(conditions, "Failed");
  return timeOf(str(job, "status", "completionTime")) ?? timeOf(str(done, "lastTransitionTime"));
}

function finishedPlan(input: JobInput, counts: Counts): JobPlan {
  const status = { ...(input.job.status as JsonRecord) };
  const plan: JobPlan = { create: [], delete: counts.active, status, deleteJob: false };
  const ttl = num(input.job, "spec", "ttlSecondsAfterFinished");
  const at = finishedAt(input.job);
  if (ttl === undefined || at === undefined) return plan;
  if (at + ttl * 1000 <= input.now) plan.deleteJob = true;
  else plan.wakeAt = at + ttl * 1000;
  return plan;
}

function statusOf(
  conditions: JsonRecord[],
  startTime: string | undefined,
  counts: Counts,
  active: readonly KubeObject[],
): JsonRecord {
  const status: JsonRecord = {};
  if (conditions.length > 0) status.conditions = conditions;
  if (startTime) status.startTime = startTime;
  if (active.length > 0) status.active = active.length;
  if (counts.succeeded > 0) status.succeeded = counts.succeeded;
  if (counts.failed > 0) status.failed = counts.failed;
  status.terminating = 0;
  status.uncountedTerminatedPods = {};
  status.ready = active.filter(isPodReady).length;
  return status;
}

/** How many more pods to run now, and when a back-off lets the next one start. */
function podsWanted(input: JobInput, counts: Counts): { create: number; wakeAt?: number } {
  const { job } = input;
  const parallelism = num(job, "spec", "parallelism") ?? 1;
  const completions = num(job, "spec", "completions");
  const remaining = completions !== undefined ? completions - counts.succeeded : counts.succeeded > 0 ? 0 : parallelism;
  const create = Math.min(parallelism, Math.max(0, remaining)) - counts.active.length;
  if (create <= 0 || counts.failed === 0) return { create };
  const due = lastFailureAt(input.pods) + crashLoopBackOff(input.settings, counts.failed);
  return due > input.now ? { create: 0, wakeAt: due } : { create };
}

export function planJob(input: JobInput): JobPlan {
  const { job, nowStamp } = input;
  let conditions = conditionList(job.status);
  const counts = countsOf(input);
  if (isTrue(conditions, "Complete") || isTrue(conditions, "Failed")) return finishedPlan(input, counts);
  const set = (c: NewCondition) => {
    conditions = setCondition(conditions, c, { now: nowStamp, withProbeTime: true });
  };
  const suspended = bool(job, "spec", "suspend") === true;
  const startTime = str(job, "status", "startTime") ?? (suspended ? undefined : nowStamp);
  const failed = failure(input, counts, startTime);
  const plan: JobPlan = { create: [], delete: [], status: {}, deleteJob: false };
  let active = counts.active;
  if (failed) {
    set({ ...failed, type: "FailureTarget" });
    set(failed);
    plan.delete = active;
    active = [];
  } else if (isComplete(job, counts)) {
    const done = {
      status: "True",
      reason: "CompletionsReached",
      message: "Reached expected number of succeeded pods",
    } as const;
    set({ type: "SuccessCriteriaMet", ...done });
    set({ type: "Complete", ...done });
    plan.delete = active;
    active = [];
  } else if (suspended) {
    set({ type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended" });
    plan.delete = active;
    active = [];
  } else {
    if (isTrue(conditions, "Suspended"))
      set({ type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed" });
    const wanted = podsWanted(input, counts);
    if (wanted.create > 0) plan.create = Array.from({ length: wanted.create }, () => jobPod(job));
    if (wanted.create < 0) plan.delete = podsToDelete(active, -wanted.create);
    active = [...active.filter((p) => !plan.delete.includes(p)), ...plan.create];
    const wakes = [wanted.wakeAt, deadlineWake(job, startTime)].filter((w): w is number => w !== undefined);
    if (wakes.length > 0) plan.wakeAt = Math.min(...wakes);
  }
  plan.status = statusOf(conditions, startTime, counts, active);
  if (isTrue(conditions, "Complete")) plan.status.completionTime = nowStamp;
  return plan;
}
