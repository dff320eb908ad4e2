// Small helpers for messages people read.
import type { Condition } from "./fields.js";

/** "1 replica", "3 replicas". */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/** "1 is", "2 are": for sentences that continue after a number. */
export function isAre(n: number): string {
  return n === 1 ? "is" : "are";
}

/** "Reason: message", or whichever of the two is present; `fallback` when the condition says nothing. */
export function describeCondition(condition: Condition, fallback = ""): string {
  const { reason, message } = condition;
  if (reason && message) return `${reason}: ${message}`;
  return reason || message || fallback;
}
