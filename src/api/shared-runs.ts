// Per-resource serialisation with sharing: work on one resource (a mirror, a checkout) runs one at a time,
// and a caller asking for the same variant of work that is already queued or running joins it instead of
// starting another. Each caller waits with its own AbortSignal; the shared work is aborted only when
// every caller waiting for it has given up.

interface Run<T> {
  variant: string;
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

interface Chain<T> {
  tail: Promise<void>;
  runs: Run<T>[];
}

export class SharedRuns<T> {
  readonly #chains = new Map<string, Chain<T>>();

  /**
   * Run `work` for `resource`, after any other work on it, or join the queued or running work of the
   * same `variant`. Rejects with `signal.reason` as soon as `signal` aborts.
   */
  run(resource: string, variant: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    let chain = this.#chains.get(resource);
    if (chain === undefined) {
      chain = { tail: Promise.resolve(), runs: [] };
      this.#chains.set(resource, chain);
    }
    const run =
      chain.runs.find((r) => r.variant === variant && !r.controller.signal.aborted) ??
      this.#start(resource, chain, variant, work);
    return this.#wait(run, signal);
  }

  /** Resources with work queued or running. */
  busy(): string[] {
    return [...this.#chains.keys()];
  }

  #start(resource: string, chain: Chain<T>, variant: string, work: (signal: AbortSignal) => Promise<T>): Run<T> {
    const controller = new AbortController();
    const promise = chain.tail.then(() => {
      controller.signal.throwIfAborted();
      return work(controller.signal);
    });
    const run: Run<T> = { variant, promise, controller, waiters: 0 };
    chain.runs.push(run);
    const settled: Promise<void> = promise.then(
      () => undefined,
      () => undefined,
    );
    chain.tail = settled.then(() => {
      chain.runs.splice(chain.runs.indexOf(run), 1);
      if (chain.runs.length === 0 && this.#chains.get(resource) === chain) this.#chains.delete(resource);
    });
    return run;
  }

  #wait(run: Run<T>, signal: AbortSignal): Promise<T> {
    run.waiters += 1;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = (): void => {
        done = true;
        run.waiters -= 1;
        signal.removeEventListener("abort", onAbort);
      };
      const onAbort = (): void => {
        if (done) return;
        leave();
        if (run.waiters === 0) run.controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      run.promise.then(
        (value) => {
          if (done) return;
          leave();
          resolve(value);
        },
        (error: unknown) => {
          if (done) return;
          leave();
          reject(error);
        },
      );
    });
  }
}
