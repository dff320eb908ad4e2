import type {
  AdoptedResource,
  Condition,
  ConditionType,
  DriftRecord,
  Health,
  HealthStatus,
  HistoryEntry,
} from "../api/index.js";

export const MAX_HISTORY = 20;
export const MAX_DRIFT_RECORDS = 50;
export const MAX_ADOPTED = 50;

/** Worst first wins: an Application is as healthy as its least healthy resource (Argo CD's order). */
const HEALTH_ORDER: readonly HealthStatus[] = ["Healthy", "Suspended", "Progressing", "Missing", "Degraded", "Unknown"];

export function aggregateHealth(items: ReadonlyArray<{ name: string; health: Health }>): Health {
  let worst: { name: string; health: Health } | undefined;
  for (const item of items) {
    if (!worst || HEALTH_ORDER.indexOf(item.health.status) > HEALTH_ORDER.indexOf(worst.health.status)) worst = item;
  }
  if (!worst || worst.health.status === "Healthy") return { status: "Healthy", message: "" };
  const others = items.filter((i) => i.health.status === worst.health.status).length - 1;
  const more = others > 0 ? ` (and ${others} more)` : "";
  return {
    status: worst.health.status,
    message: `${worst.name}: ${worst.health.message || worst.health.status}${more}`,
  };
}

/** Sets a condition, keeping lastTransitionTime when its status did not change. Returns a new array. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, "lastTransitionTime">,
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const previous = i >= 0 ? list[i] : undefined;
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime : now;
  const condition: Condition = { ...next, lastTransitionTime };
  if (i >= 0) list[i] = condition;
  else list.push(condition);
  return list;
}

export function conditionOf(conditions: readonly Condition[] | undefined, type: ConditionType): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Appends a sync to history (ids increase), keeping the newest MAX_HISTORY. */
export function appendHistory(
  history: readonly HistoryEntry[] | undefined,
  entry: Omit<HistoryEntry, "id">,
): HistoryEntry[] {
  const list = history ?? [];
  const id = list.reduce((max, h) => Math.max(max, h.id), 0) + 1;
  return [...list, { ...entry, id }].slice(-MAX_HISTORY);
}

export function appendDrift(drift: readonly DriftRecord[] | undefined, records: readonly DriftRecord[]): DriftRecord[] {
  return [...(drift ?? []), ...records].slice(-MAX_DRIFT_RECORDS);
}

export function appendAdopted(
  adopted: readonly AdoptedResource[] | undefined,
  records: readonly AdoptedResource[],
): AdoptedResource[] {
  return [...(adopted ?? []), ...records].slice(-MAX_ADOPTED);
}
