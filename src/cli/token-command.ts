import type { Command } from "commander";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { KubeClient, loadClusterConfig } from "../cluster/index.js";
import { API_TOKENS_SECRET, ensureApiTokens } from "../server/index.js";
import { UsageError } from "./output.js";
import type { Io } from "./program.js";

const ROLES = ["admin", "readonly"] as const;

/** `bosun token`: prints an API token of the agent (creating the tokens' Secret when the agent has not yet). */
export function registerTokenCommand(program: Command, io: Io): void {
  program
    .command("token")
    .description(`print a bearer token of the HTTP API (from the Secret ${API_TOKENS_SECRET})`)
    .option("--role <role>", "admin or readonly", "readonly")
    .option("--namespace <ns>", "the agent's namespace", DEFAULT_APP_NAMESPACE)
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
    .option("--context <name>", "kubeconfig context")
    .action(async (opts: { role: string; namespace: string; kubeconfig?: string; context?: string }) => {
      const role = ROLES.find((r) => r === opts.role);
      if (!role) throw new UsageError(`unknown role "${opts.role}": use admin or readonly`);
      const client = new KubeClient(loadClusterConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));
      const tokens = await ensureApiTokens(client, opts.namespace, AbortSignal.timeout(60_000));
      io.out(`${tokens[role]}\n`);
    });
}
