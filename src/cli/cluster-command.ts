// `bosun cluster add|list|remove`: the clusters Applications may deploy to, kept as Secrets in the agent's
// namespace (labelled bosun.dev/secret-type: cluster). The agent watches them; nothing here talks to the
// added cluster itself: the agent, inside its own cluster, is what reaches it.
import type { Command } from "commander";
import {
  ANNOTATIONS,
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  type Application,
  DEFAULT_APP_NAMESPACE,
  IN_CLUSTER,
  type KubeObject,
} from "../api/index.js";
import {
  CLUSTER_SECRET_SELECTOR,
  ClusterSecretError,
  clusterFromSecret,
  clusterSecretFromKubeconfig,
  KubeClient,
  loadClusterConfig,
} from "../cluster/index.js";
import { type ClusterStatus, destinedTo, kubeVersionOf } from "../controller/index.js";
import { CommandFailedError, formatData, parseFormat, table, UsageError } from "./output.js";
import type { Io } from "./program.js";

interface ClusterFlags {
  namespace: string;
  kubeconfig?: string;
  context?: string;
  output: string;
}

const clientFrom = (opts: ClusterFlags) =>
  new KubeClient(loadClusterConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));

const withAgentCluster = (cmd: Command) =>
  cmd
    .option("--namespace <ns>", "the agent's namespace, where cluster Secrets live", DEFAULT_APP_NAMESPACE)
    .option("--kubeconfig <path>", "kubeconfig of the cluster bosun runs in (default: $KUBECONFIG, ~/.kube/config)")
    .option("--context <name>", "context of that kubeconfig");

/** A cluster name becomes part of its Secret's name (`cluster-NAME`): a DNS label keeps both valid. */
function clusterNameProblem(name: string): string | undefined {
  if (name === IN_CLUSTER.name) return `${IN_CLUSTER.name} is the agent's own cluster`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
    return "must be a DNS label: lower-case letters, digits and '-', at most 63 characters";
  return undefined;
}

/** One row of `bosun cluster list`. */
interface ClusterRow {
  name: string;
  server: string;
  secret?: string;
  state: string;
  version?: string;
  message?: string;
  applications: number;
}

async function clusterSecrets(client: KubeClient, namespace: string): Promise<KubeObject[]> {
  return (await client.list("v1", "Secret", { namespace, labelSelector: CLUSTER_SECRET_SELECTOR })).items;
}

/** The Applications in `namespace` (the agent's), or in every namespace when it is undefined. */
async function applications(client: KubeClient, namespace: string | undefined): Promise<Application[]> {
  if (!(await client.serves(APPLICATION_API_VERSION, APPLICATION_KIND))) return []; // no agent has run yet
  const { items } = await client.list(APPLICATION_API_VERSION, APPLICATION_KIND, namespace ? { namespace } : {});
  return items as unknown as Application[];
}

function publishedStatus(secret: KubeObject): ClusterStatus | undefined {
  const raw = secret.metadata.annotations?.[ANNOTATIONS.clusterStatus];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as ClusterStatus;
  } catch {
    return undefined;
  }
}

async function clusterRows(client: KubeClient, namespace: string, allNamespaces = false): Promise<ClusterRow[]> {
  const [secrets, apps, version] = await Promise.all([
    clusterSecrets(client, namespace),
    applications(client, allNamespaces ? undefined : namespace),
    client.serverVersion().then(
      (v) => kubeVersionOf(v.gitVersion),
      () => undefined,
    ),
  ]);
  const count = (cluster: { name: string; server: string }) =>
    apps.filter((a) => destinedTo(a.spec.destination ?? {}, cluster)).length;
  const rows: ClusterRow[] = [
    {
      ...IN_CLUSTER,
      state: version ? "Reachable" : "Unreachable",
      ...(version ? { version } : {}),
      applications: count(IN_CLUSTER),
    },
  ];
  for (const secret of secrets) {
    const name = secret.metadata.name ?? "";
    try {
      const entry = clusterFromSecret(secret);
      const status = publishedStatus(secret);
      rows.push({
        name: entry.name,
        server: entry.server,
        secret: name,
        state: status?.state ?? "Unknown",
        ...(status?.version ? { version: status.version } : {}),
        ...(status?.message ? { message: status.message } : {}),
        applications: count(entry),
      });
    } catch (err) {
      if (!(err instanceof ClusterSecretError)) throw err;
      rows.push({ name: "", server: "", secret: name, state: "Invalid", message: err.message, applications: 0 });
    }
  }
  return rows;
}

export function registerClusterCommands(program: Command, io: Io): void {
  const cluster = program
    .command("cluster")
    .description("the clusters Applications may deploy to (Secrets in the agent's namespace)")
    .enablePositionalOptions();

  withAgentCluster(
    cluster
      .command("add <name>")
      .description("add (or update) a destination cluster from a kubeconfig context: its server and credentials")
      .requiredOption("--from-kubeconfig <path>", "the kubeconfig that reaches the cluster to add")
      .option("--from-context <name>", "its context (default: its current context)"),
  ).action(async (name: string, opts: ClusterFlags & { fromKubeconfig: string; fromContext?: string }) => {
    const problem = clusterNameProblem(name);
    if (problem) throw new UsageError(`cluster name ${name}: ${problem}`);
    let secret: KubeObject;
    let server: string;
    try {
      secret = clusterSecretFromKubeconfig({
        name,
        namespace: opts.namespace,
        kubeconfig: opts.fromKubeconfig,
        ...(opts.fromContext ? { context: opts.fromContext } : {}),
      });
      // What the agent will make of it, checked before it is stored.
      server = clusterFromSecret(secret).server;
    } catch (err) {
      if (err instanceof ClusterSecretError) throw new UsageError(err.message);
      throw new UsageError(`--from-kubeconfig ${opts.fromKubeconfig}: ${(err as Error).message}`);
    }
    const client = clientFrom(opts);
    const clash = (await clusterRows(client, opts.namespace)).find(
      (r) => r.secret !== secret.metadata.name && (r.name === name || r.server === server),
    );
    if (clash)
      throw new CommandFailedError(
        `cluster ${clash.name} (${clash.server}) already has ${clash.name === name ? "that name" : "that server"}${clash.secret ? ` (Secret ${clash.secret})` : ""}`,
      );
    await client.ensureNamespace(opts.namespace);
    const result = await client.apply(secret, { fieldManager: "bosun-cli", force: true });
    io.out(
      `cluster ${name} (${server}) ${result.created ? "added" : "updated"}: Secret ${opts.namespace}/${secret.metadata.name}\n`,
    );
  });

  withAgentCluster(
    cluster
      .command("list")
      .description("the clusters, as the agent last saw them, and how many Applications deploy to each")
      .option("-A, --all-namespaces", "count the Applications of every namespace, not only the agent's")
      .option("-o, --output <format>", "table, json or yaml", "table"),
  ).action(async (opts: ClusterFlags & { allNamespaces?: boolean }) => {
    const format = parseFormat(opts.output);
    const rows = await clusterRows(clientFrom(opts), opts.namespace, opts.allNamespaces === true);
    if (format !== "table") {
      io.out(formatData(rows, format));
      return;
    }
    io.out(
      table(
        ["NAME", "SERVER", "STATE", "VERSION", "APPS", "MESSAGE"],
        rows.map((r) => [
          r.name || `(Secret ${r.secret})`,
          r.server,
          r.state,
          r.version ?? "",
          String(r.applications),
          r.message ?? "",
        ]),
      ),
    );
  });

  withAgentCluster(
    cluster.command("remove <name>").description("remove a destination cluster (its Secret); what it runs stays"),
  ).action(async (name: string, opts: ClusterFlags) => {
    if (name === IN_CLUSTER.name) throw new UsageError(`${IN_CLUSTER.name} is the agent's own cluster`);
    const client = clientFrom(opts);
    const row = (await clusterRows(client, opts.namespace)).find((r) => r.name === name && r.secret);
    if (!row?.secret) throw new CommandFailedError(`no cluster ${name} in namespace ${opts.namespace}`);
    await client.delete({ apiVersion: "v1", kind: "Secret", namespace: opts.namespace, name: row.secret });
    io.out(
      `cluster ${name} removed${row.applications > 0 ? `; ${row.applications} Applications deploying to it now apply nothing (UnknownCluster)` : ""}\n`,
    );
  });
}
