// bosun's HTTP server: the JSON API, server-sent events, webhooks, /metrics, the probes and the dashboard.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { APPLICATION_API_VERSION, APPLICATION_KIND, type Application, DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { type CacheEvent, type KubeClient, KubeEventRecorder, WatchCache } from "../cluster/index.js";
import { registerActionRoutes } from "./action-routes.js";
import { registerAppRoutes } from "./app-routes.js";
import { appDetail, appSummary, viewChanged } from "./app-view.js";
import { type ApiTokens, projectOf, seesProject } from "./auth.js";
import { callerOf, installAuth } from "./auth-hook.js";
import { type ClusterStatuses, clusterNamer, HOME_ONLY } from "./cluster-view.js";
import { listApps, type ServerContext, visibleApps } from "./context.js";
import { defaultUiDir, registerDashboardRoutes } from "./dashboard-routes.js";
import { EventStreams } from "./event-stream.js";
import { registerFormRoutes } from "./form-routes.js";
import type { BosunMetrics } from "./metrics.js";
import { TokenStore } from "./token-store.js";
import { registerWebhookRoutes } from "./webhook-routes.js";

export interface ServerOptions {
  client: KubeClient;
  tokens: ApiTokens;
  /** A pino logger (JSON lines). */
  log: FastifyBaseLogger;
  /** Namespace of the Applications served; "" for all. */
  namespace: string;
  /** Reconcile an Application soon, re-fetching its source (the agent's requestRefresh). */
  refresh?: (key: string) => void;
  metrics?: BosunMetrics;
  /** Where diffs keep their git mirrors and rendered manifests. */
  cacheDir: string;
  /** Directories file:// repositories may be read from by diffs, as the agent allows them; none when absent. */
  allowFileRepos?: readonly string[];
  /** The agent's namespace, where Projects and the named API tokens live; default `namespace`, or bosun. */
  agentNamespace?: string;
  /** Largest request body accepted (webhooks included); default 1 MiB. */
  bodyLimit?: number;
  /** The built dashboard (index.html, app.js, app.css); default dist/ui of the package. */
  uiDir?: string;
  /** What the agent last saw of the clusters it deploys to (its Clusters.statuses()); default its own only, Reachable. */
  clusters?: () => ClusterStatuses;
}

/** An Application changed: each stream that may see it hears of it; one that saw it in its former project hears it go. */
function onAppEvent(ctx: Pick<ServerContext, "streams" | "clusters">, e: CacheEvent): void {
  const app = e.object as unknown as Application;
  const ref = { namespace: app.metadata.namespace, name: app.metadata.name };
  const project = projectOf(app);
  if (e.type === "DELETED") {
    ctx.streams.send("deleted", ref, (a) => a.sees(project));
    return;
  }
  const previous = e.previous as unknown as Application | undefined;
  const was = previous ? projectOf(previous) : project;
  if (was !== project) ctx.streams.send("deleted", ref, (a) => a.sees(was) && !a.sees(project));
  if (was !== project || viewChanged(previous, app))
    ctx.streams.send("application", appDetail(app, { clusterOf: clusterNamer(ctx.clusters()) }), (a) =>
      a.sees(project),
    );
}

function installRequestLog(server: FastifyInstance, ctx: ServerContext): void {
  server.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "(unmatched)";
    ctx.metrics?.observeHttp(req.method, route, reply.statusCode);
    // Never the body, the query or the headers: they may carry tokens or webhook payloads.
    req.log.info(
      { method: req.method, route, code: reply.statusCode, durationMs: Math.round(reply.elapsedTime) },
      "http request",
    );
  });
}

function registerServiceRoutes(server: FastifyInstance, ctx: ServerContext, ready: () => boolean): void {
  server.get("/healthz", async () => ({ status: "ok" }));
  server.get("/readyz", async (_req, reply) =>
    ready() ? { status: "ready" } : reply.code(503).send({ status: "starting" }),
  );
  server.get("/metrics", async (req, reply) => {
    if (!ctx.metrics) return reply.code(404).send({ error: "metrics are off" });
    // Metrics name every team's Applications: a token scoped to one project may not read them.
    if (callerOf(req)?.project !== undefined)
      return reply.code(403).send({ error: "metrics cover every project; a project-scoped token cannot read them" });
    return reply.type(ctx.metrics.contentType).send(await ctx.metrics.text());
  });
  // Who the token is: the dashboard disables what the role may not do (the actions check again).
  server.get("/api/whoami", async (req) => {
    const caller = callerOf(req);
    return { name: caller?.name, role: caller?.role, ...(caller?.project ? { project: caller.project } : {}) };
  });
  // Each stream carries the Applications its caller may see: the snapshot and every later change.
  server.get("/api/events/stream", (req, reply) => {
    const caller = callerOf(req);
    const clusterOf = clusterNamer(ctx.clusters());
    reply.hijack();
    ctx.streams.open(
      reply.raw,
      { event: "snapshot", data: { items: visibleApps(ctx, caller).map((app) => appSummary(app, clusterOf)) } },
      { sees: (project) => caller !== undefined && seesProject(caller, project), caller: caller?.name },
    );
  });
}

/**
 * The HTTP server, with its own watches of the Applications (list, detail and the event stream read from
 * it) and of the named API tokens in the agent's namespace. Resolves when both have their first list;
 * `close()` stops the watches and ends open streams.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: options.log,
    // One line per request comes from installRequestLog, without bodies or headers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  });
  const stopWatch = new AbortController();
  const streams = new EventStreams();
  const partial = { streams, metrics: options.metrics, clusters: options.clusters ?? (() => HOME_ONLY) };
  const apps = new WatchCache(options.client, {
    namespace: options.namespace || undefined,
    accept: () => true,
    onEvent: (e) => onAppEvent(partial, e),
    onError: (err) => options.log.warn({ error: err.message }, "Application watch interrupted; resuming"),
  });
  const ctx: ServerContext = {
    ...partial,
    client: options.client,
    apps,
    tokens: options.tokens,
    log: options.log,
    events: new KubeEventRecorder(options.client, (err) =>
      options.log.warn({ error: err.message }, "could not record an Event"),
    ),
    refresh: options.refresh,
    cacheDir: options.cacheDir,
    allowFileRepos: options.allowFileRepos ?? [],
    agentNamespace: options.agentNamespace ?? (options.namespace || DEFAULT_APP_NAMESPACE),
  };
  options.metrics?.readApplicationsFrom(() => listApps(ctx));
  let synced = false;
  server.addHook("preClose", async () => streams.close());
  const namedTokens = new TokenStore(options.client, {
    namespace: ctx.agentNamespace,
    onError: (err) => options.log.warn({ error: err.message }, "API token watch interrupted; resuming"),
    // A stream is authenticated once, when it opens: one a deleted or rotated token opened ends with it.
    onRevoked: (name) => streams.end((a) => a.caller === name),
  });
  server.addHook("onClose", async () => {
    stopWatch.abort();
    apps.stop();
    namedTokens.stop();
  });
  installAuth(server, options.tokens, () => namedTokens.entries());
  installRequestLog(server, ctx);
  server.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    req.log.error({ route: req.routeOptions.url, error: err.message }, "request failed");
    return reply.code(code).send({ error: err.message });
  });
  registerServiceRoutes(server, ctx, () => synced);
  registerDashboardRoutes(server, { uiDir: options.uiDir ?? defaultUiDir() });
  registerAppRoutes(server, ctx);
  registerActionRoutes(server, ctx);
  registerFormRoutes(server, ctx, { appNamespace: options.namespace });
  await registerWebhookRoutes(server, ctx);
  try {
    await Promise.all([
      namedTokens.start(stopWatch.signal),
      apps.watchKind(APPLICATION_API_VERSION, APPLICATION_KIND, stopWatch.signal),
    ]);
  } catch (err) {
    await server.close();
    throw err;
  }
  synced = true;
  return server;
}
