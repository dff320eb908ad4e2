// Read-only routes: Applications, their diff, history, drift records and Events; the clusters they deploy to.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Application } from "../api/index.js";
import {
  AppDiffRefusedError,
  appDiff,
  appResourceManifests,
  compareHistory,
  listAppResources,
  pickEntries,
  readAppTree,
} from "../controller/index.js";
import { type AppQuery, AppQueryError, parseAppQuery, queryApps } from "./app-query.js";
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
  // Filtered and paged by the query (see app-query.ts); without one, every Application the caller may see.
  server.get<{ Querystring: Record<string, unknown> }>("/api/applications", async (req, reply) => {
    let query: AppQuery;
    try {
      query = parseAppQuery(req.query);
    } catch (err) {
      if (err instanceof AppQueryError) return reply.code(400).send({ error: err.message });
      throw err;
    }
    const clusterOf = clusterNamer(ctx.clusters());
    return queryApps(
      visibleApps(ctx, callerOf(req)).map((app) => appSummary(app, clusterOf)),
      query,
    );
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

  // Two syncs compared: the source rendered at each entry's revision (with today's spec), Secret values masked.
  server.get<{ Params: AppParams; Querystring: { from?: string; to?: string } }>(
    `${APP_PATH}/history/compare`,
    async (req, reply) =>
      withApp(ctx, req, reply, async (app) => {
        const entries = pickEntries(app.status?.history ?? [], req.query.from, req.query.to);
        if ("code" in entries) return reply.code(entries.code).send({ error: entries.error });
        try {
          const { text, ...rest } = await compareHistory(ctx.client, app, entries, {
            cacheDir: ctx.cacheDir,
            agentNamespace: ctx.agentNamespace,
            fileRepos: { roots: ctx.allowFileRepos },
            signal: AbortSignal.timeout(DIFF_TIMEOUT_MS),
          });
          return { ...rest, diff: text };
        } catch (err) {
          if (err instanceof AppDiffRefusedError) return reply.code(409).send({ error: err.message });
          throw err;
        }
      }),
  );

  server.get<{ Params: AppParams }>(`${APP_PATH}/resources`, async (req, reply) =>
    withApp(ctx, req, reply, async (app) => ({
      items: await listAppResources(ctx.client, app, AbortSignal.timeout(DIFF_TIMEOUT_MS)),
    })),
  );

  // The resource tree: the Application's objects and what the cluster made of them, each with its health.
  server.get<{ Params: AppParams }>(`${APP_PATH}/tree`, async (req, reply) =>
    withApp(ctx, req, reply, async (app) => {
      try {
        const { nodes, omitted } = await readAppTree(ctx.client, app, {
          agentNamespace: ctx.agentNamespace,
          signal: AbortSignal.timeout(DIFF_TIMEOUT_MS),
        });
        return { nodes, omitted };
      } catch (err) {
        if (err instanceof AppDiffRefusedError) return reply.code(409).send({ error: err.message });
        throw err;
      }
    }),
  );

  // One object of the tree: live, desired and their diff (Secret values masked); nothing outside the tree.
  server.get<{ Params: AppParams; Querystring: Record<string, unknown> }>(`${APP_PATH}/resource`, async (req, reply) =>
    withApp(ctx, req, reply, async (app) => {
      const text = (key: string) => (typeof req.query[key] === "string" ? req.query[key] : "");
      const [group, kind, namespace, name] = [text("group"), text("kind"), text("namespace"), text("name")];
      if (!kind || !name) return reply.code(400).send({ error: "kind and name are required, once each" });
      try {
        const found = await appResourceManifests(
          ctx.client,
          app,
          { group, kind, namespace, name },
          {
            cacheDir: ctx.cacheDir,
            agentNamespace: ctx.agentNamespace,
            fileRepos: { roots: ctx.allowFileRepos },
            signal: AbortSignal.timeout(DIFF_TIMEOUT_MS),
          },
        );
        if (!found)
          return reply.code(404).send({ error: `no ${kind} ${name} in the resources of ${app.metadata.name}` });
        return found;
      } catch (err) {
        if (err instanceof AppDiffRefusedError) return reply.code(409).send({ error: err.message });
        throw err;
      }
    }),
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
