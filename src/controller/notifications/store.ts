// The delivery state, kept in a ConfigMap in the agent's namespace so it survives a restart (and is shared by
// replicas): every change is applied to the freshest state and written conditionally on its resourceVersion,
// so two writers never both claim one delivery. I/O.
import type { KubeObject } from "../../api/index.js";
import { apiErrorOf, type KubeClient } from "../../cluster/index.js";
import { type DeliveryState, emptyState, parseState, serializeState } from "./state.js";

/** The ConfigMap holding the delivery state, in the agent's namespace. */
export const STATE_CONFIGMAP = "bosun-notifications";
const DATA_KEY = "state.json";
const MAX_TRIES = 8;

export interface DeliveryStoreOptions {
  client: KubeClient;
  namespace: string;
  name?: string;
  signal: AbortSignal;
}

export class DeliveryStoreError extends Error {
  override name = "DeliveryStoreError";
}

export class DeliveryStore {
  private state: DeliveryState = emptyState();
  private resourceVersion: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly name: string;

  constructor(private readonly options: DeliveryStoreOptions) {
    this.name = options.name ?? STATE_CONFIGMAP;
  }

  /** The state as last read or written. */
  current(): DeliveryState {
    return this.state;
  }

  /** Reads the stored state (empty when there is none yet). */
  async load(): Promise<DeliveryState> {
    const cm = await this.options.client.get(
      { apiVersion: "v1", kind: "ConfigMap", namespace: this.options.namespace, name: this.name },
      this.options.signal,
    );
    const data = (cm as { data?: Record<string, string> } | undefined)?.data;
    this.state = parseState(data?.[DATA_KEY]);
    this.resourceVersion = cm?.metadata.resourceVersion;
    return this.state;
  }

  /**
   * Applies `change` to the freshest state and writes the result, one change at a time; a write that lost a
   * race reads again and applies the change again. `change` returns undefined to write nothing. Resolves with
   * its result once written (undefined when nothing was).
   */
  mutate<T>(change: (state: DeliveryState) => { state: DeliveryState; result: T } | undefined): Promise<T | undefined> {
    const run = this.chain.then(() => this.apply(change));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async apply<T>(
    change: (state: DeliveryState) => { state: DeliveryState; result: T } | undefined,
  ): Promise<T | undefined> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const next = change(this.state);
      if (!next) return undefined;
      try {
        await this.write(next.state);
        return next.result;
      } catch (err) {
        const api = apiErrorOf(err);
        if (!api?.isConflict && !api?.isNotFound) throw err;
        await this.load(); // another writer (or a create that raced ours) came first, or it was deleted
      }
    }
    throw new DeliveryStoreError(`the ConfigMap ${this.options.namespace}/${this.name} kept changing under each write`);
  }

  private async write(state: DeliveryState): Promise<void> {
    const { client, namespace, signal } = this.options;
    const object: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: this.name,
        namespace,
        labels: { "app.kubernetes.io/managed-by": "bosun", "app.kubernetes.io/component": "notifications" },
        ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}),
      },
      data: { [DATA_KEY]: serializeState(state) },
    } as KubeObject;
    const written = this.resourceVersion
      ? await client.update(object, signal)
      : (await client.create(object, { signal })).object;
    this.state = state;
    this.resourceVersion = written.metadata.resourceVersion;
  }
}
