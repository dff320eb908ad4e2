import { join } from "node:path";
import type { Command } from "commander";
import { pino } from "pino";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { startAgent } from "../controller/index.js";
import { cacheRoot } from "../tools/versions.js";

/** `bosun agent`: the controller, until SIGINT or SIGTERM. */
export function registerAgentCommand(program: Command): void {
  program
    .command("agent")
    .description("run the bosun agent: reconcile Applications until stopped")
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
    .option("--context <name>", "kubeconfig context")
    .option("--in-cluster", "use the in-cluster service account")
    .option("--namespace <ns>", 'namespace of the Applications ("" for all)', DEFAULT_APP_NAMESPACE)
    .option("--concurrency <n>", "Applications reconciled at the same time", "4")
    .option("--cache-dir <dir>", "git mirrors, checkouts and rendered manifests", join(cacheRoot(), "agent"))
    .option("--log-level <level>", "trace, debug, info, warn or error", "info")
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const log = pino({ level: String(opts.logLevel), base: { component: "bosun-agent" } });
      const controller = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const)
        process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
      const agent = await startAgent({
        kubeconfig: opts.kubeconfig as string | undefined,
        context: opts.context as string | undefined,
        inCluster: Boolean(opts.inCluster),
        namespace: String(opts.namespace ?? ""),
        concurrency: Math.max(1, Number(opts.concurrency) || 4),
        cacheDir: String(opts.cacheDir),
        log,
        signal: controller.signal,
      });
      await agent.done;
    });
}
