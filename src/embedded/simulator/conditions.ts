// status.conditions as the controllers keep them: a condition keeps its lastTransitionTime while its
// status stays the same, and a condition that says nothing new is left as it was.

import { isRecord, type JsonRecord } from "../../api/index.js";

export type ConditionStatus = "True" | "False" | "Unknown";

export interface NewCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
}

export function conditionList(status: unknown): JsonRecord[] {
  const list = isRecord(status) ? status.conditions : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

export function findCondition(list: readonly JsonRecord[], type: string): JsonRecord | undefined {
  return list.find((c) => c.type === type);
}

export interface SetConditionOptions {
  now: string;
  /** Deployments also stamp lastUpdateTime (the progress deadline counts from it). */
  withUpdateTime?: boolean;
  /** Jobs also stamp lastProbeTime. */
  withProbeTime?: boolean;
  /** Rewrite the condition (and its lastUpdateTime) even when status and reason are unchanged. */
  refresh?: boolean;
}

function build(cond: NewCondition, lastTransitionTime: string, options: SetConditionOptions): JsonRecord {
  const out: JsonRecord = { type: cond.type, status: cond.status };
  if (options.withProbeTime) out.lastProbeTime = options.now;
  if (options.withUpdateTime) out.lastUpdateTime = options.now;
  out.lastTransitionTime = lastTransitionTime;
  if (cond.reason) out.reason = cond.reason;
  if (cond.message) out.message = cond.message;
  return out;
}

/**
 * The list with `cond` set, as the Deployment and Job controllers do it: unchanged when the same status and
 * reason are already there (unless `refresh`); otherwise the condition moves to the end, keeping its
 * lastTransitionTime when only the reason or message changed.
 */
export function setCondition(
  list: readonly JsonRecord[],
  cond: NewCondition,
  options: SetConditionOptions,
): JsonRecord[] {
  const current = findCondition(list, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason && !options.refresh) return [...list];
  const transition =
    current && current.status === cond.status && typeof current.lastTransitionTime === "string"
      ? current.lastTransitionTime
      : options.now;
  return [...list.filter((c) => c.type !== cond.type), build(cond, transition, options)];
}

/**
 * Conditions in a fixed order (the kubelet's way for pods): each keeps its lastTransitionTime from
 * `previous` while its status is the same.
 */
export function orderedConditions(
  previous: readonly JsonRecord[],
  wanted: readonly NewCondition[],
  now: string,
): JsonRecord[] {
  return wanted.map((cond) => {
    const old = findCondition(previous, cond.type);
    const transition =
      old && old.status === cond.status && typeof old.lastTransitionTime === "string" ? old.lastTransitionTime : now;
    return build(cond, transition, { now });
  });
}
