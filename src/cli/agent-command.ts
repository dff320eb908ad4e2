import { hostname } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { type Logger, pino } from "pino";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { type Agent, httpUrlProblem } from "../controller/index.js";
import { DEFAULT_CONTROLLER_NAMESPACE, DEFAULT_CONTROLLER_PORT, SealedSecretController } from "../secrets/index.js";
import { DEFAULT_LISTEN, parseListenAddress } from "../server/index.js";
import { cacheRoot } from "../tools/index.js";
import { startAgentRuntime } from "./agent-runtime.js";
import { UsageError } from "./output.js";

interface AgentFlags {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  namespace: string;
  concurrency: string;
  cacheDir: string;
  listen: string;
  logLevel: string;
  sealedSecrets?: boolean;
  sealedSecretsNamespace: string;
  sealedSecretsListen: string;
  sealedSecretsWatch?: string;
  allowFileRepos?: string[];
  kubeQps: string;
  kubeBurst: string;
  leaderElect?: boolean;
  leaderElectIdentity?: string;
  shards?: string;
  dashboardUrl?: string;
}

/** Who this replica is in the Lease: its Pod's name in a cluster, else host and PID. */
function replicaIdentity(): string {
  if (process.env.POD_NAME) return process.env.POD_NAME;
  return process.env.KUBERNETES_SERVICE_HOST ? hostname() : `${hostname()}_${process.pid}`;
}

/** --shards N (each replica holds some shards; supersedes --leader-elect) or --leader-elect, or neither. */
function replicaOptions(flags: AgentFlags) {
  const identity = flags.leaderElectIdentity || replicaIdentity();
  if (flags.shards !== undefined) {
    const shards = Number(flags.shards);
    if (!Number.isInteger(shards) || shards < 1 || shards > 256)
      throw new UsageError(`--shards ${flags.shards}: expected a whole number from 1 to 256`);
    return { sharding: { shards, identity } };
  }
  return flags.leaderElect ? { leaderElection: { identity } } : {};
}

/** `--dashboard-url` (of the agent, and of install for the agent it installs): an http(s) URL, or a usage error. */
export function dashboardUrlOption(value: string | undefined): { dashboardUrl?: string } {
  if (value === undefined) return {};
  const problem = httpUrlProblem(value, "--dashboard-url");
  if (problem) throw new UsageError(`${problem}: ${value}`);
  return { dashboardUrl: value };
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: expected a positive number`);
  return n;
}

const DEFAULT_SEALED_SECRETS_LISTEN = `127.0.0.1:${DEFAULT_CONTROLLER_PORT}`;

function listenOption(flag: string, value: string, example: string): { host: string; port: number } {
  const listen = parseListenAddress(value);
  if (!listen) throw new UsageError(`${flag} ${value}: expected HOST:PORT, e.g. ${example}`);
  return listen;
}

/** The Sealed Secrets controller beside the agent (opt-in: it watches the Secrets of every namespace it serves). */
async function startSealedSecrets(flags: AgentFlags, agent: Agent, log: Logger, signal: AbortSignal) {
  const listen = listenOption("--sealed-secrets-listen", flags.sealedSecretsListen, DEFAULT_SEALED_SECRETS_LISTEN);
  const watchNamespaces = flags.sealedSecretsWatch
    ?.split(",")
    .map((ns) => ns.trim())
    .filter(Boolean);
  const controller = new SealedSecretController({
    client: agent.client,
    namespace: flags.sealedSecretsNamespace,
    port: listen.port,
    host: listen.host,
    watchNamespaces,
    // With --leader-elect only the holder of the agent's Lease writes (keys, Secrets, statuses); without
    // it the controller leads alone from the start, its first key made before it serves.
    ...(flags.leaderElect || flags.shards ? { leadership: { onLeading: agent.onLeading } } : {}),
    log: log.child({ component: "bosun-sealed-secrets" }),
  });
  await controller.start(signal);
  return controller;
}

/** `bosun agent`: the controller and its HTTP API, until SIGINT or SIGTERM. */
export function registerAgentCommand(program: Command): void {
  program
    .command("agent")
    .description("run the bosun agent: reconcile Applications until stopped, and serve the HTTP API")
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
    .option("--context <name>", "kubeconfig context")
    .option("--in-cluster", "use the in-cluster service account")
    .option("--namespace <ns>", 'namespace of the Applications ("" for all)', DEFAULT_APP_NAMESPACE)
    .option("--concurrency <n>", "Applications reconciled at the same time", "4")
    .option("--cache-dir <dir>", "git mirrors, checkouts and rendered manifests", join(cacheRoot(), "agent"))
    .option("--listen <addr>", "address of the HTTP API, webhooks and /metrics", DEFAULT_LISTEN)
    .option("--dashboard-url <url>", "where users reach the dashboard: notifications link to each Application there")
    .option("--log-level <level>", "trace, debug, info, warn or error", "info")
    .option("--kube-qps <n>", "requests a second to the API server (client-go's default)", "50")
    .option("--kube-burst <n>", "requests in a burst above that pace", "100")
    .option(
      "--allow-file-repos <dirs...>",
      "directories file:// repositories may be read from (none by default; never the agent's cache)",
    )
    .option("--leader-elect", "one of several replicas: only the holder of the Lease bosun-agent reconciles")
    .option("--leader-elect-identity <id>", "this replica's name in the Lease (default: the Pod's, or host_pid)")
    .option(
      "--shards <n>",
      "split Applications over replicas: each reconciles the shards whose Leases bosun-agent-shard-K it holds",
    )
    .option("--sealed-secrets", "also run the Sealed Secrets controller (unseals SealedSecrets, serves /v1/cert.pem)")
    .option("--sealed-secrets-namespace <ns>", "namespace of the sealing key Secrets", DEFAULT_CONTROLLER_NAMESPACE)
    .option("--sealed-secrets-listen <addr>", "address serving /v1/cert.pem", DEFAULT_SEALED_SECRETS_LISTEN)
    .option("--sealed-secrets-watch <namespaces>", "comma-separated namespaces to unseal in (default: all)")
    .action(async (flags: AgentFlags) => {
      const listen = listenOption("--listen", flags.listen, DEFAULT_LISTEN);
      if (flags.sealedSecrets)
        listenOption("--sealed-secrets-listen", flags.sealedSecretsListen, DEFAULT_SEALED_SECRETS_LISTEN);
      const log = pino({ level: flags.logLevel, base: { component: "bosun-agent" } });
      const controller = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const)
        process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
      const runtime = await startAgentRuntime({
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        inCluster: Boolean(flags.inCluster),
        namespace: flags.namespace ?? "",
        concurrency: Math.max(1, Number(flags.concurrency) || 4),
        cacheDir: flags.cacheDir,
        allowFileRepos: flags.allowFileRepos?.map((dir) => resolve(dir)),
        kubeQps: positive("--kube-qps", flags.kubeQps),
        kubeBurst: positive("--kube-burst", flags.kubeBurst),
        ...replicaOptions(flags),
        ...dashboardUrlOption(flags.dashboardUrl),
        listen,
        log,
        signal: controller.signal,
        beside: flags.sealedSecrets ? (agent) => startSealedSecrets(flags, agent, log, controller.signal) : undefined,
      });
      log.info({ url: runtime.url }, "serving the HTTP API");
      await runtime.done;
    });
}
