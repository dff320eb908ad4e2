// When the controller makes its next sealing key. Pure, plus a sleep that survives Node's 24.8-day timer cap.

/** Milliseconds until the next key is due: one period after the newest key's NotBefore (0 when overdue). */
export function renewalDelay(latestNotBefore: Date | undefined, now: Date, periodMs: number): number {
  if (!latestNotBefore) return 0;
  return Math.max(0, latestNotBefore.getTime() + periodMs - now.getTime());
}

/** setTimeout fires at once for delays above 2^31-1 ms; longer sleeps are taken in steps. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Sleeps ms (any length); resolves false when the signal aborted first. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  let left = ms;
  while (left > 0) {
    if (signal.aborted) return false;
    const step = Math.min(left, MAX_TIMER_MS);
    const completed = await new Promise<boolean>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, step);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    if (!completed) return false;
    left -= step;
  }
  return !signal.aborted;
}
