// The delivery state of notifications, as plain data: the deliveries still to make (each claimed while a
// try is in flight) and the keys of those made or given up on, bounded. Every change is a pure function
// from one state to the next; the store persists the result before the dispatcher acts on it. Pure.
import { isRecord } from "../../api/index.js";
import type { Notification } from "./notification.js";

export const STATE_VERSION = 1;

export interface Delivery {
  /** `<notification id>/<notifier name>`: one delivery per notification and receiver, ever. */
  key: string;
  notifier: string;
  notification: Notification;
  /** Tries started so far. */
  attempts: number;
  /** Not tried again before this time (epoch ms). */
  notBefore: number;
  enqueuedAt: number;
  /** Set, and persisted, before a try is sent; a claim nobody finished was cut short and is never sent again. */
  claim?: { by: string; at: number };
  /** Why the last try failed (never a credential). */
  lastError?: string;
}

export interface DoneEntry {
  key: string;
  at: number;
}

export interface DeliveryState {
  version: typeof STATE_VERSION;
  deliveries: Delivery[];
  done: DoneEntry[];
}

export interface StateLimits {
  /** Deliveries kept waiting; the oldest go beyond this. */
  maxPending: number;
  /** Keys of finished deliveries remembered, so a notice published again is not delivered again. */
  maxDone: number;
}

export const DEFAULT_LIMITS: StateLimits = { maxPending: 500, maxDone: 2000 };

export function emptyState(): DeliveryState {
  return { version: STATE_VERSION, deliveries: [], done: [] };
}

function isDelivery(value: unknown): value is Delivery {
  return (
    isRecord(value) &&
    typeof value.key === "string" &&
    typeof value.notifier === "string" &&
    isRecord(value.notification) &&
    typeof value.attempts === "number" &&
    typeof value.notBefore === "number"
  );
}

/** The state stored as text; what cannot be read starts empty (deliveries in it are lost, never repeated). */
export function parseState(text: string | undefined): DeliveryState {
  if (!text) return emptyState();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return emptyState();
  }
  if (!isRecord(value) || value.version !== STATE_VERSION) return emptyState();
  const deliveries = Array.isArray(value.deliveries) ? value.deliveries.filter(isDelivery) : [];
  const done = Array.isArray(value.done)
    ? value.done.filter((d): d is DoneEntry => isRecord(d) && typeof d.key === "string" && typeof d.at === "number")
    : [];
  return { version: STATE_VERSION, deliveries, done };
}

export function serializeState(state: DeliveryState): string {
  return JSON.stringify(state);
}

export function deliveryKey(notificationId: string, notifier: string): string {
  return `${notificationId}/${notifier}`;
}

/** Deliveries to one receiver about one Application go in order: a later one waits for the earlier. */
export function laneOf(d: Pick<Delivery, "notifier" | "notification">): string {
  return `${d.notifier}|${d.notification.application.namespace}/${d.notification.application.name}`;
}

/** Whether a delivery of this key is waiting, in flight or finished. */
export function known(state: DeliveryState, key: string): boolean {
  return state.deliveries.some((d) => d.key === key) || state.done.some((d) => d.key === key);
}

/**
 * The state with new deliveries queued (those already known are not); beyond maxPending the oldest waiting
 * ones (never a claimed one) are dropped.
 */
export function enqueue(
  state: DeliveryState,
  incoming: readonly Delivery[],
  limits: StateLimits = DEFAULT_LIMITS,
): { state: DeliveryState; added: Delivery[]; dropped: Delivery[] } {
  const added: Delivery[] = [];
  const keys = new Set([...state.deliveries.map((d) => d.key), ...state.done.map((d) => d.key)]);
  for (const d of incoming) {
    if (keys.has(d.key)) continue;
    keys.add(d.key);
    added.push(d);
  }
  let deliveries = [...state.deliveries, ...added];
  const dropped: Delivery[] = [];
  while (deliveries.length > limits.maxPending) {
    const i = deliveries.findIndex((d) => !d.claim);
    if (i < 0) break;
    dropped.push(deliveries[i] as Delivery);
    deliveries = deliveries.filter((_, j) => j !== i);
  }
  return { state: { ...state, deliveries }, added, dropped };
}

/**
 * The state with the delivery claimed for a try by `by`; undefined when it is gone, claimed already, or not
 * due yet (another replica released it to wait).
 */
export function claim(state: DeliveryState, key: string, by: string, now: number): DeliveryState | undefined {
  const d = state.deliveries.find((x) => x.key === key);
  if (!d || d.claim || d.notBefore > now) return undefined;
  const claimed: Delivery = { ...d, attempts: d.attempts + 1, claim: { by, at: now } };
  return { ...state, deliveries: state.deliveries.map((x) => (x.key === key ? claimed : x)) };
}

/** The state with a claimed delivery waiting again: its try was refused, and it is tried again after delayMs. */
export function release(
  state: DeliveryState,
  key: string,
  options: { now: number; delayMs: number; error: string },
): DeliveryState {
  return {
    ...state,
    deliveries: state.deliveries.map((d) => {
      if (d.key !== key) return d;
      const { claim: _claim, ...rest } = d;
      return { ...rest, notBefore: options.now + options.delayMs, lastError: options.error };
    }),
  };
}

/** The state with the delivery finished (made, given up, or cut short): remembered as done, never tried again. */
export function finish(
  state: DeliveryState,
  key: string,
  now: number,
  limits: StateLimits = DEFAULT_LIMITS,
): DeliveryState {
  const done = [...state.done.filter((d) => d.key !== key), { key, at: now }];
  return {
    ...state,
    deliveries: state.deliveries.filter((d) => d.key !== key),
    done: done.length > limits.maxDone ? done.slice(done.length - limits.maxDone) : done,
  };
}

/** Claims older than maxAgeMs: their try was cut short (the agent that made it stopped) and is not repeated. */
export function staleClaims(state: DeliveryState, now: number, maxAgeMs: number): Delivery[] {
  return state.deliveries.filter((d) => d.claim && now - d.claim.at > maxAgeMs);
}

/** Claims made by another holder than `by` (at start: every claim of an earlier run of this agent). */
export function claimsNotBy(state: DeliveryState, by: string): Delivery[] {
  return state.deliveries.filter((d) => d.claim && d.claim.by !== by);
}

/** The first delivery of each lane, in queue order. */
function laneHeads(state: DeliveryState): Delivery[] {
  const seen = new Set<string>();
  const heads: Delivery[] = [];
  for (const d of state.deliveries) {
    const lane = laneOf(d);
    if (seen.has(lane)) continue;
    seen.add(lane);
    heads.push(d);
  }
  return heads;
}

/** The deliveries to try now: the first of each lane, unclaimed and due. */
export function dueDeliveries(state: DeliveryState, now: number): Delivery[] {
  return laneHeads(state).filter((d) => !d.claim && d.notBefore <= now);
}

/**
 * When the next delivery falls due (epoch ms), the first of its lane, unclaimed and not `busy` (a try of it
 * under way here); undefined when none waits.
 */
export function nextDueAt(state: DeliveryState, busy: (key: string) => boolean = () => false): number | undefined {
  let next: number | undefined;
  for (const d of laneHeads(state))
    if (!d.claim && !busy(d.key) && (next === undefined || d.notBefore < next)) next = d.notBefore;
  return next;
}
