// The agent and its HTTP server (API, dashboard, webhooks, /metrics) in this process: what `bosun agent`
// runs against any cluster and `bosun up` runs against the embedded one.
import { join } from "node:path";
import type { Logger } from "pino";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { type Agent, type AgentOptions, startAgent } from "../controller/index.js";
import { type ApiTokens, BosunMetrics, createServer, ensureApiTokens } from "../server/index.js";

export interface AgentRuntimeOptions
  extends Pick<
    AgentOptions,
    | "kubeconfig"
    | "context"
    | "inCluster"
    | "namespace"
    | "concurrency"
    | "cacheDir"
    | "allowFileRepos"
    | "kubeQps"
    | "kubeBurst"
    | "leaderElection"
    | "sharding"
    | "dashboardUrl"
  > {
  listen: { host: string; port: number };
  log: Logger;
  signal: AbortSignal;
  /** Started after the agent, before the server listens; stopped with them (the Sealed Secrets controller). */
  beside?: (agent: Agent) => Promise<{ done: Promise<void> }>;
}

export interface AgentRuntime {
  agent: Agent;
  tokens: ApiTokens;
  /** http://HOST:PORT of the HTTP server. */
  url: string;
  /** Resolves when the signal aborted and everything stopped. */
  done: Promise<void>;
}

export async function startAgentRuntime(options: AgentRuntimeOptions): Promise<AgentRuntime> {
  const { log, signal, namespace } = options;
  const metrics = new BosunMetrics({ defaultMetrics: true });
  const agent = await startAgent({
    kubeconfig: options.kubeconfig,
    context: options.context,
    inCluster: options.inCluster,
    namespace,
    concurrency: options.concurrency,
    cacheDir: options.cacheDir,
    allowFileRepos: options.allowFileRepos,
    kubeQps: options.kubeQps,
    kubeBurst: options.kubeBurst,
    ...(options.leaderElection ? { leaderElection: options.leaderElection } : {}),
    ...(options.sharding ? { sharding: options.sharding } : {}),
    ...(options.dashboardUrl ? { dashboardUrl: options.dashboardUrl } : {}),
    log,
    signal,
    observeRequests: metrics.observeKubeRequest,
    observe: metrics,
  });
  const beside = await options.beside?.(agent);
  // With all namespaces watched, the tokens (built-in and named) live where a single-namespace agent keeps them.
  const agentNamespace = namespace || DEFAULT_APP_NAMESPACE;
  const tokens = await ensureApiTokens(agent.client, agentNamespace, signal);
  const server = await createServer({
    client: agent.client,
    tokens,
    log: log.child({ component: "bosun-server" }),
    namespace,
    agentNamespace,
    refresh: agent.requestRefresh,
    allowFileRepos: options.allowFileRepos,
    metrics,
    cacheDir: join(options.cacheDir, "server"),
    clusters: () => agent.clusters.statuses(),
  });
  const address = await server.listen(options.listen);
  const done = (async () => {
    await agent.done;
    await beside?.done;
    await server.close();
  })();
  const port = new URL(address).port;
  const host = options.listen.host.includes(":") ? `[${options.listen.host}]` : options.listen.host;
  return { agent, tokens, url: `http://${host}:${port}`, done };
}
