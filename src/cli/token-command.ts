import type { Command } from "commander";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { KubeClient, loadClusterConfig } from "../cluster/index.js";
import {
  API_TOKENS_SECRET,
  createNamedToken,
  deleteNamedToken,
  ensureApiTokens,
  listNamedTokens,
  NoSuchTokenError,
  projectNameProblem,
  type Role,
  TokenExistsError,
  tokenNameProblem,
} from "../server/index.js";
import { CommandFailedError, table, UsageError } from "./output.js";
import type { Io } from "./program.js";

const ROLES = ["admin", "readonly"] as const;

interface ClusterFlags {
  namespace: string;
  kubeconfig?: string;
  context?: string;
}

function role(value: string): Role {
  const found = ROLES.find((r) => r === value);
  if (!found) throw new UsageError(`unknown role "${value}": use admin or readonly`);
  return found;
}

const clientFrom = (opts: ClusterFlags) =>
  new KubeClient(loadClusterConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));

const withCluster = (cmd: Command) =>
  cmd
    .option("--namespace <ns>", "the agent's namespace", DEFAULT_APP_NAMESPACE)
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
    .option("--context <name>", "kubeconfig context");

/**
 * `bosun token`: prints a built-in API token of the agent (creating the tokens' Secret when the agent has
 * not yet); `bosun token create|list|delete` manage named tokens, each with a role and optionally a project.
 */
export function registerTokenCommand(program: Command, io: Io): void {
  const token = withCluster(
    program
      .command("token")
      .description(
        `print a built-in bearer token of the HTTP API (from the Secret ${API_TOKENS_SECRET}); create, list and delete manage named ones`,
      )
      .option("--role <role>", "admin or readonly", "readonly")
      .enablePositionalOptions(),
  ).action(async (opts: ClusterFlags & { role: string }) => {
    const wanted = role(opts.role);
    const tokens = await ensureApiTokens(clientFrom(opts), opts.namespace, AbortSignal.timeout(60_000));
    io.out(`${tokens[wanted]}\n`);
  });

  withCluster(
    token
      .command("create <name>")
      .description("create a named token and print it once (the cluster keeps only its SHA-256)")
      .requiredOption("--role <role>", "admin or readonly")
      .option("--project <project>", "see and act on this project's Applications only (default: every project)")
      .option("--rotate", "replace the token of that name if there is one (its old value stops working)"),
  ).action(async (name: string, opts: ClusterFlags & { role: string; project?: string; rotate?: boolean }) => {
    const wanted = role(opts.role);
    const problem =
      tokenNameProblem(name) ?? (opts.project === undefined ? undefined : projectNameProblem(opts.project));
    if (problem) throw new UsageError(problem);
    try {
      const value = await createNamedToken(clientFrom(opts), opts.namespace, {
        name,
        role: wanted,
        ...(opts.project === undefined ? {} : { project: opts.project }),
        rotate: Boolean(opts.rotate),
        signal: AbortSignal.timeout(60_000),
      });
      io.out(`${value}\n`);
    } catch (err) {
      if (err instanceof TokenExistsError) throw new CommandFailedError(err.message);
      throw err;
    }
  });

  withCluster(
    token.command("list").description("list the named tokens: name, role, project (never a token or hash)"),
  ).action(async (opts: ClusterFlags) => {
    const tokens = await listNamedTokens(clientFrom(opts), opts.namespace, AbortSignal.timeout(60_000));
    io.out(
      table(
        ["NAME", "ROLE", "PROJECT", "CREATED"],
        tokens.map((t) => [t.name, t.role, t.project ?? "(all)", t.created ?? ""]),
      ),
    );
  });

  withCluster(token.command("delete <name>").description("delete a named token: the server refuses it at once")).action(
    async (name: string, opts: ClusterFlags) => {
      const problem = tokenNameProblem(name);
      if (problem) throw new UsageError(problem);
      try {
        await deleteNamedToken(clientFrom(opts), opts.namespace, name, AbortSignal.timeout(60_000));
      } catch (err) {
        if (err instanceof NoSuchTokenError) throw new CommandFailedError(err.message);
        throw err;
      }
      io.out(`token ${name} deleted\n`);
    },
  );
}
