// An in-process bosun agent against the test cluster, stopped when the test ends.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { pino } from "pino";
import { parse, stringify } from "yaml";
import { type Application, installNames, type KubeObject } from "../../src/api/index.js";
import { clusterInstall } from "../../src/cli/install-manifests.js";
import { applyObjects, KubeClient, loadClusterConfig, type RequestObserver } from "../../src/cluster/index.js";
import { type Agent, type AgentObserver, startAgent } from "../../src/controller/index.js";
import {
  type ClusterTarget,
  SHARED_KUBECONFIG_ENV,
  type TestNamespace,
  testNamespace,
} from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { Repo, TempDirs } from "../source/git-fixture.js";

export interface RunningAgent {
  agent: Agent;
  logs: string[];
  stop: () => Promise<void>;
}

/**
 * Starts an agent for the Applications in ns; its JSON log lines are kept in `logs`. It may read file://
 * repositories under the system's temporary directory (where the tests make theirs) unless told otherwise.
 */
export async function startTestAgent(
  t: TestContext,
  ns: TestNamespace,
  options: {
    allowFileRepos?: readonly string[];
    kubeconfig?: string;
    kubeQps?: number;
    kubeBurst?: number;
    /** Hears what the agent does, as /metrics does (e.g. a BosunMetrics). */
    observe?: AgentObserver;
    /** The agent's --dashboard-url. */
    dashboardUrl?: string;
    /** Sees every API request the agent makes. */
    observeRequests?: RequestObserver;
  } = {},
): Promise<RunningAgent> {
  const kubeconfig =
    options.kubeconfig ?? (asInstalledAgent(ns) ? await installedAgentKubeconfig(t, ns) : ns.kubeconfig);
  const controller = new AbortController();
  const cacheDir = mkdtempSync(join(tmpdir(), "bosun-agent-"));
  const logs: string[] = [];
  agentLogs = logs;
  const log = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const agent = await startAgent({
    kubeconfig,
    namespace: ns.name,
    concurrency: 2,
    cacheDir,
    allowFileRepos: options.allowFileRepos ?? [tmpdir()],
    kubeQps: options.kubeQps,
    kubeBurst: options.kubeBurst,
    ...(options.observe ? { observe: options.observe } : {}),
    ...(options.dashboardUrl ? { dashboardUrl: options.dashboardUrl } : {}),
    ...(options.observeRequests ? { observeRequests: options.observeRequests } : {}),
    log,
    signal: controller.signal,
  });
  const stop = async () => {
    if (controller.signal.aborted) return;
    controller.abort();
    await agent.done;
    rmSync(cacheDir, { recursive: true, force: true });
  };
  t.after(async () => {
    await stop();
    // On failure the agent's own account is the first thing to read.
    if (process.exitCode || t.signal.aborted) return;
  });
  t.afterEach?.(() => undefined);
  return { agent, logs, stop };
}

/**
 * With BOSUN_TEST_AGENT_IDENTITY=installed, agents on the real control plane run as `bosun install`'s
 * ServiceAccount (a TokenRequest token, no other identity): the reconciler's tests then prove its RBAC is
 * enough (test/controller/installed-identity.test.ts runs them so).
 */
export const AGENT_IDENTITY_ENV = "BOSUN_TEST_AGENT_IDENTITY";

function asInstalledAgent(ns: TestNamespace): boolean {
  return process.env[AGENT_IDENTITY_ENV] === "installed" && ns.kubeconfig === process.env[SHARED_KUBECONFIG_ENV];
}

/** Installs bosun's RBAC for ns (no workload) and returns a kubeconfig holding only its agent's token. */
async function installedAgentKubeconfig(t: TestContext, ns: TestNamespace): Promise<string> {
  const names = installNames(ns.name);
  // The cluster roles outlive this test context on purpose: a subtest's agent may be one of several that
  // share the namespace, and the shared control plane goes at the end of the run with everything in it.
  const admin = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const results = await applyObjects(admin, clusterInstall(ns.name), { fieldManager: "bosun-test" });
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`install failed: ${failed.map((r) => r.error?.message).join("; ")}`);
  const token = ns.kubectl(["create", "token", names.agent, "--duration", "1h"]).trim();
  const dir = mkdtempSync(join(tmpdir(), "bosun-agent-identity-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return tokenKubeconfig(ns.kubeconfig, token, dir);
}

/** A kubeconfig for the same cluster as `admin`, authenticated by `token` alone. */
export function tokenKubeconfig(admin: string, token: string, dir: string): string {
  const config = parse(readFileSync(admin, "utf8")) as { clusters: Array<{ name: string }> };
  const cluster = config.clusters[0];
  if (!cluster) throw new Error(`${admin} names no cluster`);
  const path = join(dir, "agent-kubeconfig");
  writeFileSync(
    path,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [cluster],
      users: [{ name: "agent", user: { token } }],
      contexts: [{ name: "agent", context: { cluster: cluster.name, user: "agent" } }],
      "current-context": "agent",
    }),
    { mode: 0o600 },
  );
  return path;
}

let agentLogs: string[] | undefined;

export function getApp(ns: TestNamespace, name: string): Application {
  return JSON.parse(ns.kubectl(["get", "applications.bosun.dev", name, "-o", "json"])) as Application;
}

/** Polls the Application until check() holds; the failure names the last status seen. */
export async function waitForApp(
  ns: TestNamespace,
  name: string,
  what: string,
  check: (app: Application) => boolean,
  timeoutMs = 90_000,
): Promise<Application> {
  let last: Application | undefined;
  await waitFor(
    what,
    async () => {
      last = getApp(ns, name);
      return check(last);
    },
    {
      timeoutMs,
      intervalMs: 250,
      detail: () =>
        `${JSON.stringify(last?.status, null, 1)?.slice(0, 4000) ?? "(no status)"}${agentLogs ? `\nagent log:\n${agentLogs.slice(-30).join("")}` : ""}`,
    },
  );
  return last as Application;
}

export const syncedAndHealthy = (sha: string) => (app: Application) =>
  app.status?.sync?.status === "Synced" &&
  app.status.sync.revision === sha &&
  app.status.health?.status === "Healthy" &&
  app.status.operation?.phase !== "Running";

export interface AppTestSetup {
  ns: TestNamespace;
  /** The Application's destination namespace (created by the sync, deleted after the test). */
  dest: string;
  repo: Repo;
  temp: TempDirs;
}

/** A test namespace for the Application, a destination namespace, and a fresh git repository. */
export async function appTestSetup(t: TestContext, target: ClusterTarget = "real"): Promise<AppTestSetup> {
  const ns = await testNamespace(t, target);
  const dest = `${ns.name}-app`;
  t.after(() => ns.kubectl(["delete", "namespace", dest, "--wait=false", "--ignore-not-found"]));
  const temp = new TempDirs();
  t.after(() => temp.cleanup());
  const repo = await Repo.init(await temp.make("bosun-test-repo-"));
  return { ns, dest, repo, temp };
}

/** Applies an automated Application (prune, self-heal, CreateNamespace) of `path` in the repository. */
export function applyApplication(
  setup: AppTestSetup,
  name: string,
  options: {
    path: string;
    revision?: string;
    interval?: string;
    timeout?: string;
    source?: Record<string, unknown>;
    project?: string;
    repoURL?: string;
    destination?: Record<string, unknown>;
    /** More spec.syncPolicy.syncOptions, after CreateNamespace=true. */
    syncOptions?: string[];
    ignoreDifferences?: Array<Record<string, unknown>>;
    /** More of the spec, e.g. healthChecks. */
    spec?: Record<string, unknown>;
  },
): void {
  setup.ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name, namespace: setup.ns.name },
      spec: {
        project: options.project,
        source: {
          repoURL: options.repoURL ?? setup.repo.fileUrl,
          path: options.path,
          revision: options.revision,
          ...options.source,
        },
        destination: options.destination ?? { namespace: setup.dest },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          interval: options.interval ?? "1s",
          timeout: options.timeout,
          syncOptions: ["CreateNamespace=true", ...(options.syncOptions ?? [])],
        },
        ignoreDifferences: options.ignoreDifferences,
        ...options.spec,
      },
    }),
  );
}

/**
 * A CustomResourceDefinition of one namespaced kind (plural: the kind in lower case plus "s") in `group`,
 * any fields allowed; with `statusSubresource`, its status is written through /status as controllers do.
 */
export function simpleCrd(group: string, kind: string, options: { statusSubresource?: boolean } = {}): KubeObject {
  const singular = kind.toLowerCase();
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${singular}s.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: `${singular}s`, singular, kind },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          ...(options.statusSubresource ? { subresources: { status: {} } } : {}),
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
}

/**
 * `bosun ARGS` as a user runs it, against ns (its kubeconfig and Applications): exit code and output.
 * Asynchronous on purpose: an agent running in this process must keep working while the CLI waits.
 */
export function runBosun(
  ns: TestNamespace,
  args: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  return runCli([...args, "--kubeconfig", ns.kubeconfig, "--app-namespace", ns.name]);
}

/** `bosun ARGS` against ns that must succeed: its output; a failure names the agent's last log lines. */
export async function runBosunOk(ns: TestNamespace, agent: RunningAgent, args: readonly string[]): Promise<string> {
  const r = await runBosun(ns, args);
  if (r.code !== 0)
    throw new Error(`bosun ${args.join(" ")} failed: ${r.err}\nagent log:\n${agent.logs.slice(-15).join("")}`);
  return r.out;
}

/** `bosun ARGS` exactly as given: exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], (error, out, err) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, out, err }),
    );
  });
}
