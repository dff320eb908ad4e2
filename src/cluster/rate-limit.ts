/**
 * A token bucket: `qps` tokens a second, at most `burst` saved up. take() resolves when a token is free.
 * The clock and the sleep are injectable so the logic is tested without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    if (qps <= 0 || burst < 1) throw new RangeError("a rate limit needs qps > 0 and burst >= 1");
    this.tokens = burst;
    this.last = now();
  }

  /** How long a caller would wait for a token right now, in ms (0 when one is free). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.qps) * 1000);
  }

  take(signal?: AbortSignal): Promise<void> {
    // Callers are served in order: each waits for the one before it.
    const turn = this.queue.then(async () => {
      for (;;) {
        const wait = this.waitMs();
        if (wait === 0) break;
        await this.sleep(wait, signal);
      }
      this.tokens -= 1;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
