import { type BackoffPolicy, backoffDelay } from "../cluster/index.js";

export interface WorkQueueOptions {
  /** Keys processed at the same time (different keys only: one key is never processed twice at once). */
  concurrency: number;
  /** Backoff for keys whose processing failed. */
  backoff: BackoffPolicy;
  random?: () => number;
  /** Timers are injectable so the queue's logic is tested without waiting. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

export type Processor = (key: string) => Promise<void>;

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

/**
 * The controller's work queue, as client-go's: a key added while queued is queued once; a key added
 * while being processed is processed again afterwards (never concurrently); failures are retried with
 * per-key exponential backoff, reset by a success; delayed adds keep the earliest due time.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  /** Keys whose processing ended in backOff: a failure without an exception, not a success. */
  private readonly backedOff = new Set<string>();
  private readonly delayed = new Map<string, { due: number; cancel: () => void }>();
  private readonly setTimer: (fn: () => void, ms: number) => () => void;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly process: Processor,
    private readonly options: WorkQueueOptions,
  ) {
    this.setTimer = options.setTimer ?? realTimer;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.cancelDelayed(key);
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Adds the key after ms; an earlier pending add of the same key wins. */
  addAfter(key: string, ms: number, now: number = Date.now()): void {
    if (this.stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const due = now + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.due <= due) return;
    pending?.cancel();
    const cancel = this.setTimer(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { due, cancel });
  }

  /**
   * Called while processing key: it failed without throwing (its failure is recorded elsewhere). It is
   * retried with the same backoff as a thrown failure, but never later than capMs.
   */
  backOff(key: string, capMs: number = Number.POSITIVE_INFINITY): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.backedOff.add(key);
    this.addAfter(key, Math.min(capMs, backoffDelay(n, this.options.backoff, this.options.random)));
  }

  /** Forget a key's failures (after its object was deleted). */
  forget(key: string): void {
    this.failures.delete(key);
    this.cancelDelayed(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.queue.length;
  }

  /** Resolves when nothing is queued or being processed (delayed adds do not count). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const { cancel } of this.delayed.values()) cancel();
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
  }

  private cancelDelayed(key: string): void {
    const pending = this.delayed.get(key);
    if (!pending) return;
    pending.cancel();
    this.delayed.delete(key);
  }

  private pump(): void {
    while (!this.stopped && this.active.size < this.options.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
    if (this.queue.length === 0 && this.active.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async run(key: string): Promise<void> {
    let failed = false;
    try {
      await this.process(key);
    } catch {
      failed = true;
    }
    this.active.delete(key);
    if (failed) {
      const n = this.failures.get(key) ?? 0;
      this.failures.set(key, n + 1);
      if (!this.dirty.has(key)) this.addAfter(key, backoffDelay(n, this.options.backoff, this.options.random));
    } else if (!this.backedOff.has(key)) {
      this.failures.delete(key);
    }
    this.backedOff.delete(key);
    if (this.dirty.delete(key)) this.add(key);
    this.pump();
  }
}
