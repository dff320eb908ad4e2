// The horizontal pod autoscaler's decision, from a simulated CPU utilisation (50%, or the HPA's annotation
// `bosun.dev/simulate-utilization: "N"`): the replicas the target should have and the status the
// controller writes, with the real controller's 10% tolerance, min/max clamping and scale-down
// stabilisation window (300 s unless behavior.scaleDown says otherwise). Pure.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { arr, num, str } from "./fields.js";

export const UTILIZATION_ANNOTATION = "bosun.dev/simulate-utilization";
export const DEFAULT_UTILIZATION = 50;
const TOLERANCE = 0.1;
const DEFAULT_DOWN_WINDOW_S = 300;

export interface AutoscalerInput {
  hpa: KubeObject;
  /** The scale target's current spec.replicas, or undefined when it does not exist. */
  currentReplicas: number | undefined;
  now: number;
  nowStamp: string;
}

export interface AutoscalerPlan {
  /** The replicas to set on the target, when they change. */
  scaleTo?: number;
  status: JsonRecord;
}

function condition(type: string, status: "True" | "False", reason: string, message: string, now: string): JsonRecord {
  return { type, status, lastTransitionTime: now, reason, message };
}

function utilizationOf(hpa: KubeObject): number {
  const raw = Number(hpa.metadata.annotations?.[UTILIZATION_ANNOTATION]);
  return Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_UTILIZATION;
}

/** The CPU utilisation target (`Resource` metric), or undefined when the HPA has none the simulation reads. */
function cpuTarget(hpa: KubeObject): number | undefined {
  for (const m of arr(hpa, "spec", "metrics")) {
    if (str(m, "type") === "Resource" && str(m, "resource", "name") === "cpu")
      return num(m, "resource", "target", "averageUtilization");
  }
  return arr(hpa, "spec", "metrics").length === 0 ? 80 : undefined;
}

/** Keeps each condition's lastTransitionTime while its status stays the same. */
function keepTransitions(previous: unknown, next: JsonRecord[]): JsonRecord[] {
  const old = (previous as JsonRecord | undefined)?.conditions as JsonRecord[] | undefined;
  return next.map((c) => {
    const same = old?.find((o) => o.type === c.type && o.status === c.status);
    return same ? { ...c, lastTransitionTime: same.lastTransitionTime } : c;
  });
}

function unableStatus(currentReplicas: number | undefined, previous: unknown, nowStamp: string): JsonRecord {
  const why =
    currentReplicas === undefined
      ? condition(
          "AbleToScale",
          "False",
          "FailedGetScale",
          "the HPA controller was unable to get the target's current scale",
          nowStamp,
        )
      : condition(
          "ScalingActive",
          "False",
          "FailedGetResourceMetric",
          "the HPA was unable to compute the replica count",
          nowStamp,
        );
  return {
    currentReplicas: currentReplicas ?? 0,
    desiredReplicas: currentReplicas ?? 0,
    conditions: keepTransitions(previous, [why]),
  };
}

interface Recommendation {
  desired: number;
  /** Clamped to minReplicas or maxReplicas. */
  limit?: "TooManyReplicas" | "TooFewReplicas";
  /** A lower recommendation held back by the scale-down stabilisation window. */
  stabilising: boolean;
}

function recommend(input: AutoscalerInput, current: number, target: number): Recommendation {
  const { hpa } = input;
  const min = num(hpa, "spec", "minReplicas") ?? 1;
  const max = num(hpa, "spec", "maxReplicas") ?? min;
  const ratio = target > 0 ? utilizationOf(hpa) / target : 1;
  const raw = Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(current * ratio);
  const clamped = Math.min(max, Math.max(min, raw));
  const limit = clamped === raw ? undefined : clamped === max ? "TooManyReplicas" : "TooFewReplicas";
  const window = num(hpa, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds") ?? DEFAULT_DOWN_WINDOW_S;
  const since = Date.parse(str(hpa, "status", "lastScaleTime") ?? hpa.metadata.creationTimestamp ?? "") || input.now;
  const stabilising = clamped < current && input.now - since < window * 1000;
  return { desired: stabilising ? current : clamped, stabilising, ...(limit ? { limit } : {}) };
}

function conditionsFor(r: Recommendation, scale: boolean, nowStamp: string): JsonRecord[] {
  const able = r.stabilising
    ? condition(
        "AbleToScale",
        "True",
        "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation",
        nowStamp,
      )
    : scale
      ? condition(
          "AbleToScale",
          "True",
          "SucceededRescale",
          `the HPA controller was able to update the target scale to ${r.desired}`,
          nowStamp,
        )
      : condition("AbleToScale", "True", "ReadyForNewScale", "recommended size matches current size", nowStamp);
  const active = condition(
    "ScalingActive",
    "True",
    "ValidMetricFound",
    "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
    nowStamp,
  );
  const limited = r.limit
    ? condition(
        "ScalingLimited",
        "True",
        r.limit,
        r.limit === "TooManyReplicas"
          ? "the desired replica count is more than the maximum replica count"
          : "the desired replica count is less than the minimum replica count",
        nowStamp,
      )
    : condition(
        "ScalingLimited",
        "False",
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
        nowStamp,
      );
  return [able, active, limited];
}

export function planAutoscaler(input: AutoscalerInput): AutoscalerPlan {
  const { hpa, currentReplicas, nowStamp } = input;
  const target = cpuTarget(hpa);
  const previous = hpa.status as JsonRecord | undefined;
  if (currentReplicas === undefined || target === undefined)
    return { status: unableStatus(currentReplicas, previous, nowStamp) };
  const r = recommend(input, currentReplicas, target);
  const scale = r.desired !== currentReplicas;
  const lastScaleTime = scale ? nowStamp : previous?.lastScaleTime;
  const status: JsonRecord = {
    ...(lastScaleTime ? { lastScaleTime } : {}),
    currentReplicas,
    desiredReplicas: r.desired,
    currentMetrics: [
      { type: "Resource", resource: { name: "cpu", current: { averageUtilization: utilizationOf(hpa) } } },
    ],
    conditions: keepTransitions(previous, conditionsFor(r, scale, nowStamp)),
  };
  return scale ? { scaleTo: r.desired, status } : { status };
}
