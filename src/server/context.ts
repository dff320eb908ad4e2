import type { AppKey, Application } from "../api/index.js";
import type { KubeClient, KubeEventRecorder, WatchCache } from "../cluster/index.js";
import type { Logger } from "../controller/index.js";
import type { AppLookup } from "./app-view.js";
import { type ApiTokens, type Caller, maySee } from "./auth.js";
import type { ClusterStatuses } from "./cluster-view.js";
import type { EventStreams } from "./event-stream.js";
import type { BosunMetrics } from "./metrics.js";

/** What the route handlers share. */
export interface ServerContext {
  client: KubeClient;
  /** Applications, kept by the server's own watch. */
  apps: WatchCache;
  tokens: ApiTokens;
  log: Logger;
  events: KubeEventRecorder;
  streams: EventStreams;
  metrics?: BosunMetrics;
  /** Reconcile key soon, re-fetching its source; absent when no agent runs in this process. */
  refresh?: (key: string) => void;
  /** Where diffs keep their git mirrors and rendered manifests. */
  cacheDir: string;
  /** Directories file:// repositories may be read from by diffs. */
  allowFileRepos: readonly string[];
  /** Where Projects live. */
  agentNamespace: string;
  /** What the agent last saw of the clusters it deploys to (only its own, Reachable, without an agent). */
  clusters: () => ClusterStatuses;
}

export interface AppParams {
  namespace: string;
  name: string;
}

/** The Application the path names, when the caller may see it (another project's is as absent as a missing one). */
export function findApp(
  ctx: Pick<ServerContext, "apps">,
  params: AppParams,
  caller: Caller | undefined,
): Application | undefined {
  const app = ctx.apps.get({
    group: "bosun.dev",
    kind: "Application",
    namespace: params.namespace,
    name: params.name,
  }) as Application | undefined;
  return app && maySee(caller, app) ? app : undefined;
}

/** Finds the Applications the caller may see, by key (what the detail's dependsOn shows). */
export function appLookup(ctx: Pick<ServerContext, "apps">, caller: Caller | undefined): AppLookup {
  return (key: AppKey) => findApp(ctx, key, caller);
}

/** Every Application, sorted by namespace and name (for what is fleet-wide: metrics, webhooks). */
export function listApps(ctx: Pick<ServerContext, "apps">): Application[] {
  return (ctx.apps.list() as unknown as Application[]).sort(
    (a, b) =>
      a.metadata.namespace.localeCompare(b.metadata.namespace) || a.metadata.name.localeCompare(b.metadata.name),
  );
}

/** The Applications the caller may see, sorted; none without a caller. */
export function visibleApps(ctx: Pick<ServerContext, "apps">, caller: Caller | undefined): Application[] {
  return listApps(ctx).filter((app) => maySee(caller, app));
}
