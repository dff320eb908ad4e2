// A classic (index.yaml + .tgz) Helm chart repository for end-to-end tests: `buildChartRepo` packages charts
// with the pinned helm into a directory and indexes it; `startHelmRepoServer` serves that directory over
// HTTPS on 127.0.0.1 (random port) with optional basic or bearer auth, strong ETags and conditional GETs,
// and records every request. Helm always runs isolated (helm-cli.ts).
import { createHash, timingSafeEqual } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { stringify } from "yaml";
import { basicUser, decodeBasic } from "./basic-auth.js";
import { runHelm } from "./helm-cli.js";
import { generatePki } from "./pki.js";

export interface ChartSpec {
  name: string;
  version: string;
  appVersion?: string;
  /** Paths relative to the chart directory (`templates/cm.yaml`, `values.yaml`); Chart.yaml is generated unless given. */
  files: Record<string, string>;
}

export interface BuildChartRepoOptions {
  /** Base URL written into index.yaml (`helm repo index --url`); without it the chart URLs are relative. */
  url?: string;
  /** Merge into the existing `<dir>/index.yaml` (`--merge`), so entries whose .tgz is gone are kept. */
  merge?: boolean;
  signal?: AbortSignal;
}

export interface HelmRepoServerOptions {
  /** Directory served at the root of the URL. */
  dir: string;
  /** Basic-auth credentials every request must carry. */
  auth?: { username: string; password: string };
  /** Token every request must carry as `Authorization: Bearer <token>`. With `auth` too, either is accepted. */
  bearerToken?: string;
  /** Serve HTTPS with a fresh CA (default); false serves plain HTTP. */
  tls?: boolean;
  /** HTTPS only: refuse a client without a certificate of the server's CA (mutual TLS). */
  requireClientCert?: boolean;
}

export interface HelmRepoRequest {
  method: string;
  /** The request path as sent (before any `?`), not decoded or normalised. */
  path: string;
  status: number;
  /** The basic-auth user name the client sent (never the password). */
  user?: string;
  /** The client sent If-None-Match or If-Modified-Since. */
  conditional: boolean;
}

export interface HelmRepoServer {
  /** `https://127.0.0.1:<port>` (`http://` without TLS). */
  url: string;
  /** PEM of the CA that signed the serving certificate; "" without TLS. */
  caCert: string;
  /** A client certificate and key of that CA (what requireClientCert asks for); "" without TLS. */
  clientCert: string;
  clientKey: string;
  /** Every request answered, in order. */
  requests: HelmRepoRequest[];
  /** Stop listening and destroy open connections. */
  close(): Promise<void>;
}

/**
 * Package each chart into `dir` with `helm package`, then index `dir` with `helm repo index`. Call it again
 * with more charts (and `merge`) to push new versions; the .tgz files already in `dir` stay indexed.
 */
export async function buildChartRepo(
  dir: string,
  charts: ChartSpec[],
  options: BuildChartRepoOptions = {},
): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "bosun-helm-repo-build-"));
  const helm = async (args: string[]): Promise<void> => {
    const result = await runHelm(args, { home: join(work, "home"), signal: options.signal });
    if (result.exitCode !== 0) throw new Error(`helm ${args.join(" ")} failed: ${result.stderr.trim()}`);
  };
  try {
    await mkdir(dir, { recursive: true });
    for (const [index, chart] of charts.entries()) {
      const chartDir = join(work, "charts", String(index), chart.name);
      await writeChart(chartDir, chart);
      await helm(["package", chartDir, "--destination", dir]);
    }
    const indexArgs = ["repo", "index", dir];
    if (options.url !== undefined) indexArgs.push("--url", options.url);
    if (options.merge) indexArgs.push("--merge", join(dir, "index.yaml"));
    await helm(indexArgs);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeChart(chartDir: string, chart: ChartSpec): Promise<void> {
  const files: Record<string, string> = {
    "Chart.yaml": stringify({
      apiVersion: "v2",
      name: chart.name,
      description: `${chart.name}, a test chart`,
      type: "application",
      version: chart.version,
      ...(chart.appVersion === undefined ? {} : { appVersion: chart.appVersion }),
    }),
    ...chart.files,
  };
  for (const [path, content] of Object.entries(files)) {
    const target = resolve(chartDir, path);
    const rel = relative(chartDir, target);
    if (isAbsolute(path) || rel === "" || rel.startsWith(`..${sep}`) || rel === "..") {
      throw new Error(`chart ${chart.name} ${chart.version}: file path ${JSON.stringify(path)} is outside the chart`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Serve `options.dir` as a Helm chart repository; see HelmRepoServerOptions. */
export async function startHelmRepoServer(options: HelmRepoServerOptions): Promise<HelmRepoServer> {
  const root = await realpath(options.dir);
  const requests: HelmRepoRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "";
    const conditional = req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined;
    const user = basicUser(req.headers.authorization);
    const answer = (status: number, headers: Record<string, string | string[]>, body?: Buffer | string): void => {
      requests.push({ method, path: rawPath, status, ...(user === undefined ? {} : { user }), conditional });
      res.writeHead(status, headers);
      res.end(method === "HEAD" || status === 304 ? undefined : body);
    };
    req.resume();

    if (!authorized(req.headers.authorization, options)) {
      const challenges: string[] = [];
      if (options.auth) challenges.push('Basic realm="charts"');
      if (options.bearerToken !== undefined) challenges.push('Bearer realm="charts"');
      answer(401, { "WWW-Authenticate": challenges, "Content-Type": "text/plain" }, "authentication required\n");
      return;
    }
    if (method !== "GET" && method !== "HEAD") {
      answer(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }, "method not allowed\n");
      return;
    }
    const file = await servedFile(root, rawPath);
    if (file === undefined) {
      answer(404, { "Content-Type": "text/plain" }, "not found\n");
      return;
    }
    const body = await readFile(file.path);
    const etag = `"sha256-${createHash("sha256").update(body).digest("hex")}"`;
    const mtimeSeconds = Math.floor(file.mtimeMs / 1000);
    const headers = { ETag: etag, "Last-Modified": new Date(mtimeSeconds * 1000).toUTCString() };
    if (notModified(req, etag, mtimeSeconds)) {
      answer(304, headers);
      return;
    }
    answer(200, { ...headers, "Content-Type": contentType(file.path), "Content-Length": String(body.length) }, body);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const tls = options.tls ?? true;
  let caCert = "";
  let clientCert = "";
  let clientKey = "";
  let server: Server;
  if (tls) {
    const pkiDir = mkdtempSync(join(tmpdir(), "bosun-helm-repo-pki-"));
    try {
      const pki = generatePki(pkiDir);
      caCert = readFileSync(pki.caCert, "utf8");
      // The admin certificate serves and is a client certificate of the same CA.
      clientCert = readFileSync(pki.adminCert, "utf8");
      clientKey = readFileSync(pki.adminKey, "utf8");
      const mutual = options.requireClientCert ? { requestCert: true, rejectUnauthorized: true, ca: caCert } : {};
      server = createHttpsServer({ cert: clientCert, key: clientKey, ...mutual }, listener);
    } finally {
      rmSync(pkiDir, { recursive: true, force: true });
    }
  } else {
    server = createHttpServer(listener);
  }
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    caCert,
    clientCert,
    clientKey,
    requests,
    close: async () => {
      const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The regular file `rawPath` names inside `root`, or undefined when it is missing, outside `root`, or reached through a symlink. */
async function servedFile(root: string, rawPath: string): Promise<{ path: string; mtimeMs: number } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const candidate = resolve(root, `.${sep}${decoded}`);
  if (!candidate.startsWith(`${root}${sep}`)) return undefined;
  try {
    // realpath differs from the lexical path exactly when some component is a symlink.
    if ((await realpath(candidate)) !== candidate) return undefined;
    const info = await stat(candidate);
    return info.isFile() ? { path: candidate, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function notModified(req: IncomingMessage, etag: string, mtimeSeconds: number): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    // RFC 9110 §13.1.2: If-None-Match uses the weak comparison and, when present, If-Modified-Since is ignored.
    return ifNoneMatch
      .split(",")
      .map((tag) => tag.trim().replace(/^W\//, ""))
      .some((tag) => tag === "*" || tag === etag);
  }
  const ifModifiedSince = req.headers["if-modified-since"];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && mtimeSeconds <= Math.floor(since / 1000);
}

function contentType(path: string): string {
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "application/yaml";
  if (path.endsWith(".tgz")) return "application/gzip";
  if (path.endsWith(".prov")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

function authorized(header: string | undefined, options: HelmRepoServerOptions): boolean {
  if (options.auth === undefined && options.bearerToken === undefined) return true;
  if (options.auth !== undefined) {
    const decoded = decodeBasic(header);
    if (decoded !== undefined && sameSecret(decoded, `${options.auth.username}:${options.auth.password}`)) return true;
  }
  if (options.bearerToken !== undefined && header?.startsWith("Bearer ")) {
    if (sameSecret(header.slice("Bearer ".length), options.bearerToken)) return true;
  }
  return false;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
