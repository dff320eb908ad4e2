// Which replica of the Sealed Secrets controller writes: the sealing keys (the first one and renewals),
// the Secrets it unseals, SealedSecret statuses and Events. A leader election outside this module (the
// agent's Lease) says when this replica leads; the controller keeps the running term here. No I/O.
import { SealedSecretsError } from "./errors.js";

/** What the controller needs from a leader election (`bosun agent --leader-elect` passes the agent's). */
export interface SealedSecretsLeadership {
  /**
   * Calls `listener` each time this replica starts leading, with a signal that aborts when that term ends
   * (leadership lost or given up); at once when it leads already. Returns a function that unsubscribes.
   */
  onLeading(listener: (term: AbortSignal) => void): () => void;
}

/** Something only the leader does was asked of a standby. */
export class NotLeaderError extends SealedSecretsError {
  override readonly name: string = "NotLeaderError";
}

/** The term this replica leads in, if any, and a way to wait for the next one. */
export class LeaderTerms {
  private term: AbortSignal | undefined;
  private readonly waiters = new Set<(term: AbortSignal) => void>();

  /** The running term; undefined on a standby (never led, or the last term ended). */
  current(): AbortSignal | undefined {
    return this.term && !this.term.aborted ? this.term : undefined;
  }

  /** A term began: it runs until `term` aborts. */
  begin(term: AbortSignal): void {
    this.term = term;
    if (term.aborted) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake(term);
  }

  /** The running term, as soon as there is one; undefined when `signal` aborts first. */
  async next(signal: AbortSignal): Promise<AbortSignal | undefined> {
    const running = this.current();
    if (running || signal.aborted) return signal.aborted ? undefined : running;
    return await new Promise<AbortSignal | undefined>((resolve) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        resolve(undefined);
      };
      const wake = (term: AbortSignal) => {
        signal.removeEventListener("abort", onAbort);
        resolve(term);
      };
      this.waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
