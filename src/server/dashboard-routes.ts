// The web dashboard's static files (built by `npm run build:ui` into dist/ui): a fixed set of names, no
// token needed (they hold no data; everything they show comes from /api, which needs one).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** URL path → built file. Nothing else is served from the directory, so no path can reach outside it. */
const DASHBOARD_FILES: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ["/", { file: "index.html", type: "text/html; charset=utf-8" }],
  ["/ui/app.js", { file: "app.js", type: "text/javascript; charset=utf-8" }],
  ["/ui/app.css", { file: "app.css", type: "text/css; charset=utf-8" }],
]);

export const NOT_BUILT = "dashboard not built: run npm run build:ui\n";

// The page talks only to this server, runs only its own script, and may not be framed.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** dist/ui of the package: two levels up from this file, whether it runs as src/server/*.ts or dist/server/*.js. */
export function defaultUiDir(): string {
  return fileURLToPath(new URL("../../dist/ui/", import.meta.url));
}

/** Whether a request path is one of the dashboard's files (served without a token). */
export function isDashboardPath(path: string): boolean {
  return DASHBOARD_FILES.has(path);
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function acceptsGzip(req: FastifyRequest): boolean {
  const header = req.headers["accept-encoding"];
  return typeof header === "string" && /\bgzip\b/.test(header);
}

async function serveFile(
  uiDir: string,
  entry: { file: string; type: string },
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // Read on every request (three small files): a rebuild shows without restarting the agent.
  const body = await readOptional(join(uiDir, entry.file));
  if (!body) return reply.code(404).type("text/plain; charset=utf-8").send(NOT_BUILT);
  // Weak: the same validator stands for the plain and the gzipped bytes.
  const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  reply
    .header("cache-control", "no-cache")
    .header("etag", etag)
    .header("vary", "accept-encoding")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("content-security-policy", CONTENT_SECURITY_POLICY)
    .type(entry.type);
  if (req.headers["if-none-match"] === etag) return reply.code(304).send();
  const gzipped = acceptsGzip(req) ? await readOptional(join(uiDir, `${entry.file}.gz`)) : undefined;
  if (gzipped) return reply.header("content-encoding", "gzip").send(gzipped);
  return reply.send(body);
}

export function registerDashboardRoutes(server: FastifyInstance, options: { uiDir: string }): void {
  for (const [path, entry] of DASHBOARD_FILES)
    server.get(path, async (req, reply) => serveFile(options.uiDir, entry, req, reply));
}
