import { setMaxListeners } from "node:events";
import { join } from "node:path";
import {
  ANNOTATIONS,
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  APPLICATION_SET_API_VERSION,
  APPLICATION_SET_KIND,
  type Application,
  applicationCrd,
  applicationSetCrd,
  DEFAULT_APP_NAMESPACE,
  DEFAULT_PROJECT,
  defaultProject,
  errorMessage,
  GROUP,
  IN_CLUSTER,
  type KubeObject,
  NOTIFIER_API_VERSION,
  NOTIFIER_KIND,
  notifierCrd,
  PROJECT_API_VERSION,
  PROJECT_KIND,
  parseTrackingId,
  projectCrd,
  type ReconciledBy,
} from "../api/index.js";
import {
  ApiError,
  ApplicationClient,
  apiErrorOf,
  applyObjects,
  type CacheEvent,
  DEFAULT_BACKOFF,
  KubeClient,
  KubeEventRecorder,
  loadClusterConfig,
  type RequestObserver,
  ScopeTable,
  WatchCache,
} from "../cluster/index.js";
import { Renderer } from "../render/index.js";
import { ChartSource, GitSource } from "../source/index.js";
import { ApplicationSets } from "./application-sets.js";
import { type ClusterConnection, Clusters, destinedTo } from "./clusters.js";
import { dependentsOf } from "./dependencies.js";
import { kubeVersionOf } from "./desired-state.js";
import { LeaderElector } from "./leader-election.js";
import { NotificationDispatcher } from "./notifications/dispatcher.js";
import { type AgentObserver, guardedObserver } from "./observer.js";
import { ProjectAccess } from "./project-access.js";
import { appKeyString, type Logger, parseAppKey, Reconciler } from "./reconciler.js";
import { ShardCoordinator } from "./shard-coordinator.js";
import { shardOf } from "./shards.js";
import { watchValueSources } from "./values-watch.js";
import { WorkQueue } from "./work-queue.js";

export interface AgentOptions {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  /** Namespace of the Applications to reconcile; "" for all namespaces. */
  namespace: string;
  /**
   * The agent's own namespace: its Projects, API tokens and keys, which no Application may write unless a
   * Project names it literally. Default: `namespace`, or `bosun` when that is "".
   */
  agentNamespace?: string;
  /** Directories `file://` repositories may be read from; none when absent. */
  allowFileRepos?: readonly string[];
  /** The API client's pace: requests a second and burst (client-go's 50 and 100 by default). */
  kubeQps?: number;
  kubeBurst?: number;
  concurrency: number;
  /** Git mirrors, checkouts and the render cache live here. */
  cacheDir: string;
  log: Logger;
  signal: AbortSignal;
  /** Sees every API request the agent makes (metrics, benchmarks). */
  observeRequests?: RequestObserver;
  /** Hears of every reconcile, sync, drift correction, git fetch and render (metrics, benchmarks). */
  observe?: AgentObserver;
  /**
   * Run as one of several replicas: only the holder of the Lease `bosun-agent` in the agent's namespace
   * reconciles (the others keep their caches warm and take over when it goes).
   */
  leaderElection?: { identity: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /**
   * Run as one of several replicas sharing the Applications: each reconciles those of the shards whose Leases
   * (`bosun-agent-shard-K`) it holds; the holder of shard 0 also does what one replica must (ApplicationSets,
   * clusters' state, Sealed Secrets). Supersedes leaderElection.
   */
  sharding?: {
    shards: number;
    identity: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
  /** Where users reach the dashboard (an http or https URL): notifications link to each Application there. */
  dashboardUrl?: string;
}

export interface Agent {
  client: KubeClient;
  /** The clusters it deploys to: its own and those of the cluster Secrets in its namespace. */
  clusters: Clusters;
  queue: WorkQueue;
  /** Reconciles key soon, fetching its source from the remote first (webhooks, refresh requests). */
  requestRefresh: (key: string) => void;
  /** Whether this replica leads (always, without leader election; holding shard 0, with sharding). */
  isLeader: () => boolean;
  /** The shards this replica holds (with sharding). */
  heldShards: () => number[];
  /**
   * Calls `listener` each time this replica starts leading, with a signal that aborts when that term ends;
   * at once when it leads already (from the start, without leader election). Returns an unsubscribe.
   */
  onLeading: (listener: (term: AbortSignal) => void) => () => void;
  /** Resolves when the agent stopped (its signal aborted). */
  done: Promise<void>;
}

const CHECKOUT_TTL_MS = 24 * 3600_000;
/** The Lease the replicas of one agent elect their leader with, in the agent's namespace. */
export const LEASE_NAME = "bosun-agent";
const CHECKOUT_CLEANUP_EVERY_MS = 3600_000;

/** What of an Application's change calls for a reconcile (not its status, which bosun itself writes). */
function specOrRequestChanged(e: CacheEvent): boolean {
  if (e.type !== "MODIFIED" || !e.previous) return true;
  const a = e.previous.metadata;
  const b = e.object.metadata;
  return (
    a.generation !== b.generation ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {}) ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify(a.finalizers ?? []) !== JSON.stringify(b.finalizers ?? [])
  );
}

/** Installs a CRD of bosun's when its kind is not served (the agent may lack the right: `bosun install` has it). */
async function ensureCrd(
  client: KubeClient,
  crd: KubeObject,
  apiVersion: string,
  kind: string,
  signal: AbortSignal,
): Promise<void> {
  if (await client.discovery.lookup(apiVersion, kind, signal)) return;
  const [result] = await applyObjects(client, [crd], { signal });
  if (result?.error) throw result.error;
  for (let i = 0; i < 300; i++) {
    if (await client.discovery.lookup(apiVersion, kind, signal)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the ${kind} CRD was not served within 60s of installing it`);
}

/** The `default` project, when missing: created with the agent's own identity (`bosun install` names a deployer). */
async function ensureDefaultProject(client: KubeClient, namespace: string, signal: AbortSignal): Promise<void> {
  const ref = { apiVersion: PROJECT_API_VERSION, kind: PROJECT_KIND, namespace, name: DEFAULT_PROJECT };
  if (await client.get(ref, signal)) return;
  await client.ensureNamespace(namespace, signal);
  try {
    await client.create(defaultProject(namespace) as unknown as KubeObject, { signal });
  } catch (err) {
    if (!apiErrorOf(err)?.isConflict) throw err; // another replica made it first
  }
}

/** The bosun agent: watches Applications and the objects they manage, and reconciles them. */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { log, signal } = options;
  // One abort listener per watched kind and per in-flight request hangs off this signal.
  setMaxListeners(0, signal);
  const client = new KubeClient(
    loadClusterConfig({ kubeconfig: options.kubeconfig, context: options.context, inCluster: options.inCluster }),
    { observe: options.observeRequests, qps: options.kubeQps, burst: options.kubeBurst },
  );
  const agentNamespace = options.agentNamespace ?? (options.namespace || DEFAULT_APP_NAMESPACE);
  await ensureCrd(client, applicationCrd(), APPLICATION_API_VERSION, APPLICATION_KIND, signal);
  await ensureCrd(client, projectCrd(), PROJECT_API_VERSION, PROJECT_KIND, signal);
  await ensureCrd(client, applicationSetCrd(), APPLICATION_SET_API_VERSION, APPLICATION_SET_KIND, signal);
  await ensureCrd(client, notifierCrd(), NOTIFIER_API_VERSION, NOTIFIER_KIND, signal);
  await ensureDefaultProject(client, agentNamespace, signal);
  const version = (await client.serverVersion(signal)).gitVersion;
  const scopes = new ScopeTable(client);
  await scopes.refresh(signal, 0);

  const observe = guardedObserver(options.observe, log);
  const renderer = new Renderer({ cacheDir: join(options.cacheDir, "render") });
  const git = new GitSource({
    cacheDir: join(options.cacheDir, "git"),
    fileRepos: { roots: options.allowFileRepos ?? [] },
  });
  const charts = new ChartSource({ cacheDir: join(options.cacheDir, "charts") });
  let reconciler: Reconciler | undefined;
  // Without leader election the agent leads from the start; with it, for as long as it holds the Lease (with
  // sharding, shard 0's).
  const elected = options.leaderElection !== undefined || options.sharding !== undefined;
  let coordinator: ShardCoordinator | undefined;
  let leading: AbortSignal | undefined = elected ? undefined : signal;
  const isLeader = () => leading !== undefined && !leading.aborted;
  const leadingListeners = new Set<(term: AbortSignal) => void>();
  const onLeading = (listener: (term: AbortSignal) => void) => {
    leadingListeners.add(listener);
    if (leading && !leading.aborted) listener(leading);
    return () => void leadingListeners.delete(listener);
  };
  const queue = new WorkQueue(
    async (key) => {
      const term = termFor(key);
      if (!term || term.aborted) return; // a standby: the holder reconciles; this one is woken when it holds it
      try {
        await reconciler?.reconcile(key, term);
      } catch (err) {
        if (err instanceof ApiError && err.isConflict) {
          log.debug?.({ app: key }, "the Application changed while it was reconciled; reconciling again");
          throw err;
        }
        if (!term.aborted)
          log.error(
            {
              app: key,
              outcome: "error",
              error: errorMessage(err),
              failures: queue.failuresOf(key) + 1,
            },
            "reconcile failed; retrying with backoff",
          );
        throw err;
      }
    },
    { concurrency: options.concurrency, backoff: { ...DEFAULT_BACKOFF, baseMs: 1000, maxMs: 60_000 } },
  );
  const apps = new WatchCache(client, {
    namespace: options.namespace || undefined,
    accept: () => true,
    onEvent: (e) => {
      const key = { namespace: e.object.metadata.namespace ?? "", name: e.object.metadata.name ?? "" };
      if (specOrRequestChanged(e)) {
        queue.add(appKeyString(key));
        // A generated Application edited or deleted by hand: its set puts it back as generated.
        appSets.wakeOwnerOf(e.object);
      }
      // Its status moved (or it came or went): what depends on it may start now, or must say why it waits.
      for (const dependent of dependentsOf(apps.list() as unknown as Application[], key))
        queue.add(appKeyString(dependent.metadata));
      // Gone: what it depended on may be waiting to be deleted after it (cascade delete in reverse order).
      if (e.type === "DELETED")
        for (const dep of (e.object as unknown as Application).spec?.dependsOn ?? [])
          queue.add(appKeyString({ namespace: dep.namespace || key.namespace, name: dep.name }));
    },
    onError: (err) => log.warn({ error: err.message }, "Application watch interrupted; resuming"),
  });
  /** The term under which this replica may reconcile key now: its shard's, the leader's, or the agent's. */
  const shards = options.sharding?.shards ?? 1;
  const shardOfKey = (key: string): number => {
    const k = parseAppKey(key);
    const app = apps.get({ group: GROUP, kind: APPLICATION_KIND, namespace: k.namespace, name: k.name });
    return shardOf(app ?? { metadata: k }, shards);
  };
  const termFor = (key: string): AbortSignal | undefined =>
    coordinator ? coordinator.termOf(shardOfKey(key)) : leading;
  const replicaOf = (key: string): ReconciledBy | undefined => {
    const replica = options.sharding?.identity ?? options.leaderElection?.identity;
    if (!replica) return undefined;
    return coordinator ? { replica, shard: shardOfKey(key) } : { replica };
  };
  const onTracked = (e: CacheEvent) => {
    const owner = parseTrackingId((e.object as KubeObject).metadata.annotations?.[ANNOTATIONS.trackingId] ?? "");
    if (owner) queue.add(appKeyString(owner.app));
  };
  const home: ClusterConnection = {
    ...IN_CLUSTER,
    home: true,
    client,
    live: new WatchCache(client, {
      onEvent: onTracked,
      onError: (err, kind) => log.warn({ kind, error: err.message }, "watch interrupted; resuming"),
    }),
    scopes,
    kubeVersion: kubeVersionOf(version),
  };
  const clusters = new Clusters({
    home,
    agentNamespace,
    clientOptions: { observe: options.observeRequests, qps: options.kubeQps, burst: options.kubeBurst },
    onTracked,
    wake: (cluster) => {
      for (const app of apps.list() as unknown as Application[])
        if (destinedTo(app.spec.destination, cluster)) queue.add(appKeyString(app.metadata));
      appSets.wakeAll();
    },
    isLeader,
    log,
    signal,
  });
  const projects = new WatchCache(client, {
    namespace: agentNamespace,
    accept: () => true,
    onEvent: (e) => {
      const name = e.object.metadata.name ?? "";
      for (const app of access.affected(apps.list() as unknown as Application[], name))
        queue.add(appKeyString(app.metadata));
    },
    onError: (err) => log.warn({ error: err.message }, "Project watch interrupted; resuming"),
  });
  const appSets = new ApplicationSets({
    client,
    namespace: agentNamespace,
    apps,
    clusters: () => clusters.generatorClusters(),
    git,
    isLeader,
    log,
    signal,
  });
  const access = new ProjectAccess({
    projects,
    resolveCluster: (dest) => clusters.resolve(dest),
    agentNamespace,
  });
  // The Notifiers of the agent's namespace hear of the Events recorded on Applications, in the background.
  const notifications = new NotificationDispatcher({
    client,
    namespace: agentNamespace,
    log,
    signal,
    observe: (e) => observe.notified?.(e),
    ...(options.dashboardUrl ? { dashboardUrl: options.dashboardUrl } : {}),
  });
  reconciler = new Reconciler({
    apps,
    applications: new ApplicationClient(client.rest),
    access,
    clusters,
    desired: {
      client,
      git,
      charts,
      render: (request) => renderer.render(request),
      observe,
    },
    events: new KubeEventRecorder(client, (err) => log.warn({ error: err.message }, "could not record an Event")),
    log,
    now: Date.now,
    requeue: (key, ms) => queue.addAfter(key, ms),
    replicaOf,
    backOff: (key, capMs) => queue.backOff(key, capMs),
    observe,
    notices: notifications,
  });
  await projects.watchKind(PROJECT_API_VERSION, PROJECT_KIND, signal);
  await notifications.start();
  await clusters.start();
  await apps.watchKind(APPLICATION_API_VERSION, APPLICATION_KIND, signal);
  await appSets.start();
  if (options.namespace) {
    await watchValueSources({
      client,
      namespace: options.namespace,
      applications: () => apps.list() as unknown as Application[],
      wake: (app) => queue.add(appKeyString(app.metadata)),
      onError: (err, kind) => log.warn({ kind, error: err.message }, "values watch interrupted; resuming"),
      signal,
    });
  }
  const startLeading = (term: AbortSignal) => {
    leading = term;
    appSets.wakeAll();
    for (const listener of leadingListeners) listener(term);
  };
  const sharding = options.sharding;
  coordinator = sharding
    ? new ShardCoordinator({
        client,
        namespace: agentNamespace,
        prefix: LEASE_NAME,
        ...sharding,
        onStarted: (k, term) => {
          log.info({ identity: sharding.identity, shard: k }, "holding shard: reconciling its Applications");
          if (k === 0) startLeading(term);
          // The coordinator holds k already, so a key the queue runs at once is this replica's to reconcile.
          for (const app of apps.list()) {
            const key = appKeyString({ namespace: app.metadata.namespace ?? "", name: app.metadata.name ?? "" });
            if (shardOf(app, sharding.shards) === k) queue.add(key);
          }
        },
        log,
      })
    : undefined;
  const elector =
    options.leaderElection && !sharding
      ? new LeaderElector({
          client,
          namespace: agentNamespace,
          name: LEASE_NAME,
          ...options.leaderElection,
          onStartedLeading: (term) => {
            log.info({ identity: options.leaderElection?.identity, lease: LEASE_NAME }, "leading: reconciling");
            startLeading(term); // first: the queue may run a key at once, and a standby's run does nothing
            for (const app of apps.list())
              queue.add(appKeyString({ namespace: app.metadata.namespace ?? "", name: app.metadata.name ?? "" }));
          },
          onStoppedLeading: () =>
            log.warn({ identity: options.leaderElection?.identity }, "no longer leading: stopped reconciling"),
          onNewLeader: (holder) => log.info({ leader: holder }, "leader"),
        })
      : undefined;
  const electing = (elector?.run(signal) ?? coordinator?.run(signal) ?? Promise.resolve()).catch((err: unknown) =>
    log.error({ error: errorMessage(err) }, "leader election failed: this replica does not reconcile"),
  );
  log.info(
    {
      server: client.rest.config.server,
      namespace: options.namespace || "(all)",
      agentNamespace,
      concurrency: options.concurrency,
    },
    "bosun agent started",
  );
  // Checkouts and unpacked charts are content-addressed and reused; the ones no Application has used for a day go.
  const cleanup = setInterval(() => {
    git
      .cleanupCheckouts({ signal, unusedForMs: CHECKOUT_TTL_MS })
      .then((removed) => removed.length > 0 && log.info({ removed: removed.length }, "removed unused checkouts"))
      .catch((err: unknown) => log.warn({ error: errorMessage(err) }, "checkout cleanup failed"));
    charts
      .cleanup({ signal, unusedForMs: CHECKOUT_TTL_MS })
      .then((removed) => removed.length > 0 && log.info({ removed: removed.length }, "removed unused charts"))
      .catch((err: unknown) => log.warn({ error: errorMessage(err) }, "chart cleanup failed"));
  }, CHECKOUT_CLEANUP_EVERY_MS);
  cleanup.unref();
  const done = new Promise<void>((resolve) => {
    signal.addEventListener(
      "abort",
      () => {
        clearInterval(cleanup);
        queue.stop();
        apps.stop();
        projects.stop();
        home.live.stop();
        clusters.stop();
        appSets.stop();
        // A leader gives the Lease up before it says it stopped, so a standby takes over at once.
        void Promise.all([electing, notifications.done()]).finally(() => {
          log.info({}, "bosun agent stopped");
          resolve();
        });
      },
      { once: true },
    );
  });
  const requestRefresh = (key: string) => {
    reconciler?.requestRefresh(key);
    queue.add(key);
  };
  const heldShards = () => coordinator?.heldShards() ?? [];
  return { client, queue, clusters, requestRefresh, isLeader, heldShards, onLeading, done };
}
