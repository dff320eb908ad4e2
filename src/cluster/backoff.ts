export interface BackoffPolicy {
  /** First delay in ms. */
  baseMs: number;
  /** Upper bound of any one delay in ms. */
  maxMs: number;
  factor: number;
  /** 0..1: the share of each delay that is randomised (full jitter at 1). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, maxMs: 10_000, factor: 2, jitter: 0.5 };

/** Delay before retry number `attempt` (0-based): exponential, capped, with jitter drawn from random(). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * policy.factor ** attempt);
  const jitter = exp * policy.jitter * random();
  return Math.round(exp - exp * policy.jitter + jitter);
}

/**
 * A Retry-After header value in ms: delta-seconds or an HTTP date (relative to nowMs), capped at maxMs.
 * Undefined when absent or unreadable.
 */
export function retryAfterMs(header: string | undefined, nowMs: number, maxMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(maxMs, Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(maxMs, Math.max(0, date - nowMs));
}
