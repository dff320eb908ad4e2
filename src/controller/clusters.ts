// The clusters one agent deploys to: its own (`in-cluster`) and those of the cluster Secrets in its
// namespace. Each has its own client (rate limit, connections), discovery, version and watch cache of the
// objects bosun tracks there. A cluster that cannot be reached is marked so and looked at again in the
// background, so its Applications fail fast (ClusterUnreachable) and never hold a worker the others need;
// when it answers again, they are woken.
import {
  ANNOTATIONS,
  type ApplicationDestination,
  destinationServer,
  errorMessage,
  IN_CLUSTER,
  type KubeObject,
} from "../api/index.js";
import {
  type CacheEvent,
  CLUSTER_SECRET_SELECTOR,
  ClusterSecretError,
  clusterFromSecret,
  KubeClient,
  type RequestObserver,
  ScopeTable,
  WatchCache,
} from "../cluster/index.js";
import type { GeneratorCluster } from "./appset-generators.js";
import { kubeVersionOf } from "./desired-types.js";
import type { Logger } from "./pass.js";
import { type DestinationCluster, findDestination } from "./project-policy.js";

/** One destination cluster as the agent reaches it. */
export interface ClusterConnection extends DestinationCluster {
  /** The agent's own cluster (where its Applications, Projects and Secrets live). */
  readonly home: boolean;
  /** The agent's identity there. */
  readonly client: KubeClient;
  /** The objects bosun tracks there, kept by watches. */
  readonly live: WatchCache;
  readonly scopes: ScopeTable;
  /** helm's --kube-version for this cluster, once it answered. */
  kubeVersion: string | undefined;
}

/** What a render learns of its destination cluster (helm's Capabilities, which kinds are namespaced). */
export interface ClusterCapabilities {
  isNamespaced: ScopeTable["isNamespaced"];
  apiVersions: () => string[];
  scopeGeneration: () => number;
  kubeVersion: string | undefined;
  destination: string;
}

export function renderCapabilities(c: ClusterConnection): ClusterCapabilities {
  return {
    isNamespaced: c.scopes.isNamespaced,
    apiVersions: c.scopes.apiVersions,
    scopeGeneration: () => c.scopes.generation,
    kubeVersion: c.kubeVersion,
    destination: c.server,
  };
}

/** The agent's last look at a cluster, as `bosun cluster list` and the dashboard show it. */
export interface ClusterStatus {
  state: "Reachable" | "Unreachable" | "Unknown";
  version?: string;
  message?: string;
  /** When the state last changed (ISO). */
  since?: string;
}

/** A cluster Secret the agent could not use: its Applications are UnknownCluster, the log and status say why. */
export interface RejectedClusterSecret {
  secret: string;
  message: string;
}

export interface ClustersOptions {
  home: ClusterConnection;
  agentNamespace: string;
  /** Client pace and request observer for the remote clusters' clients. */
  clientOptions: { qps?: number; burst?: number; observe?: RequestObserver };
  /** A tracked object changed on some cluster (its Application is reconciled). */
  onTracked: (event: CacheEvent) => void;
  /** Reconcile the Applications that deploy to this cluster (it came, went, changed or answers again). */
  wake: (cluster: DestinationCluster) => void;
  /** Whether this replica leads: only the leader writes the clusters' state on their Secrets. */
  isLeader?: () => boolean;
  log: Logger;
  signal: AbortSignal;
  /** How long an unreachable cluster is not asked again by a reconcile (the background probe goes on). */
  retryAfterMs?: number;
  now?: () => number;
}

const PROBE_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY_AFTER_MS = 10_000;
/** Remote clients give up sooner than the home one: an unreachable cluster must not hold a worker long. */
const REMOTE_RETRIES = 2;
/** A remote cluster that accepts connections and never answers is unreachable, not a stuck worker. */
const REMOTE_REQUEST_TIMEOUT_MS = 60_000;

class RemoteCluster implements ClusterConnection {
  readonly home = false;
  readonly client: KubeClient;
  readonly live: WatchCache;
  readonly scopes: ScopeTable;
  kubeVersion: string | undefined;
  status: ClusterStatus = { state: "Unknown" };
  lastProbe = 0;
  probing: Promise<Error | undefined> | undefined;
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly server: string,
    readonly secret: KubeObject,
    client: KubeClient,
    onTracked: (event: CacheEvent) => void,
    onError: (err: Error, kind: string) => void,
  ) {
    this.client = client;
    this.live = new WatchCache(client, { onEvent: onTracked, onError });
    this.scopes = new ScopeTable(client);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.live.stop();
  }
}

/** Data and labels: what defines a cluster (the agent's own status annotation does not). */
function definition(secret: KubeObject): string {
  const { data, stringData } = secret as { data?: unknown; stringData?: unknown };
  return JSON.stringify([data, stringData, secret.metadata.labels]);
}

/** Whether a destination names this cluster (by name or server): its Applications to wake when it changes. */
export function destinedTo(dest: ApplicationDestination, cluster: DestinationCluster): boolean {
  const server = destinationServer(dest);
  if (server === undefined && !dest.name) return cluster.server === IN_CLUSTER.server;
  return dest.name === cluster.name || server === cluster.server;
}

export class Clusters {
  private readonly remotes = new Map<string, RemoteCluster>();
  private readonly rejected = new Map<string, RejectedClusterSecret>();
  private readonly secrets: WatchCache;
  private readonly now: () => number;

  constructor(private readonly options: ClustersOptions) {
    this.now = options.now ?? Date.now;
    this.secrets = new WatchCache(options.home.client, {
      namespace: options.agentNamespace,
      labelSelector: CLUSTER_SECRET_SELECTOR,
      accept: () => true,
      onEvent: (e) => this.secretChanged(e),
      onError: (err) => options.log.warn({ error: err.message }, "cluster Secret watch interrupted; resuming"),
    });
  }

  async start(): Promise<void> {
    await this.secrets.watchKind("v1", "Secret", this.options.signal);
  }

  get home(): ClusterConnection {
    return this.options.home;
  }

  /** Every cluster the agent knows, its own first. */
  known(): ClusterConnection[] {
    return [this.options.home, ...[...this.remotes.values()].sort((a, b) => a.name.localeCompare(b.name))];
  }

  /** The cluster a destination names, or undefined when the agent knows none by that name or server. */
  resolve(dest: ApplicationDestination): ClusterConnection | undefined {
    return findDestination(dest, this.known());
  }

  /** Each known cluster with its Secret's labels and annotations (the ApplicationSet clusters generator). */
  generatorClusters(): GeneratorCluster[] {
    return this.known().map((c) => {
      const meta = c instanceof RemoteCluster ? c.secret.metadata : {};
      const annotations = { ...(meta.annotations ?? {}) };
      delete annotations[ANNOTATIONS.clusterStatus];
      return { name: c.name, server: c.server, labels: { ...(meta.labels ?? {}) }, annotations };
    });
  }

  /** What the agent last saw of each cluster, and the cluster Secrets it could not use. */
  statuses(): { clusters: Array<DestinationCluster & ClusterStatus>; rejected: RejectedClusterSecret[] } {
    return {
      clusters: this.known().map((c) =>
        c instanceof RemoteCluster
          ? { name: c.name, server: c.server, ...c.status }
          : { name: c.name, server: c.server, state: "Reachable", version: c.kubeVersion },
      ),
      rejected: [...this.rejected.values()],
    };
  }

  /**
   * Whether the cluster can be worked on now: undefined, or the error that says it cannot be reached. An
   * unreachable cluster is asked again at most every retryAfterMs; concurrent callers share one probe.
   */
  async ready(connection: ClusterConnection, signal: AbortSignal): Promise<Error | undefined> {
    if (!(connection instanceof RemoteCluster)) {
      await connection.scopes.refresh(signal).catch(() => undefined);
      return undefined;
    }
    const c = connection;
    const retryAfter = this.options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    if (c.status.state === "Unreachable" && this.now() - c.lastProbe < retryAfter)
      return new Error(this.unreachableMessage(c));
    if (c.status.state === "Reachable") {
      await c.scopes.refresh(signal).catch(() => undefined);
      return undefined;
    }
    c.probing ??= this.probe(c, signal).finally(() => {
      c.probing = undefined;
    });
    return await c.probing;
  }

  /** A request to the cluster failed to connect: its Applications wait for the background probe. */
  markUnreachable(connection: ClusterConnection, err: unknown): void {
    if (connection instanceof RemoteCluster)
      this.setStatus(connection, { state: "Unreachable", message: errorMessage(err) });
  }

  stop(): void {
    this.secrets.stop();
    for (const c of this.remotes.values()) c.stop();
    this.remotes.clear();
  }

  private unreachableMessage(c: RemoteCluster): string {
    return `cluster ${c.name} (${c.server}) is unreachable: ${c.status.message ?? "no answer"}; nothing is applied or pruned there until it answers`;
  }

  private async probe(c: RemoteCluster, signal: AbortSignal): Promise<Error | undefined> {
    c.lastProbe = this.now();
    try {
      const timeout = AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]);
      const version = await c.client.serverVersion(timeout);
      await c.scopes.refresh(timeout, 0);
      c.kubeVersion = kubeVersionOf(version.gitVersion);
      this.setStatus(c, { state: "Reachable", version: c.kubeVersion });
      return undefined;
    } catch (err) {
      if (signal.aborted) throw err;
      this.setStatus(c, { state: "Unreachable", message: errorMessage(err) });
      return new Error(this.unreachableMessage(c));
    }
  }

  /** Records a change of state: logged, written on the Secret, and a probe scheduled while unreachable. */
  private setStatus(c: RemoteCluster, next: Omit<ClusterStatus, "since">): void {
    const changed = c.status.state !== next.state;
    c.status = {
      ...next,
      ...(next.version === undefined && c.kubeVersion ? { version: c.kubeVersion } : {}),
      since: changed || !c.status.since ? new Date(this.now()).toISOString() : c.status.since,
    };
    if (next.state === "Unreachable") {
      c.lastProbe = this.now();
      this.scheduleProbe(c);
    }
    if (!changed) return;
    const fields = { cluster: c.name, server: c.server, state: next.state, message: next.message };
    if (next.state === "Unreachable") this.options.log.warn(fields, "cluster unreachable");
    else this.options.log.info(fields, "cluster reachable");
    void this.publish(c);
    // Reachable again: its Applications converge now rather than at their next backoff.
    if (next.state === "Reachable") this.options.wake(c);
  }

  private scheduleProbe(c: RemoteCluster): void {
    if (c.timer || this.options.signal.aborted) return;
    c.timer = setTimeout(() => {
      c.timer = undefined;
      if (this.remotes.get(c.secret.metadata.name ?? "") !== c) return;
      c.probing ??= this.probe(c, this.options.signal)
        .catch(() => undefined)
        .finally(() => {
          c.probing = undefined;
        });
    }, this.options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
    c.timer.unref();
  }

  /** The state on the cluster Secret's annotation, for `bosun cluster list` (which needs no agent API). */
  private async publish(c: RemoteCluster): Promise<void> {
    if (this.options.isLeader && !this.options.isLeader()) return;
    try {
      await this.options.home.client.mergePatch(
        {
          apiVersion: "v1",
          kind: "Secret",
          namespace: this.options.agentNamespace,
          name: c.secret.metadata.name ?? "",
        },
        { metadata: { annotations: { [ANNOTATIONS.clusterStatus]: JSON.stringify(c.status) } } },
        { signal: this.options.signal },
      );
    } catch (err) {
      if (!this.options.signal.aborted)
        this.options.log.warn({ cluster: c.name, error: errorMessage(err) }, "could not record the cluster's state");
    }
  }

  private secretChanged(e: CacheEvent): void {
    const key = e.object.metadata.name ?? "";
    if (e.type === "MODIFIED" && e.previous && definition(e.previous) === definition(e.object)) return;
    const old = this.remotes.get(key);
    if (old) {
      old.stop();
      this.remotes.delete(key);
      this.options.wake(old);
    }
    this.rejected.delete(key);
    if (e.type === "DELETED") return;
    try {
      const entry = clusterFromSecret(e.object);
      const clash = this.known().find((c) => c.name === entry.name || c.server === entry.server);
      if (clash)
        throw new ClusterSecretError(
          `cluster Secret ${key}: ${clash.name === entry.name ? `name ${entry.name}` : `server ${entry.server}`} is already cluster ${clash.name}'s`,
        );
      const client = new KubeClient(entry.config, {
        ...this.options.clientOptions,
        retries: REMOTE_RETRIES,
        requestTimeoutMs: REMOTE_REQUEST_TIMEOUT_MS,
      });
      const remote = new RemoteCluster(
        entry.name,
        entry.server,
        e.object,
        client,
        this.options.onTracked,
        (err, kind) =>
          this.options.log.warn({ cluster: entry.name, kind, error: err.message }, "watch interrupted; resuming"),
      );
      this.remotes.set(key, remote);
      this.options.log.info({ cluster: entry.name, server: entry.server, secret: key }, "cluster added");
      this.options.wake(remote);
    } catch (err) {
      const message = errorMessage(err);
      this.rejected.set(key, { secret: key, message });
      this.options.log.warn({ secret: key, error: message }, "cluster Secret not used");
    }
  }
}
