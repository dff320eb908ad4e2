// A controller work queue: ids waiting to be processed (each at most once in the queue), worked off in
// batches between I/O turns of the event loop, and timers that put an id back when it asks to be looked
// at again. The latest look at an id decides its next wake-up (or that there is none). Every timer is
// tracked; `stop()` clears them all.

export interface WorkQueueOptions {
  /** Processes one id; returns in how many ms to look at it again, if it should be. */
  process: (id: string) => number | undefined;
  /** Ids processed per turn of the event loop before yielding to I/O. */
  batchSize?: number;
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly timers = new Map<string, { at: number; handle: NodeJS.Timeout }>();
  private scheduled: NodeJS.Immediate | undefined;
  private waiters: Array<() => void> = [];
  private stopped = false;
  private readonly batchSize: number;

  constructor(private readonly options: WorkQueueOptions) {
    this.batchSize = options.batchSize ?? 200;
  }

  add(id: string): void {
    if (this.stopped) return;
    this.pending.add(id);
    this.schedule();
  }

  /** Puts `id` back in `delayMs`, unless an earlier wake-up is already set for it. */
  addAfter(id: string, delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + Math.max(0, delayMs);
    const existing = this.timers.get(id);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.handle);
    const handle = setTimeout(
      () => {
        this.timers.delete(id);
        this.add(id);
      },
      Math.max(0, delayMs),
    );
    handle.unref();
    this.timers.set(id, { at, handle });
  }

  /** Resolves once nothing is queued (timers may still be set). */
  idle(): Promise<void> {
    if (this.pending.size === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** How many wake-ups are set (for tests: none after stop). */
  timerCount(): number {
    return this.timers.size;
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.release();
  }

  private clearTimer(id: string): void {
    const existing = this.timers.get(id);
    if (!existing) return;
    clearTimeout(existing.handle);
    this.timers.delete(id);
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = undefined;
    let n = 0;
    for (const id of this.pending) {
      if (this.stopped || n++ >= this.batchSize) break;
      this.pending.delete(id);
      const again = this.options.process(id);
      this.clearTimer(id);
      if (again !== undefined) this.addAfter(id, again);
    }
    if (this.pending.size > 0 && !this.stopped) this.schedule();
    else this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
