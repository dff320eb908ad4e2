// How often, and after how long, a delivery the receiver refused is tried again. Pure.

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The wait before the second try; doubled for each one after. */
  baseMs: number;
  /** No wait is longer. */
  maxMs: number;
}

/** 1s, 2s, 4s, 8s, 16s between six tries (about half a minute), then the delivery is given up. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 1000, maxMs: 60_000 };

/**
 * The wait before the next try, after `attempts` tries failed; undefined when none is left (given up).
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY): number | undefined {
  if (attempts >= policy.attempts) return undefined;
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}
