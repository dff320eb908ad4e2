import type { Command } from "commander";
import {
  ANNOTATIONS,
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  type Application,
  type ApplicationSource,
  type ApplicationStatus,
  buildApplication,
  CASCADE_FINALIZER,
  chartSource,
  DEFAULT_APP_NAMESPACE,
  DEFAULT_PROJECT,
  type DeniedResource,
  type DriftRecord,
  gitSource,
  IN_CLUSTER,
  type KubeObject,
  parseInventoryId,
  type QuarantinedRevision,
  type ResourceStatus,
  shortRevision,
  withPrimarySource,
} from "../api/index.js";
import { ApplicationClient, KubeClient, loadClusterConfig } from "../cluster/index.js";
import {
  chooseResource,
  listAppResources,
  MIN_INTERVAL_MS,
  namespaceProblem,
  syncRequestAnnotations,
  unquarantineAnnotations,
} from "../controller/index.js";
import { parseDuration } from "../source/index.js";
import { appDiff } from "./app-diff.js";
import { age, CommandFailedError, formatData, parseFormat, table, UsageError } from "./output.js";
import type { Io } from "./program.js";

const CLI_FIELD_MANAGER = "bosun-cli";

interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  appNamespace: string;
  output: string;
}

function clientFrom(opts: GlobalOptions): KubeClient {
  return new KubeClient(loadClusterConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));
}

/** --dest-namespace, --dest-cluster and --dest-server as spec.destination. */
function destinationOf(opts: Record<string, unknown>): Record<string, string> {
  if (opts.destCluster && opts.destServer) throw new UsageError("give --dest-cluster or --dest-server, not both");
  const out: Record<string, string> = {};
  if (opts.destNamespace) out.namespace = String(opts.destNamespace);
  if (opts.destCluster) out.name = String(opts.destCluster);
  if (opts.destServer) out.server = String(opts.destServer);
  return out;
}

const appAddress = (name: string, namespace: string) => ({
  apiVersion: APPLICATION_API_VERSION,
  kind: APPLICATION_KIND,
  namespace,
  name,
});

async function getApp(client: KubeClient, name: string, namespace: string, signal?: AbortSignal): Promise<Application> {
  const app = await client.get(appAddress(name, namespace), signal);
  if (!app) throw new CommandFailedError(`Application ${namespace}/${name} not found`);
  return app as unknown as Application;
}

async function listApps(client: KubeClient, namespace: string): Promise<Application[]> {
  const { items } = await client.list(APPLICATION_API_VERSION, APPLICATION_KIND, { namespace });
  return items as unknown as Application[];
}

async function annotate(
  client: KubeClient,
  app: Application,
  annotations: Record<string, string | null>,
): Promise<void> {
  await new ApplicationClient(client.rest).patch(app.metadata, { metadata: { annotations } });
}

const shortSha = (sha: string | undefined) => (sha ? shortRevision(sha) : "");

function summaryRow(app: Application): string[] {
  const s = app.status;
  const lastSync = s?.history?.at(-1);
  return [
    app.metadata.name,
    s?.sync?.status ?? "Unknown",
    s?.health?.status ?? "Unknown",
    shortSha(s?.sync?.revision),
    lastSync ? `${age(lastSync.deployedAt)} ago (${lastSync.result})` : "never",
  ];
}

/** Drift records shown by `app get`, newest first; `-o yaml` has them all. */
const DRIFT_SHOWN = 3;

/** What was done about a drift record, and the driftPolicy rule that said so. */
function driftOutcome(d: DriftRecord): string {
  const what = d.corrected
    ? "reverted"
    : d.action === "allow"
      ? "allowed"
      : d.action === "detect"
        ? "detected only"
        : "not corrected";
  return d.rule === undefined ? what : `${what}, driftPolicy[${d.rule}]`;
}

/** One drift record on one line: each field with its value in Git → live, then fields without values. */
export function driftLine(d: DriftRecord): string {
  const changes = d.changes ?? [];
  const withValues = new Set(changes.map((c) => c.path));
  const fields = [
    ...changes.map((c) => `${c.path} ${c.from ?? "(not set)"} → ${c.to ?? "(not set)"}`),
    ...d.fields.filter((f) => !withValues.has(f)),
  ];
  return `Drift:         ${d.resource} by ${d.manager} ${age(d.at)} ago (${driftOutcome(d)}): ${fields.join(", ")}`;
}

/** The newest drift records, newest first, one line each. */
function recentDrift(drift: readonly DriftRecord[] | undefined): string[] {
  return (drift ?? []).slice(-DRIFT_SHOWN).reverse().map(driftLine);
}

const DENIED_SHOWN = 10;

/** What the project or ownership refused in the last render, one line each (the first few). */
function deniedLines(denied: readonly DeniedResource[] | undefined): string[] {
  const list = denied ?? [];
  const lines = list.slice(0, DENIED_SHOWN).map((d) => `Denied:        ${d.resource}: ${d.rule}`);
  if (list.length > DENIED_SHOWN) lines.push(`Denied:        (${list.length - DENIED_SHOWN} more)`);
  return lines;
}

function sourceLine(src: Application["spec"]["source"] | undefined): string {
  if (src === undefined) return "(none)";
  if (src.chart) return `${src.repoURL} chart ${src.chart} @ ${src.revision ?? "*"}`;
  return `${src.repoURL} ${src.path ?? ""} @ ${src.revision ?? "HEAD"}`;
}

function reconciledByLines(by: ApplicationStatus["reconciledBy"]): string[] {
  if (!by) return [];
  return [`Reconciled by: ${by.replica}${by.shard !== undefined ? ` (shard ${by.shard})` : ""}`];
}

function syncWindowLine(w: NonNullable<ApplicationStatus["syncWindow"]>): string {
  const until = w.nextChange ? ` until ${w.nextChange}` : "";
  if (w.state === "Open") return `open${until}${w.message ? ` (${w.message})` : ""}`;
  // The message says until when (or when the next allow window opens).
  return `closed: ${w.message}${w.manualSync ? "; a sync by hand may start" : ""}`;
}

/** Revisions automatic rollbacks quarantined, one line each. */
function quarantinedLines(list: readonly QuarantinedRevision[] | undefined): string[] {
  return (list ?? []).map(
    (q) =>
      `Quarantined:   ${shortSha(q.revision)} ${age(q.at)} ago, rolled back to ${shortSha(q.rolledBackTo)}: ${q.reason}`,
  );
}

function describeApp(app: Application): string {
  const s = app.status ?? {};
  const src = withPrimarySource(app).spec.source;
  const lines = [
    `Name:          ${app.metadata.namespace}/${app.metadata.name}`,
    `Source:        ${sourceLine(src)}`,
    `Project:       ${app.spec.project ?? DEFAULT_PROJECT}`,
    `Destination:   ${app.spec.destination.namespace ?? "(none)"} on ${app.spec.destination.name || app.spec.destination.server || IN_CLUSTER.name}`,
    `Sync:          ${s.sync?.status ?? "Unknown"}${s.sync?.revision ? ` to ${shortSha(s.sync.revision)}` : ""}${s.sourceRevision ? ` (${s.sourceRevision.message.split("\n")[0]})` : ""}`,
    `Health:        ${s.health?.status ?? "Unknown"}${s.health?.message ? ` - ${s.health.message}` : ""}`,
    `Auto-sync:     ${app.spec.syncPolicy?.automated ? `on (prune=${Boolean(app.spec.syncPolicy.automated.prune)}, selfHeal=${Boolean(app.spec.syncPolicy.automated.selfHeal)})` : "off"}`,
  ];
  lines.push(...reconciledByLines(s.reconciledBy));
  if (s.syncWindow) lines.push(`Sync window:   ${syncWindowLine(s.syncWindow)}`);
  lines.push(...quarantinedLines(s.quarantined));
  if (s.rollback)
    lines.push(
      `Rolled back:   to history ${s.rollback.historyId} (${shortSha(s.rollback.revision)}); auto-sync suspended until \`bosun app resume\``,
    );
  if (s.operation) {
    const o = s.operation;
    lines.push(`Operation:     ${o.phase}${o.syncPhase ? ` (${o.syncPhase} wave ${o.wave})` : ""}: ${o.message}`);
  }
  for (const c of s.conditions ?? []) {
    if (c.status === "True" && c.type === "Ready") continue;
    if (c.status === "False" && c.type !== "Ready") continue;
    lines.push(`Condition:     ${c.type}=${c.status} ${c.reason}: ${c.message}`);
  }
  lines.push(...deniedLines(s.denied), ...recentDrift(s.drift));
  const resources = s.resources ?? [];
  lines.push(...resourceCounts(s.summary));
  const out = `${lines.join("\n")}\n`;
  if (resources.length === 0) return out;
  return `${out}\n${resourceTable(resources)}${notListed(app)}`;
}

function resourceCounts(summary: ApplicationStatus["summary"]): string[] {
  if (!summary || summary.total === 0) return [];
  return [`Resources:     ${summary.total} (${countsText(summary.sync)}; ${countsText(summary.health)})`];
}

/** The line under the table of a large Application: how many resources status does not list. */
function notListed(app: Application): string {
  const summary = app.status?.summary;
  const omitted = summary ? summary.total - summary.shown : 0;
  if (omitted <= 0) return "";
  const which = summary?.omittedSynced ? "Synced and Healthy " : "";
  return `(${omitted} more ${which}not listed: bosun app resources ${app.metadata.name})\n`;
}

function resourceTable(resources: readonly ResourceStatus[]): string {
  return table(
    ["WAVE", "KIND", "NAMESPACE", "NAME", "STATUS", "HEALTH", "MESSAGE"],
    resources.map((r) => [
      String(r.wave),
      r.group ? `${r.kind}.${r.group}` : r.kind,
      r.namespace,
      r.name,
      r.status,
      r.health ?? "",
      r.message ?? r.healthMessage ?? "",
    ]),
  );
}

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");

function isSynced(app: Application): boolean {
  return app.status?.sync?.status === "Synced" && app.status.operation?.phase !== "Running";
}
function isHealthy(app: Application): boolean {
  return app.status?.health?.status === "Healthy";
}

/** Polls until the predicate holds; shows progress; CommandFailedError on timeout. */
async function waitForApp(
  client: KubeClient,
  name: string,
  namespace: string,
  io: Io,
  options: { timeoutMs: number; done: (app: Application) => boolean | string; describe: string },
): Promise<Application> {
  const deadline = Date.now() + options.timeoutMs;
  let lastLine = "";
  for (;;) {
    const app = await getApp(client, name, namespace);
    const verdict = options.done(app);
    if (typeof verdict === "string") throw new CommandFailedError(verdict);
    if (verdict) return app;
    const op = app.status?.operation;
    const resources = app.status?.resources ?? [];
    const healthy = resources.filter((r) => r.health === "Healthy").length;
    const ready = app.status?.conditions?.find((c) => c.type === "Ready");
    const waiting = ready?.reason === "WaitingForDependencies" ? `; ${ready.message}` : "";
    const line = `${app.status?.sync?.status ?? "Unknown"}/${app.status?.health?.status ?? "Unknown"}${op?.phase === "Running" ? ` ${op.syncPhase ?? ""} wave ${op.wave ?? 0}` : ""}, ${healthy}/${resources.length} healthy${op?.phase === "Running" ? `: ${op.message}` : ""}${waiting}`;
    if (line !== lastLine) {
      io.err(`${name}: ${line}\n`);
      lastLine = line;
    }
    if (Date.now() > deadline) {
      throw new CommandFailedError(
        `timed out after ${options.timeoutMs / 1000}s waiting for ${name} to be ${options.describe} (${line})`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** spec.source.directory from --recurse, --include and --exclude; undefined when none is given. */
function directoryOptions(
  opts: Record<string, unknown>,
): { recurse?: boolean; include?: string; exclude?: string } | undefined {
  const directory = {
    ...(opts.recurse ? { recurse: true } : {}),
    ...(typeof opts.include === "string" ? { include: opts.include } : {}),
    ...(typeof opts.exclude === "string" ? { exclude: opts.exclude } : {}),
  };
  return Object.keys(directory).length > 0 ? directory : undefined;
}

/** spec.source from `app create`'s flags: a path in a Git repository, or a chart from a chart repository. */
export function sourceOf(
  opts: Record<string, unknown>,
  parts: { helmValues: string[]; directory: ReturnType<typeof directoryOptions> },
): ApplicationSource {
  const common = {
    repoURL: String(opts.repo),
    helmValueFiles: parts.helmValues,
    ...(typeof opts.credentials === "string" ? { credentials: opts.credentials } : {}),
  };
  if (typeof opts.chart !== "string") {
    if (opts.insecure) throw new UsageError("--insecure is for chart repositories and registries (--chart)");
    return gitSource({
      ...common,
      path: String(opts.path),
      revision: String(opts.revision),
      ...(parts.directory ? { directory: parts.directory } : {}),
    });
  }
  if (opts.path !== "") throw new UsageError("--path is for Git repositories; --chart names the chart");
  if (parts.directory) throw new UsageError("--recurse, --include and --exclude are for plain directories");
  return chartSource({
    ...common,
    chart: opts.chart,
    ...(opts.revision !== "HEAD" ? { revision: String(opts.revision) } : {}),
    insecure: Boolean(opts.insecure),
  });
}

/** `bosun app ...`: everything a user does with Applications, as a client of the cluster. */
export function registerAppCommands(program: Command, io: Io): void {
  const withGlobals = (cmd: Command) =>
    cmd
      .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
      .option("--context <name>", "kubeconfig context")
      .option("--app-namespace <ns>", "namespace of the Applications", DEFAULT_APP_NAMESPACE)
      .option("-o, --output <format>", "table, json or yaml", "table");

  const app = program.command("app").description("create, inspect and steer Applications");

  withGlobals(app.command("create <name>").description("create or update an Application"))
    .requiredOption("--repo <url>", "repository URL (https, ssh, git or file)")
    .option("--path <path>", "path inside the repository", "")
    .option("--revision <rev>", "branch, tag, commit SHA or semver range (with --chart: a version or range)", "HEAD")
    .option("--chart <name>", "a chart from the Helm repository (https://…) or OCI registry (oci://…) --repo names")
    .option("--insecure", "with --chart: allow a plain http:// repository or registry")
    .option("--credentials <secret>", "a repository Secret (label bosun.dev/secret-type=repository) for --repo")
    .option("--project <name>", "the Project bounding what the Application may change", DEFAULT_PROJECT)
    .option("--dest-namespace <ns>", "namespace for namespaced objects that name none")
    .option("--dest-cluster <name>", "the destination cluster's name (see bosun cluster list); default: in-cluster")
    .option("--dest-server <url>", "the destination cluster's API server URL, instead of --dest-cluster")
    .option("--helm-values <file>", "helm value file, relative to the chart (repeatable)", collect, [] as string[])
    .option("--recurse", "plain directory: include subdirectories (Argo CD's directory.recurse)")
    .option("--include <glob>", "plain directory: only files matching the glob, e.g. '{a.yaml,b/*.yaml}'")
    .option("--exclude <glob>", "plain directory: leave out files matching the glob")
    .option("--auto-sync", "sync automatically when Git or the cluster changes")
    .option("--prune", "with --auto-sync: delete objects removed from Git")
    .option("--self-heal", "with --auto-sync: revert changes made behind Git's back")
    .option("--interval <duration>", "how often to poll the repository", "1m")
    .option("--no-create-namespace", "do not create the destination namespace")
    .action(async (name: string, opts: GlobalOptions & Record<string, unknown>) => {
      if (parseDuration(String(opts.interval)) < MIN_INTERVAL_MS)
        throw new UsageError(`--interval ${String(opts.interval)} is shorter than ${MIN_INTERVAL_MS / 1000}s`);
      const destProblem = opts.destNamespace ? namespaceProblem(String(opts.destNamespace)) : undefined;
      if (destProblem) throw new UsageError(`--dest-namespace: ${destProblem}`);
      if ((opts.prune || opts.selfHeal) && !opts.autoSync)
        throw new UsageError("--prune and --self-heal need --auto-sync");
      const helmValues = opts.helmValues as string[];
      const directory = directoryOptions(opts);
      if (directory && helmValues.length > 0)
        throw new UsageError("--recurse, --include and --exclude are for plain directories, --helm-values for charts");
      const source = sourceOf(opts, { helmValues, directory });
      const application = buildApplication({
        name,
        namespace: opts.appNamespace,
        project: String(opts.project),
        source,
        destination: destinationOf(opts),
        ...(opts.autoSync ? { automated: { prune: Boolean(opts.prune), selfHeal: Boolean(opts.selfHeal) } } : {}),
        interval: String(opts.interval),
        createNamespace: opts.createNamespace !== false,
      }) as unknown as KubeObject;
      const client = clientFrom(opts);
      await client.ensureNamespace(opts.appNamespace);
      const result = await client.apply(application, { fieldManager: CLI_FIELD_MANAGER, force: true });
      io.out(`application ${opts.appNamespace}/${name} ${result.created ? "created" : "configured"}\n`);
    });

  withGlobals(app.command("list").description("list Applications")).action(async (opts: GlobalOptions) => {
    const format = parseFormat(opts.output);
    const apps = await listApps(clientFrom(opts), opts.appNamespace);
    if (format !== "table") io.out(formatData(apps, format));
    else io.out(table(["NAME", "SYNC", "HEALTH", "REVISION", "LAST SYNC"], apps.map(summaryRow)));
  });

  withGlobals(app.command("get <name>").description("show an Application, its resources and conditions")).action(
    async (name: string, opts: GlobalOptions) => {
      const format = parseFormat(opts.output);
      const application = await getApp(clientFrom(opts), name, opts.appNamespace);
      io.out(format === "table" ? describeApp(application) : formatData(application, format));
    },
  );

  withGlobals(
    app.command("resources <name>").description("list every resource of an Application, read live, with its health"),
  ).action(async (name: string, opts: GlobalOptions) => {
    const format = parseFormat(opts.output);
    const client = clientFrom(opts);
    const resources = await listAppResources(client, await getApp(client, name, opts.appNamespace));
    if (format !== "table") io.out(formatData(resources, format));
    else
      io.out(
        table(
          ["KIND", "NAMESPACE", "NAME", "STATUS", "HEALTH", "MESSAGE"],
          resources.map((r) => [
            r.group ? `${r.kind}.${r.group}` : r.kind,
            r.namespace,
            r.name,
            r.status ?? "",
            r.health,
            r.healthMessage,
          ]),
        ),
      );
  });

  withGlobals(app.command("diff <name>").description("show how the cluster differs from Git (Secret values masked)"))
    .option("--exit-code", "exit 1 when there are differences, like git diff")
    .action(async (name: string, opts: GlobalOptions & { exitCode?: boolean }) => {
      const client = clientFrom(opts);
      const application = await getApp(client, name, opts.appNamespace);
      const { text, differs } = await appDiff(client, application, AbortSignal.timeout(300_000));
      io.out(text);
      if (differs && opts.exitCode) throw new CommandFailedError(`${name} differs from Git`);
    });

  withGlobals(app.command("history <name>").description("list the syncs of an Application")).action(
    async (name: string, opts: GlobalOptions) => {
      const format = parseFormat(opts.output);
      const history = (await getApp(clientFrom(opts), name, opts.appNamespace)).status?.history ?? [];
      if (format !== "table") io.out(formatData(history, format));
      else
        io.out(
          table(
            ["ID", "DEPLOYED", "REVISION", "INITIATED BY", "RESULT"],
            history.map((h) => [String(h.id), h.deployedAt, shortSha(h.revision), h.initiatedBy, h.result]),
          ),
        );
    },
  );

  interface SyncFlags {
    revision?: string;
    prune?: boolean;
    dryRun?: boolean;
    resource: string[];
    async?: boolean;
    timeout: string;
  }

  /** The inventory ids --resource names, among the objects the Application deploys (its status lists them). */
  const chosenResources = (application: Application, choices: readonly string[]): string[] => {
    const known = [
      ...(application.status?.resources ?? []),
      ...(application.status?.inventory ?? []).map(parseInventoryId).filter((r) => r !== undefined),
    ];
    return choices.map((choice) => {
      const id = chooseResource(choice, known);
      if (typeof id !== "string") throw new UsageError(id.error);
      return id;
    });
  };

  withGlobals(app.command("sync <name>").description("sync now (optionally to a revision) and wait for the result"))
    .option("--revision <rev>", "sync this revision once instead of the Application's")
    .option("--prune", "delete objects no longer in Git, even without automated prune")
    .option("--dry-run", "check every object with a server-side dry run and say what a sync would do; change nothing")
    .option(
      "--resource <GROUP:KIND:[NAMESPACE/]NAME>",
      "sync only this object (repeatable; the core group is empty: :ConfigMap:settings)",
      collect,
      [] as string[],
    )
    .option("--async", "do not wait for the sync to finish")
    .option("--timeout <duration>", "how long to wait", "5m")
    .action(async (name: string, opts: GlobalOptions & SyncFlags) => {
      const client = clientFrom(opts);
      const application = await getApp(client, name, opts.appNamespace);
      const resources = chosenResources(application, opts.resource);
      const requestedAt = new Date().toISOString();
      await annotate(client, application, {
        [ANNOTATIONS.reconcileRequestedAt]: requestedAt,
        [ANNOTATIONS.syncRevision]: opts.revision ?? null,
        [ANNOTATIONS.syncRequestedBy]: null,
        ...syncRequestAnnotations({ prune: opts.prune, dryRun: opts.dryRun, resources }),
      });
      io.out(`${opts.dryRun ? "dry run" : "sync"} of ${name} requested\n`);
      if (opts.async) return;
      const done = await waitForApp(client, name, opts.appNamespace, io, {
        timeoutMs: parseDuration(opts.timeout),
        describe: "synced",
        done: (a) => {
          if ((a.status?.handledSyncRequest ?? "") < requestedAt) return false;
          if (a.status?.syncWindow?.refusedRequest === requestedAt)
            return `sync of ${name} was not started: ${a.status.syncWindow.message}`;
          const op = a.status?.operation;
          if (op?.dryRun && op.phase === "Failed")
            return `${op.message}\n${(op.failures ?? []).map((f) => `  ${f.resource}: ${f.message}`).join("\n")}`;
          if (op?.phase === "Failed" || op?.phase === "Error") return `sync of ${name} failed: ${op.message}`;
          return op?.phase !== "Running";
        },
      });
      if (opts.dryRun) {
        io.out(`${done.status?.operation?.message ?? "dry run finished"}\n`);
        return;
      }
      io.out(
        `${name} synced to ${shortSha(done.status?.sync?.revision)}: ${done.status?.sync?.status}/${done.status?.health?.status}\n`,
      );
    });

  withGlobals(app.command("wait <name>").description("wait until an Application is synced and/or healthy"))
    .option("--synced", "wait for Synced")
    .option("--healthy", "wait for Healthy")
    .option("--timeout <duration>", "how long to wait", "5m")
    .action(async (name: string, opts: GlobalOptions & { synced?: boolean; healthy?: boolean; timeout: string }) => {
      const wantSynced = opts.synced || !opts.healthy;
      const wantHealthy = opts.healthy || !opts.synced;
      await waitForApp(clientFrom(opts), name, opts.appNamespace, io, {
        timeoutMs: parseDuration(opts.timeout),
        describe: [wantSynced ? "Synced" : "", wantHealthy ? "Healthy" : ""].filter(Boolean).join(" and "),
        done: (a) => (!wantSynced || isSynced(a)) && (!wantHealthy || isHealthy(a)),
      });
      io.out(
        `${name} is ${[wantSynced ? "Synced" : "", wantHealthy ? "Healthy" : ""].filter(Boolean).join(" and ")}\n`,
      );
    });

  withGlobals(
    app.command("rollback <name> [historyId]").description("emergency rollback to an earlier sync; suspends auto-sync"),
  ).action(async (name: string, historyId: string | undefined, opts: GlobalOptions) => {
    const client = clientFrom(opts);
    const application = await getApp(client, name, opts.appNamespace);
    const history = application.status?.history ?? [];
    const current = application.status?.sync?.revision;
    const target = historyId
      ? history.find((h) => String(h.id) === historyId)
      : [...history].reverse().find((h) => h.result === "Succeeded" && h.revision !== current);
    if (!target)
      throw new UsageError(
        historyId
          ? `history entry ${historyId} not found in ${name}`
          : `${name} has no earlier successful sync to roll back to`,
      );
    await annotate(client, application, {
      [ANNOTATIONS.rollbackTo]: String(target.id),
      [ANNOTATIONS.reconcileRequestedAt]: new Date().toISOString(),
      [ANNOTATIONS.syncRequestedBy]: null,
    });
    io.out(
      `rolling ${name} back to history ${target.id} (${shortSha(target.revision)}); auto-sync is suspended until \`bosun app resume ${name}\`\n`,
    );
  });

  withGlobals(app.command("resume <name>").description("end a rollback: automated sync follows Git again")).action(
    async (name: string, opts: GlobalOptions) => {
      const client = clientFrom(opts);
      const application = await getApp(client, name, opts.appNamespace);
      await annotate(client, application, {
        [ANNOTATIONS.rollbackTo]: null,
        [ANNOTATIONS.reconcileRequestedAt]: new Date().toISOString(),
      });
      io.out(`${name} resumed\n`);
    },
  );

  withGlobals(
    app
      .command("unquarantine <name> <revision>")
      .description("let automated sync sync a revision an automatic rollback quarantined"),
  ).action(async (name: string, revision: string, opts: GlobalOptions) => {
    const client = clientFrom(opts);
    const application = await getApp(client, name, opts.appNamespace);
    const request = unquarantineAnnotations(application, revision, new Date().toISOString());
    if ("reject" in request) throw new UsageError(request.reject);
    await annotate(client, application, request.annotations);
    io.out(
      `${name}: ${request.lifts.map((r) => shortSha(r)).join(", ")} no longer quarantined; automated sync may sync it again\n`,
    );
  });

  withGlobals(app.command("delete <name>").description("delete an Application (with --cascade, also what it deployed)"))
    .option("--cascade", "delete the Application's resources too")
    .action(async (name: string, opts: GlobalOptions & { cascade?: boolean }) => {
      const client = clientFrom(opts);
      const application = await getApp(client, name, opts.appNamespace);
      if (opts.cascade) {
        const finalizers = [...new Set([...(application.metadata.finalizers ?? []), CASCADE_FINALIZER])];
        await new ApplicationClient(client.rest).patch(
          { namespace: opts.appNamespace, name },
          { metadata: { finalizers } },
        );
      }
      await client.delete(appAddress(name, opts.appNamespace));
      io.out(`application ${name} deleted${opts.cascade ? " (its resources are being deleted by the agent)" : ""}\n`);
    });
}
