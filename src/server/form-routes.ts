// Creating and editing an Application from the dashboard's form (admin role; a project-scoped token only in
// its project): checked as the agent checks a spec before anything is written, then written, and recorded
// as an Event on the Application naming who did it. The API server's own refusals are passed on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type Application,
  DEFAULT_PROJECT,
  type EventReason,
  PROJECT_API_VERSION,
  PROJECT_KIND,
  type Project,
} from "../api/index.js";
import { ApiError, ApplicationClient } from "../cluster/index.js";
import { appNamespaceRule } from "../controller/index.js";
import {
  type AppForm,
  applicationOf,
  changedFields,
  decodeForm,
  type FormProblem,
  formOf,
  mergeForm,
  mergePatch,
  notEditable,
  specProblem,
} from "./app-form.js";
import { APP_PATH } from "./app-routes.js";
import { type Caller, mayAct, seesProject } from "./auth.js";
import { callerOf } from "./auth-hook.js";
import { type AppParams, findApp, type ServerContext } from "./context.js";

const WRITE_TIMEOUT_MS = 30_000;

export interface FormRouteOptions {
  /** The namespace of the Applications this server serves; "" for all. */
  appNamespace: string;
}

type Refusal = { code: number } & FormProblem;

function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  const { code, ...body } = refusal;
  return reply.code(code).send(body);
}

/** The caller, when it may change Applications; otherwise a 403. */
function actingCaller(req: FastifyRequest, what: string): Caller | Refusal {
  const caller = callerOf(req);
  if (!caller || !mayAct(caller)) return { code: 403, error: `${what} needs the admin role` };
  return caller;
}

const isRefusal = (v: unknown): v is Refusal => typeof v === "object" && v !== null && "code" in v && "error" in v;

/**
 * Whether the form's project and namespace are ones the caller may use and the agent accepts: a project the
 * token is scoped to, a Project that exists, a namespace the server serves and the project allows.
 */
async function placeProblem(
  ctx: ServerContext,
  options: FormRouteOptions,
  caller: Caller,
  form: AppForm,
  namespace: string,
): Promise<Refusal | undefined> {
  if (!seesProject(caller, form.project))
    return { code: 403, field: "project", error: `this token may only use project ${caller.project}` };
  if (options.appNamespace !== "" && namespace !== options.appNamespace)
    return {
      code: 400,
      field: "namespace",
      error: `namespace: this server serves the Applications of namespace ${options.appNamespace} only`,
    };
  const project = (await ctx.client.get(
    { apiVersion: PROJECT_API_VERSION, kind: PROJECT_KIND, namespace: ctx.agentNamespace, name: form.project },
    AbortSignal.timeout(WRITE_TIMEOUT_MS),
  )) as unknown as Project | undefined;
  if (!project)
    return { code: 400, field: "project", error: `project: no Project ${form.project} in ${ctx.agentNamespace}` };
  const rule = appNamespaceRule({ project, agentNamespace: ctx.agentNamespace }, namespace);
  return rule ? { code: 400, field: "namespace", error: `namespace: ${rule}` } : undefined;
}

/** Writes through the API server; its refusal (409 exists, 422 invalid name, …) comes back as it said it. */
async function written<T>(reply: FastifyReply, write: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ApiError && err.code >= 400 && err.code < 500)
      return reply.code(err.code).send({ error: err.message });
    throw err;
  }
}

async function record(ctx: ServerContext, app: Application, reason: EventReason, message: string): Promise<void> {
  await ctx.events.record(app, "Normal", reason, message);
  ctx.log.info({ app: `${app.metadata.namespace}/${app.metadata.name}`, reason }, message);
}

async function createApp(
  ctx: ServerContext,
  options: FormRouteOptions,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const caller = actingCaller(req, "creating an Application");
  if (isRefusal(caller)) return refuse(reply, caller);
  // A project-scoped token's Applications are of its project unless the form names one.
  const form = decodeForm(req.body, caller.project ?? DEFAULT_PROJECT);
  if ("error" in form) return refuse(reply, { code: 400, ...form });
  if (form.name === "") return refuse(reply, { code: 400, field: "name", error: "name: required" });
  const namespace = form.namespace ?? ctx.agentNamespace;
  const app = applicationOf(form, namespace);
  const problem = specProblem(app) ?? (await placeProblem(ctx, options, caller, form, namespace));
  if (problem) return refuse(reply, { code: 400, ...problem });
  const created = await written(reply, () =>
    new ApplicationClient(ctx.client.rest).create(app, AbortSignal.timeout(WRITE_TIMEOUT_MS)),
  );
  if (!isApplication(created)) return created;
  const now = new Date().toISOString();
  await record(ctx, created, "Created", `${caller.name} created the Application through the API at ${now}`);
  return reply.code(201).send({ namespace, name: form.name, by: caller.name });
}

const isApplication = (v: unknown): v is Application =>
  typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "Application";

async function updateApp(
  ctx: ServerContext,
  options: FormRouteOptions,
  req: FastifyRequest<{ Params: AppParams }>,
  reply: FastifyReply,
): Promise<unknown> {
  const caller = actingCaller(req, "editing an Application");
  if (isRefusal(caller)) return refuse(reply, caller);
  const notFound = { code: 404, error: `Application ${req.params.namespace}/${req.params.name} not found` };
  const seen = findApp(ctx, req.params, caller);
  if (!seen) return refuse(reply, notFound);
  const decoded = decodeForm(req.body, seen.spec.project || DEFAULT_PROJECT);
  if ("error" in decoded) return refuse(reply, { code: 400, ...decoded });
  const { namespace, name } = req.params;
  if ((decoded.name !== "" && decoded.name !== name) || (decoded.namespace ?? namespace) !== namespace)
    return refuse(reply, { code: 400, field: "name", error: "name: an Application cannot be renamed or moved" });
  // The object as the API server has it now (the watch may lag): the edit is conditional on its version.
  const client = new ApplicationClient(ctx.client.rest);
  const live = await written(reply, () => client.get({ namespace, name }, AbortSignal.timeout(WRITE_TIMEOUT_MS)));
  if (!isApplication(live)) return live;
  const multi = notEditable(live);
  if (multi) return refuse(reply, { code: 409, error: multi });
  const form = { ...decoded, name, namespace };
  const edited = mergeForm(live, form);
  const problem = specProblem(edited) ?? (await placeProblem(ctx, options, caller, form, namespace));
  if (problem) return refuse(reply, { code: 400, ...problem });
  const changed = changedFields(formOf(live), form);
  if (changed.length > 0) {
    const patch = {
      ...(mergePatch(live, edited) as object),
      metadata: { resourceVersion: live.metadata.resourceVersion },
    };
    const saved = await written(reply, () =>
      client.patch({ namespace, name }, patch, AbortSignal.timeout(WRITE_TIMEOUT_MS)),
    );
    if (!isApplication(saved)) return saved;
    const now = new Date().toISOString();
    await record(ctx, saved, "Updated", `${caller.name} changed ${changed.join(", ")} through the API at ${now}`);
  }
  return { namespace, name, changed, by: caller.name };
}

export function registerFormRoutes(server: FastifyInstance, ctx: ServerContext, options: FormRouteOptions): void {
  server.post("/api/applications", async (req, reply) => createApp(ctx, options, req, reply));

  // The form filled from an Application: what an edit starts from.
  server.get<{ Params: AppParams }>(`${APP_PATH}/form`, async (req, reply) => {
    const app = findApp(ctx, req.params, callerOf(req));
    if (!app)
      return reply.code(404).send({ error: `Application ${req.params.namespace}/${req.params.name} not found` });
    const multi = notEditable(app);
    return multi ? reply.code(409).send({ error: multi }) : formOf(app);
  });

  server.put<{ Params: AppParams }>(APP_PATH, async (req, reply) => updateApp(ctx, options, req, reply));
}
