// Admin actions on an Application, requested the way the CLI requests them (annotations, the suspend
// flag), and recorded as Events on the Application: who, what, when.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ANNOTATIONS,
  type Application,
  describeRef,
  type EventReason,
  inventoryId,
  type ObjectRef,
  shortRevision,
} from "../api/index.js";
import { ApplicationClient } from "../cluster/index.js";
import { type SyncRequestOptions, syncRequestAnnotations, unquarantineAnnotations } from "../controller/index.js";
import { APP_PATH } from "./app-routes.js";
import { mayAct } from "./auth.js";
import { callerOf } from "./auth-hook.js";
import { type AppParams, findApp, type ServerContext } from "./context.js";

type Patch = { metadata?: { annotations: Record<string, string | null> }; spec?: object };

async function patchApp(ctx: ServerContext, app: Application, body: Patch): Promise<void> {
  await new ApplicationClient(ctx.client.rest).patch(app.metadata, body, AbortSignal.timeout(30_000));
}

/** What an action does to the Application, and how its Event describes it; a string is a 4xx answer. */
interface ActionPlan {
  patch?: Patch;
  refresh?: boolean;
  reason: EventReason;
  what: string;
}

type Planner = (
  app: Application,
  body: Record<string, unknown>,
  now: string,
  by: string,
) => ActionPlan | { reject: string };

const FLAGS = ["prune", "dryRun"] as const;

/** The sync options of a request body (prune, dryRun, resources), or why they are not acceptable. */
function syncOptionsOf(app: Application, body: Record<string, unknown>): SyncRequestOptions | { reject: string } {
  for (const flag of FLAGS)
    if (body[flag] !== undefined && typeof body[flag] !== "boolean") return { reject: `${flag} must be true or false` };
  const chosen = body.resources;
  if (chosen === undefined) return { prune: body.prune === true, dryRun: body.dryRun === true };
  if (!Array.isArray(chosen) || chosen.length === 0)
    return { reject: "resources must be a non-empty list of {group, kind, namespace, name}" };
  const known = new Set([
    ...(app.status?.inventory ?? []),
    ...(app.status?.resources ?? []).map((r) => inventoryId(r)),
  ]);
  const resources: string[] = [];
  for (const r of chosen) {
    const ref = objectRefOf(r);
    if (!ref) return { reject: "each of resources must be {group, kind, namespace, name} (strings)" };
    if (!known.has(inventoryId(ref))) return { reject: `${describeRef(ref)} is not one of the Application's objects` };
    resources.push(inventoryId(ref));
  }
  return { prune: body.prune === true, dryRun: body.dryRun === true, resources };
}

function objectRefOf(value: unknown): ObjectRef | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { group = "", kind, namespace = "", name } = value as Record<string, unknown>;
  if (typeof group !== "string" || typeof kind !== "string" || typeof namespace !== "string") return undefined;
  if (typeof name !== "string" || kind === "" || name === "") return undefined;
  return { group, kind, namespace, name };
}

function describeSync(revision: unknown, options: SyncRequestOptions): string {
  const what = options.dryRun ? "a dry run" : "a sync";
  const extras = [
    ...(options.resources ? [`of ${options.resources.length} chosen objects`] : []),
    ...(typeof revision === "string" ? [`to ${revision}`] : []),
    ...(options.prune ? ["with prune"] : []),
  ];
  return [what, ...extras].join(" ");
}

const planSyncAction: Planner = (app, body, now, by) => {
  const revision = body.revision;
  if (revision !== undefined && (typeof revision !== "string" || revision.trim() === ""))
    return { reject: "revision must be a non-empty string" };
  const options = syncOptionsOf(app, body);
  if ("reject" in options) return options;
  return {
    patch: {
      metadata: {
        annotations: {
          [ANNOTATIONS.reconcileRequestedAt]: now,
          [ANNOTATIONS.syncRevision]: typeof revision === "string" ? revision.trim() : null,
          [ANNOTATIONS.syncRequestedBy]: by,
          ...syncRequestAnnotations(options),
        },
      },
    },
    reason: "SyncRequested",
    what: describeSync(typeof revision === "string" ? revision.trim() : undefined, options),
  };
};

const planRollback: Planner = (app, body, now, by) => {
  const id = typeof body.id === "string" ? Number(body.id) : body.id;
  if (typeof id !== "number" || !Number.isInteger(id)) return { reject: "id must be a history entry's id" };
  const entry = app.status?.history?.find((h) => h.id === id);
  if (!entry) return { reject: `history entry ${id} not found` };
  return {
    patch: {
      metadata: {
        annotations: {
          [ANNOTATIONS.rollbackTo]: String(id),
          [ANNOTATIONS.reconcileRequestedAt]: now,
          [ANNOTATIONS.syncRequestedBy]: by,
        },
      },
    },
    reason: "RollbackRequested",
    what: `a rollback to history ${id} (${shortRevision(entry.revision)})`,
  };
};

const planSuspend: Planner = () => ({
  patch: { spec: { syncPolicy: { suspend: true } } },
  reason: "SuspendRequested",
  what: "suspending automated sync",
});

const planResume: Planner = (app, _body, now, by) => {
  // A rollback ends with a sync to Git, as `bosun app resume` does, requested by the caller (not by whoever
  // asked for the rollback); a plain suspension just lifts.
  const annotations = app.metadata.annotations?.[ANNOTATIONS.rollbackTo]
    ? { [ANNOTATIONS.rollbackTo]: null, [ANNOTATIONS.reconcileRequestedAt]: now, [ANNOTATIONS.syncRequestedBy]: by }
    : undefined;
  return {
    patch: { ...(annotations ? { metadata: { annotations } } : {}), spec: { syncPolicy: { suspend: false } } },
    reason: "ResumeRequested",
    what: "resuming: following Git again",
  };
};

const planUnquarantine: Planner = (app, body, now) => {
  if (typeof body.revision !== "string" || body.revision.trim() === "")
    return { reject: "revision must be a quarantined revision (or at least 4 characters of it)" };
  const request = unquarantineAnnotations(app, body.revision.trim(), now);
  if ("reject" in request) return request;
  return {
    patch: { metadata: { annotations: request.annotations } },
    reason: "UnquarantineRequested",
    what: `lifting the quarantine of ${request.lifts.map((r) => shortRevision(r)).join(", ")}`,
  };
};

const planRefresh: Planner = () => ({ refresh: true, reason: "RefreshRequested", what: "a refresh from Git" });

export const ACTIONS: Record<string, Planner> = {
  sync: planSyncAction,
  refresh: planRefresh,
  rollback: planRollback,
  suspend: planSuspend,
  resume: planResume,
  unquarantine: planUnquarantine,
};

function bodyOf(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

async function runAction(
  ctx: ServerContext,
  action: string,
  planner: Planner,
  req: FastifyRequest<{ Params: AppParams }>,
  reply: FastifyReply,
): Promise<unknown> {
  const caller = callerOf(req);
  if (!caller || !mayAct(caller)) return reply.code(403).send({ error: `${action} needs the admin role` });
  const app = findApp(ctx, req.params, caller);
  if (!app) return reply.code(404).send({ error: `Application ${req.params.namespace}/${req.params.name} not found` });
  const now = new Date().toISOString();
  const plan = planner(app, bodyOf(req), now, caller.name);
  if ("reject" in plan) return reply.code(400).send({ error: plan.reject });
  if (plan.refresh && !ctx.refresh) return reply.code(503).send({ error: "no agent runs beside this server" });
  if (plan.patch) await patchApp(ctx, app, plan.patch);
  if (plan.refresh) ctx.refresh?.(`${app.metadata.namespace}/${app.metadata.name}`);
  const message = `${caller.name} requested ${plan.what} through the API at ${now}`;
  await ctx.events.record(app, "Normal", plan.reason, message);
  ctx.log.info({ app: `${app.metadata.namespace}/${app.metadata.name}`, action, by: caller.name }, "action requested");
  return reply.code(202).send({ action, requestedAt: now, by: caller.name });
}

export function registerActionRoutes(server: FastifyInstance, ctx: ServerContext): void {
  for (const [action, planner] of Object.entries(ACTIONS))
    server.post<{ Params: AppParams }>(`${APP_PATH}/${action}`, async (req, reply) =>
      runAction(ctx, action, planner, req, reply),
    );
}
