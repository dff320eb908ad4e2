// An in-process agent with bosun's HTTP server beside it, as `bosun agent` runs them, stopped when the test ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { pino } from "pino";
import { applicationCrd } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { type Agent, startAgent } from "../../src/controller/index.js";
import { type ApiTokens, BosunMetrics, createServer, ensureApiTokens } from "../../src/server/index.js";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

export interface RunningServer {
  agent: Agent;
  tokens: ApiTokens;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Keys the server asked the agent to refresh, in order. */
  refreshed: string[];
  logs: string[];
}

export async function startServerWithAgent(t: TestContext, ns: TestNamespace): Promise<RunningServer> {
  const controller = new AbortController();
  const cacheDir = mkdtempSync(join(tmpdir(), "bosun-server-"));
  const logs: string[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const metrics = new BosunMetrics();
  const agent = await startAgent({
    kubeconfig: ns.kubeconfig,
    namespace: ns.name,
    concurrency: 2,
    cacheDir: join(cacheDir, "agent"),
    allowFileRepos: [tmpdir()],
    log,
    signal: controller.signal,
    observeRequests: metrics.observeKubeRequest,
    observe: metrics,
  });
  t.after(async () => {
    controller.abort();
    await agent.done;
    rmSync(cacheDir, { recursive: true, force: true });
  });
  const tokens = await ensureApiTokens(agent.client, ns.name, AbortSignal.timeout(30_000));
  const refreshed: string[] = [];
  const server = await createServer({
    client: agent.client,
    tokens,
    log,
    namespace: ns.name,
    refresh: (key) => {
      refreshed.push(key);
      agent.requestRefresh(key);
    },
    metrics,
    allowFileRepos: [tmpdir()],
    cacheDir: join(cacheDir, "server"),
    clusters: () => agent.clusters.statuses(),
  });
  t.after(async () => await server.close());
  await server.listen({ host: "127.0.0.1", port: 0 });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  return { agent, tokens, url: `http://127.0.0.1:${address.port}`, refreshed, logs };
}

/** The Application CRD, as an agent installs it at start (no agent runs beside a lone server). */
async function ensureApplicationCrd(ns: TestNamespace): Promise<void> {
  const served = () => {
    try {
      ns.kubectl(["get", "applications.bosun.dev"]);
      return true;
    } catch {
      return false;
    }
  };
  if (served()) return;
  try {
    ns.kubectl(["create", "-f", "-"], JSON.stringify(applicationCrd()));
  } catch (err) {
    if (!/AlreadyExists/.test(String(err))) throw err;
  }
  await waitFor("the Application CRD to be served", async () => served(), { timeoutMs: 60_000 });
}

export interface LoneServer {
  client: KubeClient;
  tokens: ApiTokens;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Keys the server asked to refresh, in order (no agent runs: nothing reconciles them). */
  refreshed: string[];
  logs: string[];
}

/** bosun's HTTP server for the Applications of ns, without an agent: what it reads and writes, and nothing reconciles. */
export async function startServer(t: TestContext, ns: TestNamespace): Promise<LoneServer> {
  const cacheDir = mkdtempSync(join(tmpdir(), "bosun-server-"));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const logs: string[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  await ensureApplicationCrd(ns);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const tokens = await ensureApiTokens(client, ns.name, AbortSignal.timeout(30_000));
  const refreshed: string[] = [];
  const server = await createServer({
    client,
    tokens,
    log,
    namespace: ns.name,
    refresh: (key) => void refreshed.push(key),
    metrics: new BosunMetrics(),
    cacheDir,
  });
  t.after(async () => await server.close());
  await server.listen({ host: "127.0.0.1", port: 0 });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  return { client, tokens, url: `http://127.0.0.1:${address.port}`, refreshed, logs };
}

export interface HttpAnswer {
  status: number;
  text: string;
  json: () => unknown;
}

export async function call(
  server: Pick<RunningServer, "url">,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as unknown };
}
