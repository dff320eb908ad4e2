// A small work queue for the controller: one key is never processed twice at once (an add while it runs
// runs it again afterwards), a failed key is retried with backoff a bounded number of times.
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from "../../cluster/index.js";

export interface KeyedQueueOptions {
  concurrency?: number;
  /** Retries after a failure before giving up on the key (until it is added again). */
  maxRetries?: number;
  backoff?: BackoffPolicy;
  /** Called when a key failed and will be retried (`willRetry`) or was given up. */
  onFailure?: (key: string, error: unknown, willRetry: boolean) => void;
}

export class KeyedQueue {
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly process: (key: string) => Promise<void>,
    private readonly options: KeyedQueueOptions = {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    const timer = this.timers.get(key);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.pending.push(key);
    this.pump();
  }

  /** Stops taking work and cancels retries; keys being processed finish. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.length = 0;
    this.queued.clear();
    this.notifyIdle();
  }

  /** Resolves when nothing is queued, running or waiting for a retry. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.active.size === 0 && this.timers.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.stopped) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 4;
    while (!this.stopped && this.active.size < concurrency && this.pending.length > 0) {
      const key = this.pending.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
    this.notifyIdle();
  }

  private async run(key: string): Promise<void> {
    try {
      await this.process(key);
      this.failures.delete(key);
    } catch (error) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      const willRetry = !this.stopped && failures <= (this.options.maxRetries ?? 5);
      this.options.onFailure?.(key, error, willRetry);
      if (willRetry) {
        this.failures.set(key, failures);
        const timer = setTimeout(
          () => {
            this.timers.delete(key);
            this.add(key);
          },
          backoffDelay(failures - 1, this.options.backoff ?? DEFAULT_BACKOFF),
        );
        this.timers.set(key, timer);
      } else {
        this.failures.delete(key);
      }
    } finally {
      this.active.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
