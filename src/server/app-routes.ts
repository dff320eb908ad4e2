// Read-only routes: Applications, their diff, history, drift records and Events; the clusters they deploy to.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Application } from "../api/index.js";
import { AppDiffRefusedError, appDiff, listAppResources } from "../controller/index.js";
import { appDetail, appSummary } from "./app-view.js";
import { callerOf } from "./auth-hook.js";
import { clusterNamer, clustersView } from "./cluster-view.js";
import { type AppParams, appLookup, findApp, type ServerContext, visibleApps } from "./context.js";

const DIFF_TIMEOUT_MS = 120_000;
export const APP_PATH = "/api/applications/:namespace/:name";

interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

function notFound(reply: FastifyReply, params: AppParams): FastifyReply {
  return reply.code(404).send({ error: `Application ${params.namespace}/${params.name} not found` });
}

/** Runs fn with the Application the path names, or answers 404 (also for one of a project the caller may not see). */
async function withApp(
  ctx: ServerContext,
  req: FastifyRequest<{ Params: AppParams }>,
  reply: FastifyReply,
  fn: (app: Application) => unknown,
): Promise<unknown> {
  const app = findApp(ctx, req.params, callerOf(req));
  if (!app) return notFound(reply, req.params);
  return await fn(app);
}

async function appEvents(ctx: ServerContext, app: Application): Promise<object[]> {
  const { items } = await ctx.client.list("v1", "Event", {
    namespace: app.metadata.namespace,
    fieldSelector: `involvedObject.kind=Application,involvedObject.name=${app.metadata.name}`,
    signal: AbortSignal.timeout(30_000),
  });
  const events = (items as unknown as KubeEvent[]).map((e) => ({
    type: e.type,
    reason: e.reason,
    message: e.message,
    count: e.count ?? 1,
    firstTimestamp: e.firstTimestamp ?? e.eventTime,
    lastTimestamp: e.lastTimestamp ?? e.eventTime,
    source: e.reportingComponent || e.source?.component,
  }));
  return events.sort((a, b) => String(a.lastTimestamp ?? "").localeCompare(String(b.lastTimestamp ?? "")));
}

export function registerAppRoutes(server: FastifyInstance, ctx: ServerContext): void {
  server.get("/api/applications", async (req) => {
    const clusterOf = clusterNamer(ctx.clusters());
    return { items: visibleApps(ctx, callerOf(req)).map((app) => appSummary(app, clusterOf)) };
  });

  server.get<{ Params: AppParams }>(APP_PATH, async (req, reply) =>
    withApp(ctx, req, reply, (app) =>
      appDetail(app, { clusterOf: clusterNamer(ctx.clusters()), lookup: appLookup(ctx, callerOf(req)) }),
    ),
  );

  // Every cluster, with how many of the caller's Applications deploy to it; read-only, for any caller.
  server.get("/api/clusters", async (req) => clustersView(ctx.clusters(), visibleApps(ctx, callerOf(req))));

  server.get<{ Params: AppParams }>(`${APP_PATH}/history`, async (req, reply) =>
    withApp(ctx, req, reply, (app) => ({ items: app.status?.history ?? [] })),
  );

  server.get<{ Params: AppParams }>(`${APP_PATH}/resources`, async (req, reply) =>
    withApp(ctx, req, reply, async (app) => ({
      items: await listAppResources(ctx.client, app, AbortSignal.timeout(DIFF_TIMEOUT_MS)),
    })),
  );

  server.get<{ Params: AppParams }>(`${APP_PATH}/drift`, async (req, reply) =>
    withApp(ctx, req, reply, (app) => ({ items: app.status?.drift ?? [] })),
  );

  server.get<{ Params: AppParams }>(`${APP_PATH}/events`, async (req, reply) =>
    withApp(ctx, req, reply, async (app) => ({ items: await appEvents(ctx, app) })),
  );

  server.get<{ Params: AppParams }>(`${APP_PATH}/diff`, async (req, reply) =>
    withApp(ctx, req, reply, async (app) => {
      // The diff module masks Secret values; nothing else of a Secret is in its text.
      let diff: Awaited<ReturnType<typeof appDiff>>;
      try {
        diff = await appDiff(ctx.client, app, {
          cacheDir: ctx.cacheDir,
          agentNamespace: ctx.agentNamespace,
          fileRepos: { roots: ctx.allowFileRepos },
          signal: AbortSignal.timeout(DIFF_TIMEOUT_MS),
        });
      } catch (err) {
        if (err instanceof AppDiffRefusedError) return reply.code(409).send({ error: err.message });
        throw err;
      }
      return {
        revision: diff.revision.sha,
        revisionMessage: diff.revision.message,
        differs: diff.differs,
        diff: diff.text,
      };
    }),
  );
}
