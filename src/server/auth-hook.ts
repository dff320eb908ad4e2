// The bearer-token check in front of every route but the probes and the (signed) webhooks.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type ApiTokens, authenticate, type Caller, type TokenEntry } from "./auth.js";
import { isDashboardPath } from "./dashboard-routes.js";

const callers = new WeakMap<FastifyRequest, Caller>();

/** Paths anyone may call: probes, webhooks (they carry their own signature), the dashboard's static files. */
export function isPublicPath(url: string): boolean {
  const path = url.split("?")[0] ?? "";
  return path === "/healthz" || path === "/readyz" || path.startsWith("/api/webhook/") || isDashboardPath(path);
}

export function callerOf(req: FastifyRequest): Caller | undefined {
  return callers.get(req);
}

/** Every request but the public ones needs a built-in token or a named one (`named` lists them as they are now). */
export function installAuth(server: FastifyInstance, tokens: ApiTokens, named: () => readonly TokenEntry[]): void {
  server.addHook("onRequest", async (req, reply) => {
    if (isPublicPath(req.url)) return;
    const caller = authenticate(tokens, req.headers.authorization, named());
    if (!caller) {
      await reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="bosun"')
        .send({ error: "a valid bearer token is required (see `bosun token`)" });
      return reply;
    }
    callers.set(req, caller);
  });
}
