import {
  type AdoptedResource,
  type ApplicationStatus,
  type Condition,
  type ConditionType,
  type DriftRecord,
  type Health,
  type HealthStatus,
  type HistoryEntry,
  inventoryId,
  type ResourceStatus,
  type ResourceSummary,
} from "../api/index.js";

export const MAX_HISTORY = 20;
export const MAX_DRIFT_RECORDS = 50;
export const MAX_ADOPTED = 50;
/**
 * Resources listed one by one in status. An Application of thousands of objects would otherwise outgrow
 * what the API server stores (about 1.5 MiB an object), and its status could never be written.
 */
export const MAX_RESOURCES_IN_STATUS = 500;

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

/**
 * The resources status lists (at most `max`, in their order), and counts over all of them. Those Synced
 * and Healthy are left out first, so what needs attention is listed; `summary.omittedSynced` says whether
 * everything left out was Synced.
 */
export function boundResources(
  resources: readonly ResourceStatus[],
  max: number = MAX_RESOURCES_IN_STATUS,
): { resources: ResourceStatus[]; summary: ResourceSummary } {
  const quiet = (r: ResourceStatus) => r.status === "Synced" && r.health === "Healthy" && !r.message && !r.allowedDrift;
  const loud = resources.filter((r) => !quiet(r)).length;
  let loudRoom = max;
  let quietRoom = Math.max(0, max - loud);
  const shown =
    resources.length <= max ? [...resources] : resources.filter((r) => (quiet(r) ? quietRoom-- > 0 : loudRoom-- > 0));
  const count = (key: (r: ResourceStatus) => string) => {
    const out: Record<string, number> = {};
    for (const r of resources) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return out;
  };
  return {
    resources: shown,
    summary: {
      total: resources.length,
      shown: shown.length,
      omittedSynced: loud <= max,
      sync: count((r) => r.status),
      health: count((r) => r.health ?? "Unknown"),
    },
  };
}

/**
 * The inventory ids that were Synced when status was last written: the listed Synced resources, and, when
 * the list was bounded, every inventory entry it left out (only Synced and Healthy ones are left out).
 */
/** Inventory id → the allowedDrift the last status listed for the object (only those listed with one). */
export function allowedDriftBefore(status: ApplicationStatus): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of status.resources ?? [])
    if (r.allowedDrift)
      out.set(inventoryId({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name }), r.allowedDrift);
  return out;
}

export function syncedBefore(status: ApplicationStatus): Set<string> {
  const listed = status.resources ?? [];
  const ids = (r: ResourceStatus) =>
    inventoryId({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name });
  const synced = new Set(listed.filter((r) => r.status === "Synced").map(ids));
  if (status.summary && status.summary.shown < status.summary.total && status.summary.omittedSynced) {
    const shown = new Set(listed.map(ids));
    for (const id of status.inventory ?? []) if (!shown.has(id)) synced.add(id);
  }
  return synced;
}
