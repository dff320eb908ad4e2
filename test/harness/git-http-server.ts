// A smart-HTTP git server for tests: a node http server on 127.0.0.1 (random port) that runs
// `git http-backend` as a CGI program for each request, behind HTTP basic auth. It records every request
// and can hold requests back, so a test can look at the client while it waits.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { basicUser, decodeBasic } from "./basic-auth.js";

export interface GitHttpServerOptions {
  /** Directory whose repositories are served: `<url>/<name>` serves `<projectRoot>/<name>`. */
  projectRoot: string;
  /** Basic-auth credentials every request must carry; omit to serve without auth. */
  auth?: { username: string; password: string };
  gitBinary?: string;
}

export interface GitHttpRequest {
  method: string;
  /** Path below the server root, e.g. `/deploy/info/refs`. */
  path: string;
  query: string;
  authorized: boolean;
  /** The user name the client sent (never the password). */
  user: string | undefined;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request received, in order. */
  requests: GitHttpRequest[];
  /** Requests received so far whose path ends with `/info/refs` (one per git connection). */
  infoRefsCount(): number;
  /**
   * Hold authorized requests (they are recorded, then wait) until the returned function is called.
   * `arrived` resolves when the first held request is waiting.
   */
  hold(): { arrived: Promise<void>; release: () => void };
  /** Stop listening, drop connections and end every backend still running. */
  close(): Promise<void>;
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const gitBinary = options.gitBinary ?? "git";
  const home = mkdtempSync(join(tmpdir(), "bosun-git-http-home-"));
  const requests: GitHttpRequest[] = [];
  const backends = new Set<ChildProcess>();
  let gate: { promise: Promise<void>; arrived: () => void } | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const user = basicUser(req.headers.authorization);
    const authorized = options.auth === undefined || sameCredentials(req.headers.authorization, options.auth);
    requests.push({ method: req.method ?? "", path: url.pathname, query: url.search.slice(1), authorized, user });
    if (!authorized) {
      req.resume();
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="bosun test git"', "Content-Type": "text/plain" });
      res.end("authentication required\n");
      return;
    }
    if (gate) {
      gate.arrived();
      await gate.promise;
    }
    runBackend(req, res, url, user);
  };

  const runBackend = (req: IncomingMessage, res: ServerResponse, url: URL, user: string | undefined): void => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    };
    if (req.headers["content-length"] !== undefined) env.CONTENT_LENGTH = req.headers["content-length"];
    if (req.headers["content-encoding"] !== undefined) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
    const protocol = req.headers["git-protocol"];
    if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
    if (user !== undefined) env.REMOTE_USER = user;

    const child = spawn(gitBinary, ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    backends.add(child);
    child.on("close", () => backends.delete(child));
    child.on("error", () => {
      if (!res.headersSent) res.writeHead(500).end("could not run git http-backend\n");
    });
    child.stdin.on("error", () => {});
    req.pipe(child.stdin);
    child.stderr.resume();

    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = headerEnd(head);
      if (end === undefined) return;
      headersDone = true;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end.index).toString("latin1"));
      res.writeHead(status, headers);
      res.write(head.subarray(end.index + end.length));
    });
    child.stdout.on("end", () => {
      if (!headersDone && !res.headersSent) res.writeHead(502);
      res.end();
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    infoRefsCount: () => requests.filter((r) => r.path.endsWith("/info/refs")).length,
    hold: () => {
      let release: () => void = () => {};
      let arrived: () => void = () => {};
      const promise = new Promise<void>((r) => {
        release = r;
      });
      const arrivedPromise = new Promise<void>((r) => {
        arrived = r;
      });
      gate = { promise, arrived };
      return {
        arrived: arrivedPromise,
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    close: async () => {
      gate = undefined;
      for (const child of backends) child.kill("SIGTERM");
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function sameCredentials(header: string | undefined, auth: { username: string; password: string }): boolean {
  return decodeBasic(header) === `${auth.username}:${auth.password}`;
}

function headerEnd(buf: Buffer): { index: number; length: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  return { status, headers };
}
