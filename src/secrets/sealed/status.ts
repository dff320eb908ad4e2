// The SealedSecret's status as Bitnami writes it: one `Synced` condition (True with an empty message, or
// False with the error), lastTransitionTime moved only when the status flips, and observedGeneration.
// Pure: the clock is a parameter.
import { SYNCED_CONDITION } from "./names.js";
import type { SealedSecretCondition, SealedSecretStatus } from "./types.js";

export type SyncOutcome = { synced: true } | { synced: false; reason: string; message: string };

/** The status after a reconcile, or undefined when it would not change (nothing to write). */
export function nextStatus(
  previous: SealedSecretStatus | undefined,
  generation: number | undefined,
  outcome: SyncOutcome,
  now: Date,
): SealedSecretStatus | undefined {
  const conditions = previous?.conditions ?? [];
  const old = conditions.find((c) => c.type === SYNCED_CONDITION);
  const status = outcome.synced ? "True" : "False";
  const message = outcome.synced ? "" : outcome.message;
  const reason = outcome.synced ? "Unsealed" : outcome.reason;
  const sameCondition = old?.status === status && (old.message ?? "") === message && (old.reason ?? "") === reason;
  if (sameCondition && previous?.observedGeneration === generation) return undefined;
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const condition: SealedSecretCondition = {
    type: SYNCED_CONDITION,
    status,
    lastUpdateTime: stamp,
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : stamp,
    reason,
    message,
  };
  const others = conditions.filter((c) => c.type !== SYNCED_CONDITION);
  return {
    ...previous,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions: [condition, ...others],
  };
}
