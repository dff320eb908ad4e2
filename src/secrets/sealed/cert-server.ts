// The controller's HTTP endpoints at the paths kubeseal uses: GET /v1/cert.pem (the newest certificate),
// /healthz, POST /v1/verify (200 when a SealedSecret decrypts, 409 when not) and POST /v1/rotate (the
// SealedSecret re-sealed with the newest key). Bodies never echo a value.
import type { KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { SealedSecretsError } from "./errors.js";
import { resealSecret } from "./reseal.js";
import { parseSealedSecret } from "./types.js";
import { unsealSecret } from "./unseal.js";

export interface CertServerKeys {
  /** PEM of the certificate new values are sealed with; undefined while there is no key. */
  certificatePem(): string | undefined;
  sealingPublicKey(): KeyObject | undefined;
  privateKeys(): KeyObject[];
}

export interface CertServerOptions {
  keys: CertServerKeys;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  signal: AbortSignal;
}

export interface CertServer {
  /** The port it listens on (the one the OS picked for 0). */
  port: number;
  /** Resolves when the server has closed (after the signal aborted). */
  closed: Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

class BadRequest extends Error {
  override readonly name = "BadRequest";
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("the body is larger than 1 MiB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, code: number, body: string, type = "text/plain; charset=utf-8"): void {
  res.writeHead(code, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function sealedFromBody(req: IncomingMessage): Promise<ReturnType<typeof parseSealedSecret>> {
  const text = await readBody(req);
  let doc: unknown;
  try {
    doc = parseYaml(text); // JSON is YAML
  } catch {
    throw new BadRequest("the body is not a JSON or YAML SealedSecret");
  }
  try {
    return parseSealedSecret(doc);
  } catch (err) {
    throw new BadRequest((err as Error).message);
  }
}

function serveCertificate(req: IncomingMessage, res: ServerResponse, keys: CertServerKeys): void {
  const pem = keys.certificatePem();
  if (req.method !== "GET" && req.method !== "HEAD") send(res, 405, "method not allowed\n");
  else if (!pem) send(res, 500, "no sealing key yet\n");
  else send(res, 200, pem, "application/x-pem-file");
}

/** /v1/verify and /v1/rotate: a SealedSecret that does not open is a 409 with the (value-free) reason. */
async function verifyOrRotate(
  req: IncomingMessage,
  res: ServerResponse,
  keys: CertServerKeys,
  rotate: boolean,
): Promise<void> {
  if (req.method !== "POST") {
    send(res, 405, "method not allowed\n");
    return;
  }
  const sealed = await sealedFromBody(req);
  const publicKey = keys.sealingPublicKey();
  try {
    if (!rotate) {
      unsealSecret(sealed, keys.privateKeys());
      send(res, 200, "ok\n");
    } else if (!publicKey) send(res, 500, "no sealing key yet\n");
    else send(res, 200, JSON.stringify(resealSecret(sealed, keys.privateKeys(), publicKey)), "application/json");
  } catch (err) {
    if (!(err instanceof SealedSecretsError)) throw err;
    send(res, 409, `${err.message}\n`);
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, keys: CertServerKeys): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/healthz") return send(res, 200, "ok\n");
  if (path === "/v1/cert.pem") return serveCertificate(req, res, keys);
  if (path === "/v1/verify" || path === "/v1/rotate")
    return await verifyOrRotate(req, res, keys, path === "/v1/rotate");
  return send(res, 404, "not found\n");
}

/** Starts the HTTP server; it closes when the signal aborts. */
export async function startCertServer(options: CertServerOptions): Promise<CertServer> {
  options.signal.throwIfAborted();
  const server = createServer((req, res) => {
    handle(req, res, options.keys).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof BadRequest) return send(res, 400, `${err.message}\n`);
      send(res, 500, "internal error\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : options.port;
  const closed = new Promise<void>((resolve) => {
    const close = () => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    if (options.signal.aborted) close();
    else options.signal.addEventListener("abort", close, { once: true });
  });
  return { port, closed };
}
