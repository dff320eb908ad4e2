// Polling a source: every interval plus a random jitter (so many Applications on one interval do not
// fetch in lockstep), one poll at a time, stopped by an AbortSignal or stop().
import { setTimeout as sleepFor } from "node:timers/promises";

/**
 * The delay before the next poll: `intervalMs` plus up to `jitterFraction` of it, scaled by `random` (a
 * number in [0, 1), e.g. Math.random()). Throws RangeError for a non-positive interval, a fraction outside
 * [0, 1] or a random value outside [0, 1).
 */
export function nextPollDelay(intervalMs: number, jitterFraction: number, random: number): number {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0)
    throw new RangeError(`poll interval must be > 0, got ${intervalMs}`);
  if (!(jitterFraction >= 0 && jitterFraction <= 1)) {
    throw new RangeError(`jitter fraction must be within [0, 1], got ${jitterFraction}`);
  }
  if (!(random >= 0 && random < 1)) throw new RangeError(`random must be within [0, 1), got ${random}`);
  return Math.round(intervalMs + intervalMs * jitterFraction * random);
}

export interface PollerOptions {
  intervalMs: number;
  /** Up to this fraction of the interval is added to each delay (default 0.1). */
  jitterFraction?: number;
  /** Called once per poll with a signal that aborts when the poller stops. Polls never overlap. */
  poll: (signal: AbortSignal) => Promise<void>;
  /** Told about a poll that threw; the poller keeps going. Default: ignore. */
  onError?: (error: unknown) => void;
  /** Poll once right after start instead of after the first delay (default false). */
  pollImmediately?: boolean;
  /** Source of randomness in [0, 1) (default Math.random). */
  random?: () => number;
  /** How to wait (default: a timer). Must reject, or resolve early, when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export class Poller {
  readonly #options: PollerOptions;
  #controller: AbortController | undefined;
  #wake: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #pending = false;

  constructor(options: PollerOptions) {
    nextPollDelay(options.intervalMs, options.jitterFraction ?? 0.1, 0);
    this.#options = options;
  }

  get running(): boolean {
    return this.#controller !== undefined && !this.#controller.signal.aborted;
  }

  /** Start polling until `signal` aborts or stop() is called. Starting a running poller is an error. */
  start(signal: AbortSignal): void {
    if (this.running) throw new Error("the poller is already running");
    const controller = new AbortController();
    this.#controller = controller;
    const onAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", onAbort, { once: true });
    this.#loop = this.#run(controller.signal).finally(() => signal.removeEventListener("abort", onAbort));
  }

  /**
   * Poll now (e.g. a webhook arrived) instead of waiting for the rest of the current delay; during a poll,
   * the next one starts right after it.
   */
  pollNow(): void {
    this.#pending = true;
    this.#wake?.abort();
  }

  /** Stop, and resolve once a poll under way has returned. */
  async stop(): Promise<void> {
    this.#controller?.abort(new Error("poller stopped"));
    await this.#loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const o = this.#options;
    const random = o.random ?? Math.random;
    const sleep = o.sleep ?? defaultSleep;
    let first = true;
    while (!signal.aborted) {
      if (!(first && o.pollImmediately) && !this.#pending) {
        const wake = new AbortController();
        this.#wake = wake;
        const delay = nextPollDelay(o.intervalMs, o.jitterFraction ?? 0.1, random());
        try {
          await sleep(delay, AbortSignal.any([signal, wake.signal]));
        } catch {
          // aborted: either stopped (checked below) or woken by pollNow()
        }
        this.#wake = undefined;
        if (signal.aborted) return;
      }
      first = false;
      this.#pending = false;
      try {
        await o.poll(signal);
      } catch (error) {
        if (!signal.aborted) o.onError?.(error);
      }
    }
  }
}

async function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  await sleepFor(ms, undefined, { signal });
}
