// One run per key at a time: callers asking for a key already being worked on wait for that run. The run is
// cancelled only when every caller waiting for it has given up.

interface Run<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

export class SharedRuns<T> {
  readonly #runs = new Map<string, Run<T>>();

  /** Run `work` for `key`, or join the run in progress. Rejects with `signal.reason` when `signal` aborts. */
  run(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    let run = this.#runs.get(key);
    if (run === undefined || run.controller.signal.aborted) {
      const controller = new AbortController();
      const started: Run<T> = {
        promise: Promise.resolve().then(() => work(controller.signal)),
        controller,
        waiters: 0,
      };
      const forget = (): void => {
        if (this.#runs.get(key) === started) this.#runs.delete(key);
      };
      started.promise.then(forget, forget);
      this.#runs.set(key, started);
      run = started;
    }
    return this.#wait(run, signal);
  }

  /** Keys with a run in progress. */
  get size(): number {
    return this.#runs.size;
  }

  #wait(run: Run<T>, signal: AbortSignal): Promise<T> {
    run.waiters += 1;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = (): boolean => {
        if (done) return false;
        done = true;
        run.waiters -= 1;
        signal.removeEventListener("abort", onAbort);
        return true;
      };
      const onAbort = (): void => {
        if (!leave()) return;
        if (run.waiters === 0) run.controller.abort(signal.reason);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      run.promise.then(
        (value) => {
          if (leave()) resolve(value);
        },
        (error: unknown) => {
          if (leave()) reject(error);
        },
      );
    });
  }
}
