// Push webhooks: verify the signature, then refresh the Applications the push concerns.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  parsePushWebhook,
  repoUrlMatches,
  WebhookNotPushError,
  WebhookPayloadError,
  type WebhookProvider,
  WebhookSignatureError,
} from "../source/index.js";
import { listApps, type ServerContext } from "./context.js";
import { appsForPush } from "./webhook-match.js";

const PROVIDERS: ReadonlySet<string> = new Set<WebhookProvider>(["github", "gitlab", "gitea"]);

function handleWebhook(
  ctx: ServerContext,
  req: FastifyRequest<{ Params: { provider: string } }>,
  reply: FastifyReply,
): FastifyReply {
  const provider = req.params.provider;
  if (!PROVIDERS.has(provider)) return reply.code(404).send({ error: `no webhook for ${provider}` });
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let push: ReturnType<typeof parsePushWebhook>;
  try {
    push = parsePushWebhook(provider as WebhookProvider, req.headers, body, ctx.tokens.webhookSecret);
  } catch (err) {
    return rejectWebhook(ctx, req, reply, provider, err);
  }
  if (!ctx.refresh) return reply.code(503).send({ error: "no agent runs beside this server" });
  const keys = appsForPush(listApps(ctx), push, repoUrlMatches);
  for (const key of keys) ctx.refresh(key);
  ctx.log.info({ provider, ref: push.ref, after: push.after, refreshed: keys }, "push webhook");
  return reply.code(202).send({ refreshed: keys });
}

/** Why a webhook is not acted on. The body is never logged: it is unauthenticated input. */
function rejectWebhook(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
  provider: string,
  err: unknown,
): FastifyReply {
  if (err instanceof WebhookSignatureError) {
    ctx.log.warn({ provider, remote: req.ip, error: err.message }, "webhook rejected: bad or missing signature");
    return reply.code(401).send({ error: "the webhook's signature does not verify" });
  }
  if (err instanceof WebhookNotPushError) return reply.code(202).send({ ignored: err.message, refreshed: [] });
  if (err instanceof WebhookPayloadError) {
    ctx.log.warn({ provider, remote: req.ip, error: err.message }, "webhook rejected: unreadable payload");
    return reply.code(400).send({ error: err.message });
  }
  throw err;
}

export async function registerWebhookRoutes(server: FastifyInstance, ctx: ServerContext): Promise<void> {
  await server.register(async (scope) => {
    // The signature is over the exact bytes, so this scope takes every body raw.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    scope.post<{ Params: { provider: string } }>("/api/webhook/:provider", async (req, reply) =>
      handleWebhook(ctx, req, reply),
    );
  });
}
