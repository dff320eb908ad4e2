import { join } from "node:path";
import type { Command } from "commander";
import { pino } from "pino";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { startAgent } from "../controller/index.js";
import {
  BosunMetrics,
  createServer,
  DEFAULT_LISTEN,
  ensureApiTokens,
  metricsLogger,
  parseListenAddress,
} from "../server/index.js";
import { cacheRoot } from "../tools/versions.js";
import { UsageError } from "./output.js";

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
    .option("--log-level <level>", "trace, debug, info, warn or error", "info")
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const listen = parseListenAddress(String(opts.listen));
      if (!listen) throw new UsageError(`--listen ${String(opts.listen)}: expected HOST:PORT, e.g. ${DEFAULT_LISTEN}`);
      const log = pino({ level: String(opts.logLevel), base: { component: "bosun-agent" } });
      const controller = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const)
        process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
      const metrics = new BosunMetrics({ defaultMetrics: true });
      const namespace = String(opts.namespace ?? "");
      const cacheDir = String(opts.cacheDir);
      const agent = await startAgent({
        kubeconfig: opts.kubeconfig as string | undefined,
        context: opts.context as string | undefined,
        inCluster: Boolean(opts.inCluster),
        namespace,
        concurrency: Math.max(1, Number(opts.concurrency) || 4),
        cacheDir,
        log: metricsLogger(log, metrics),
        signal: controller.signal,
        observeRequests: metrics.observeKubeRequest,
      });
      const server = await createServer({
        client: agent.client,
        // With all namespaces watched, the tokens live where a single-namespace agent keeps them.
        tokens: await ensureApiTokens(agent.client, namespace || DEFAULT_APP_NAMESPACE, controller.signal),
        log: log.child({ component: "bosun-server" }),
        namespace,
        refresh: agent.requestRefresh,
        metrics,
        cacheDir: join(cacheDir, "server"),
      });
      await server.listen(listen);
      await agent.done;
      await server.close();
    });
}
