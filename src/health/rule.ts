// The shape of a per-kind health rule, and short constructors for the verdicts rules return.
import type { Health, KubeObject } from "../api/index.js";

/**
 * Health of one kind, judged from its spec and status. A rule is only asked about objects that exist, are
 * not being deleted and whose status reflects their latest generation (health.ts checks those first).
 */
export interface KindRule {
  /** API group ("" for the core group). */
  readonly group: string;
  readonly kind: string;
  /**
   * The kind's controller always writes status.observedGeneration. When set, a missing observedGeneration
   * means "not observed yet" (Progressing) rather than "this kind does not track generations".
   */
  readonly tracksGeneration: boolean;
  readonly check: (obj: KubeObject) => Health;
  /** Optional detail for the "being deleted" message: what the deletion is waiting for, from the status. */
  readonly deletionDetail?: (obj: KubeObject) => string | undefined;
}

export const healthy = (message: string): Health => ({ status: "Healthy", message });
export const progressing = (message: string): Health => ({ status: "Progressing", message });
export const degraded = (message: string): Health => ({ status: "Degraded", message });
export const suspended = (message: string): Health => ({ status: "Suspended", message });
export const unknown = (message: string): Health => ({ status: "Unknown", message });
