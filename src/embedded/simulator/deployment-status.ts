// The Deployment controller's status: counts summed over its ReplicaSets, the Available condition, and
// the Progressing condition with the real reasons (NewReplicaSetCreated, FoundNewReplicaSet,
// ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused/Resumed). The
// progress deadline counts from Progressing's lastUpdateTime, which moves whenever the rollout advances.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { conditionList, findCondition, type NewCondition, setCondition } from "./conditions.js";
import { fenceposts } from "./deployment-rollout.js";
import { bool, num, str, timeOf } from "./fields.js";
import { desiredReplicas } from "./replica-set.js";

const NO_DEADLINE = 2147483647;

export interface DeploymentStatusInput {
  deployment: KubeObject;
  /** The ReplicaSets it controls, as they are after this pass's writes. */
  replicaSets: readonly KubeObject[];
  newReplicaSet: KubeObject | undefined;
  /** This pass created the new ReplicaSet. */
  created: boolean;
  /** Milliseconds since the epoch, and the same as a timestamp. */
  now: number;
  nowStamp: string;
}

export interface DeploymentStatusResult {
  status: JsonRecord;
  /** When (ms) to look again: the progress deadline. */
  wakeAt?: number;
}

interface Counts {
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

function sum(list: readonly KubeObject[], field: string): number {
  return list.reduce((n, rs) => n + (num(rs, "status", field) ?? 0), 0);
}

function countsOf(input: DeploymentStatusInput): Counts {
  return {
    replicas: sum(input.replicaSets, "replicas"),
    updatedReplicas: input.newReplicaSet ? (num(input.newReplicaSet, "status", "replicas") ?? 0) : 0,
    readyReplicas: sum(input.replicaSets, "readyReplicas"),
    availableReplicas: sum(input.replicaSets, "availableReplicas"),
  };
}

function previousCounts(d: KubeObject): Counts {
  const s = (f: string) => num(d, "status", f) ?? 0;
  return {
    replicas: s("replicas"),
    updatedReplicas: s("updatedReplicas"),
    readyReplicas: s("readyReplicas"),
    availableReplicas: s("availableReplicas"),
  };
}

function deadlineSeconds(d: KubeObject): number | undefined {
  const v = num(d, "spec", "progressDeadlineSeconds");
  return v === undefined || v === NO_DEADLINE ? undefined : v;
}

function advanced(before: Counts, after: Counts): boolean {
  return (
    after.updatedReplicas > before.updatedReplicas ||
    after.replicas - after.updatedReplicas < before.replicas - before.updatedReplicas ||
    after.readyReplicas > before.readyReplicas ||
    after.availableReplicas > before.availableReplicas
  );
}

class ConditionSet {
  constructor(
    public list: JsonRecord[],
    private readonly now: string,
  ) {}
  get(type: string): JsonRecord | undefined {
    return findCondition(this.list, type);
  }
  set(cond: NewCondition, refresh = false): void {
    this.list = setCondition(this.list, cond, { now: this.now, withUpdateTime: true, refresh });
  }
}

function subject(input: DeploymentStatusInput): string {
  return input.newReplicaSet
    ? `ReplicaSet "${input.newReplicaSet.metadata.name}"`
    : `Deployment "${input.deployment.metadata.name}"`;
}

function pausedConditions(d: KubeObject, conditions: ConditionSet): void {
  const reason = str(conditions.get("Progressing"), "reason");
  const paused = bool(d, "spec", "paused") === true;
  if (paused && reason !== "DeploymentPaused")
    conditions.set({
      type: "Progressing",
      status: "Unknown",
      reason: "DeploymentPaused",
      message: "Deployment is paused",
    });
  else if (!paused && reason === "DeploymentPaused")
    conditions.set({
      type: "Progressing",
      status: "Unknown",
      reason: "DeploymentResumed",
      message: "Deployment is resumed",
    });
}

function newReplicaSetConditions(input: DeploymentStatusInput, conditions: ConditionSet): void {
  const rs = input.newReplicaSet;
  if (!rs || deadlineSeconds(input.deployment) === undefined) return;
  if (input.created)
    conditions.set(
      {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetCreated",
        message: `Created new replica set "${rs.metadata.name}"`,
      },
      true,
    );
  else if (!conditions.get("Progressing"))
    conditions.set({
      type: "Progressing",
      status: "True",
      reason: "FoundNewReplicaSet",
      message: `Found new replica set "${rs.metadata.name}"`,
    });
}

function isComplete(d: KubeObject, c: Counts): boolean {
  const desired = desiredReplicas(d);
  return c.updatedReplicas === desired && c.replicas === desired && c.availableReplicas === desired;
}

/** Sets Progressing from this pass's counts; returns when the deadline falls, if it is still ahead. */
function progress(input: DeploymentStatusInput, counts: Counts, conditions: ConditionSet): number | undefined {
  const d = input.deployment;
  const deadline = deadlineSeconds(d);
  if (deadline === undefined || bool(d, "spec", "paused") === true) return undefined;
  const current = conditions.get("Progressing");
  if (counts.replicas === counts.updatedReplicas && str(current, "reason") === "NewReplicaSetAvailable")
    return undefined;
  if (isComplete(d, counts)) {
    conditions.set({
      type: "Progressing",
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `${subject(input)} has successfully progressed.`,
    });
    return undefined;
  }
  if (advanced(previousCounts(d), counts)) {
    conditions.set(
      {
        type: "Progressing",
        status: "True",
        reason: "ReplicaSetUpdated",
        message: `${subject(input)} is progressing.`,
      },
      true,
    );
    return input.now + deadline * 1000 + 1;
  }
  if (!current) return undefined;
  if (current.reason === "ProgressDeadlineExceeded") return undefined;
  if (current.reason === "NewReplicaSetAvailable") return undefined;
  const due = (timeOf(str(current, "lastUpdateTime")) ?? input.now) + deadline * 1000;
  if (due < input.now) {
    conditions.set({
      type: "Progressing",
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: `${subject(input)} has timed out progressing.`,
    });
    return undefined;
  }
  return due + 1;
}

/** The status the Deployment controller writes (zero counts left out, as it serialises them). */
export function deploymentStatus(input: DeploymentStatusInput): DeploymentStatusResult {
  const d = input.deployment;
  const conditions = new ConditionSet(conditionList(d.status), input.nowStamp);
  pausedConditions(d, conditions);
  newReplicaSetConditions(input, conditions);
  const counts = countsOf(input);
  const total = input.replicaSets.reduce((n, rs) => n + desiredReplicas(rs), 0);
  const unavailable = Math.max(0, total - counts.availableReplicas);
  const minAvailable = desiredReplicas(d) - fenceposts(d).maxUnavailable;
  conditions.set(
    counts.availableReplicas >= minAvailable
      ? {
          type: "Available",
          status: "True",
          reason: "MinimumReplicasAvailable",
          message: "Deployment has minimum availability.",
        }
      : {
          type: "Available",
          status: "False",
          reason: "MinimumReplicasUnavailable",
          message: "Deployment does not have minimum availability.",
        },
  );
  const wakeAt = progress(input, counts, conditions);
  const status: JsonRecord = {};
  if (d.metadata.generation !== undefined) status.observedGeneration = d.metadata.generation;
  for (const [k, v] of Object.entries({ ...counts, unavailableReplicas: unavailable })) if (v > 0) status[k] = v;
  status.conditions = conditions.list;
  const collisions = num(d, "status", "collisionCount");
  if (collisions !== undefined) status.collisionCount = collisions;
  return wakeAt === undefined ? { status } : { status, wakeAt };
}
