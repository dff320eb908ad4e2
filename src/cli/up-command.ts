// `bosun up`: the embedded Kubernetes-compatible API server (SQLite store, workload simulator), the agent
// and its HTTP server with the dashboard, in one process; with no --repo, an example repository made on
// the fly. The agent reaches the embedded server through the kubeconfig it writes, as it would any cluster.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { type Logger, pino } from "pino";
import { DEFAULT_APP_NAMESPACE, type KubeObject } from "../api/index.js";
import { KubeClient, loadClusterConfig } from "../cluster/index.js";
import { type EmbeddedServer, startEmbeddedServer } from "../embedded/index.js";
import { buildTools, ToolMissingError, toolPath } from "../tools/index.js";
import { startAgentRuntime } from "./agent-runtime.js";
import { EXAMPLE_APP, EXAMPLE_PATH, ensureExampleRepo } from "./example-repo.js";
import { UsageError } from "./output.js";

export const DEFAULT_UP_PORT = 16443;
export const DEFAULT_UI_PORT = 8080;

export interface UpOptions {
  dataDir: string;
  /** Directories besides the example repository and --repo that file:// repositories may be read from. */
  allowFileRepos?: readonly string[];
  port: number;
  uiPort: number;
  /** An Application for this repository (URL or local directory); the example when absent. */
  repo?: string;
  path?: string;
  revision?: string;
  log: Logger;
  signal: AbortSignal;
  /** Where the banner goes. */
  print: (text: string) => void;
}

export interface RunningUp {
  embedded: EmbeddedServer;
  dashboardUrl: string;
  adminToken: string;
  /** Resolves when the signal aborted and everything stopped. */
  done: Promise<void>;
}

function portOption(flag: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} ${value} is not a port`);
  return port;
}

/** One `bosun up` per data directory: a second would share the SQLite store with the first. */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "bosun-up.pid");
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, "utf8").trim());
    let alive = false;
    try {
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (alive) throw new UsageError(`bosun up is already running on ${dataDir} (pid ${pid}); stop it first`);
  }
  writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

function inUse(err: unknown, flag: string, port: number): Error {
  if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
    return new UsageError(`port ${port} is in use: pick another with ${flag}`);
  return err as Error;
}

/** The example renders with the pinned kustomize; build it once (about half a minute) when it is missing. */
async function ensureKustomize(print: (text: string) => void, signal: AbortSignal): Promise<void> {
  try {
    toolPath("kustomize");
  } catch (err) {
    // With BOSUN_TOOLS_DIR (bosun's image) the tools are shipped, never built.
    if (!(err instanceof ToolMissingError) || err.toolsDir !== undefined) throw err;
    print("building the pinned kustomize once (needs Go; about half a minute)...\n");
    await buildTools({ only: ["kustomize"], signal });
  }
}

function applicationFor(options: UpOptions, repoURL: string, name: string, path: string): Record<string, unknown> {
  return {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name, namespace: DEFAULT_APP_NAMESPACE },
    spec: {
      source: { repoURL, path, ...(options.revision ? { revision: options.revision } : {}) },
      destination: { namespace: name },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        interval: repoURL.startsWith("file://") ? "5s" : "1m",
        syncOptions: ["CreateNamespace=true"],
      },
    },
  };
}

function appName(repo: string): string {
  const base = basename(repo.replace(/\/+$/, "")).replace(/\.git$/, "");
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
  return name || "app";
}

/** Creates the Application unless one of that name exists (a restart keeps what the user changed). */
async function ensureApplication(client: KubeClient, app: Record<string, unknown>, signal: AbortSignal) {
  const metadata = app.metadata as { name: string; namespace: string };
  const ref = { apiVersion: "bosun.dev/v1alpha1", kind: "Application", ...metadata };
  if (await client.get(ref, signal)) return false;
  await client.apply(app as unknown as KubeObject, { signal });
  return true;
}

/**
 * The data directory holds every Secret of the embedded cluster and the admin tokens: only its owner may
 * read it. Made 0700, and files an older bosun left readable lose their group and other bits.
 */
function privateDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tighten = (path: string): void => {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) chmodSync(path, info.mode & 0o700);
    if (info.isDirectory()) for (const entry of readdirSync(path)) tighten(join(path, entry));
  };
  tighten(dataDir);
}

export async function startUp(options: UpOptions): Promise<RunningUp> {
  const { dataDir, log, signal, print } = options;
  privateDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  let embedded: EmbeddedServer;
  try {
    embedded = await startEmbeddedServer({
      dataDir,
      port: options.port,
      onControllerError: (err) => log.warn({ error: err.message }, "embedded controller error"),
    });
  } catch (err) {
    unlock();
    throw inUse(err, "--port", options.port);
  }
  const stopAll = async () => {
    await embedded.close();
    unlock();
  };
  try {
    let repoURL: string;
    let name: string;
    let path: string;
    const fileRepos = [...(options.allowFileRepos ?? [])];
    if (options.repo) {
      const local = existsSync(options.repo) ? resolve(options.repo) : undefined;
      if (local) fileRepos.push(local);
      repoURL = local ? `file://${local}` : options.repo;
      name = appName(options.repo);
      path = options.path ?? ".";
    } else {
      await ensureKustomize(print, signal);
      const dir = join(dataDir, "example-repo");
      if (ensureExampleRepo(dir)) log.info({ dir }, "made the example repository");
      fileRepos.push(dir);
      repoURL = `file://${dir}`;
      name = EXAMPLE_APP;
      path = EXAMPLE_PATH;
    }
    const client = new KubeClient(loadClusterConfig({ kubeconfig: embedded.kubeconfigPath }));
    await client.ensureNamespace(DEFAULT_APP_NAMESPACE, signal);
    let runtime: Awaited<ReturnType<typeof startAgentRuntime>>;
    try {
      runtime = await startAgentRuntime({
        kubeconfig: embedded.kubeconfigPath,
        namespace: "",
        concurrency: 4,
        cacheDir: join(dataDir, "agent-cache"),
        allowFileRepos: fileRepos,
        listen: { host: "127.0.0.1", port: options.uiPort },
        // Notifications link here; a port the system picks is known only once it listens, so there is no link then.
        ...(options.uiPort > 0 ? { dashboardUrl: `http://127.0.0.1:${options.uiPort}/` } : {}),
        log,
        signal,
      });
    } catch (err) {
      throw inUse(err, "--ui-port", options.uiPort);
    }
    if (await ensureApplication(client, applicationFor(options, repoURL, name, path), signal))
      log.info({ application: `${DEFAULT_APP_NAMESPACE}/${name}`, repoURL, path }, "created the Application");
    const done = (async () => {
      await runtime.done;
      await stopAll();
    })();
    return { embedded, dashboardUrl: runtime.url, adminToken: runtime.tokens.admin, done };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function kubectlHint(): string {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return "kubectl";
  } catch {
    try {
      return toolPath("kubectl");
    } catch {
      return "kubectl";
    }
  }
}

export function upBanner(up: RunningUp, options: Pick<UpOptions, "repo" | "dataDir">): string {
  const kubectl = kubectlHint();
  const example = options.repo
    ? ""
    : `\nThe example repository is ${join(options.dataDir, "example-repo")}: edit a file there and \`git commit -am ...\`;\nbosun syncs the commit within seconds.\n`;
  return `bosun is up.

  API server   ${up.embedded.url}   (kubeconfig ${up.embedded.kubeconfigPath})
  dashboard    ${up.dashboardUrl}   (admin token ${up.adminToken})
${example}
Next:
  export KUBECONFIG=${up.embedded.kubeconfigPath}
  ${kubectl} get applications -A
  npm run -s bosun -- app get ${options.repo ? appName(options.repo) : EXAMPLE_APP}
  ${kubectl} -n ${options.repo ? appName(options.repo) : EXAMPLE_APP} scale deployment --all --replicas 5   # bosun reverts it

Ctrl-C stops everything; \`bosun up\` again resumes from ${options.dataDir}.
`;
}

interface UpFlags {
  dataDir: string;
  allowFileRepos?: string[];
  port: string;
  uiPort: string;
  repo?: string;
  path?: string;
  revision?: string;
  logLevel: string;
}

export function registerUpCommand(program: Command, print: (text: string) => void): void {
  program
    .command("up")
    .description("run an embedded cluster, the agent and the dashboard on this machine, with an example app")
    .option("--data-dir <dir>", "where the cluster's database, kubeconfig and caches live", join(homedir(), ".bosun"))
    .option("--port <n>", "port of the embedded API server", String(DEFAULT_UP_PORT))
    .option("--ui-port <n>", "port of the dashboard and the HTTP API", String(DEFAULT_UI_PORT))
    .option("--repo <url|dir>", "create an Application for this git repository instead of the example")
    .option("--path <path>", "with --repo: the directory of the repository to deploy", ".")
    .option("--revision <rev>", "with --repo: branch, tag, commit or semver range (default: HEAD)")
    .option("--log-level <level>", "trace, debug, info, warn or error", "warn")
    .option("--allow-file-repos <dirs...>", "more directories file:// repositories may be read from")
    .action(async (flags: UpFlags) => {
      // Everything bosun up and the git it runs create in the data directory is its owner's alone.
      process.umask(0o077);
      const port = portOption("--port", flags.port);
      const uiPort = portOption("--ui-port", flags.uiPort);
      const dataDir = resolve(flags.dataDir);
      const log = pino({ level: flags.logLevel, base: { component: "bosun-up" } });
      const controller = new AbortController();
      for (const sig of ["SIGINT", "SIGTERM"] as const)
        process.once(sig, () => controller.abort(new Error(`received ${sig}`)));
      const options = {
        dataDir,
        allowFileRepos: flags.allowFileRepos?.map((dir) => resolve(dir)),
        port,
        uiPort,
        repo: flags.repo,
        path: flags.repo ? flags.path : undefined,
        revision: flags.revision,
        log,
        signal: controller.signal,
        print,
      };
      const up = await startUp(options);
      print(upBanner(up, options));
      await up.done;
      print("bosun stopped.\n");
    });
}
