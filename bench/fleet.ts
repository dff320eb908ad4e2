// bench/fleet: many Applications of a small app (~10 objects) from one Git repository, on the real control
// plane or the embedded server. Prints figures; asserts nothing.
//   npx tsx bench/fleet.ts [--apps 100] [--target real|embedded] [--idle-seconds 60] [--kube-qps N]
//                          [--concurrency 4] [--interval 1m] [--drift-runs 10] [--controller-qps N] [--peer flux]
//                          [--skip-commit] [--profile-idle FILE.cpuprofile]
// Cold: time until every Application is Synced and Healthy (and p50/p90/max per Application), agent CPU
// seconds, peak RSS, API requests by verb, git processes. Idle: CPU, RSS, requests and git processes per
// minute. Drift revert latency with the fleet present. Commit → all Synced, with a webhook and without.
// --peer flux (npm run bench:fleet:flux): afterwards, with bosun's agent stopped, the same workload as Flux
// Kustomizations on the same control plane (bench/peers/flux.ts; the controllers are built on first use,
// ~5 min), and the ratio bosun / Flux. Requests are also counted at the API server for both.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { Application, KubeObject } from "../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../src/cluster/index.js";
import { startAgent } from "../src/controller/index.js";
import { down, up } from "../test/harness/control-plane.js";
import { startEmbeddedProcess } from "../test/harness/embedded-process.js";
import { Repo } from "../test/source/git-fixture.js";
import { runFluxPeer } from "./peers/flux.js";
import { apiServerRequests, cpuSecondsByThread, describeCounts, diff, totalOf } from "./peers/metrics.js";
import { percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    apps: { type: "string", default: "100" },
    target: { type: "string", default: "real" },
    "idle-seconds": { type: "string", default: "60" },
    "kube-qps": { type: "string" },
    concurrency: { type: "string", default: "4" },
    interval: { type: "string", default: "1m" },
    "drift-runs": { type: "string", default: "10" },
    "controller-qps": { type: "string" },
    peer: { type: "string" },
    "skip-commit": { type: "boolean", default: false },
    "profile-idle": { type: "string" },
  },
});
// kube-controller-manager's default pace (20 requests a second per controller) makes hundreds of
// Deployments available slowly whatever applied them; the harness passes this on (real target only).
if (values["controller-qps"]) process.env.BOSUN_CONTROLLER_QPS = values["controller-qps"];
if (values.peer !== undefined && (values.peer !== "flux" || values.target !== "real"))
  throw new Error(`--peer: only "flux", on --target real`);
const APPS = Number(values.apps);
const IDLE_SECONDS = Number(values["idle-seconds"]);
/** Unset: the agent's default (client-side 50/s until the server shows it paces clients itself). */
const QPS = values["kube-qps"] === undefined ? undefined : Number(values["kube-qps"]);
const DRIFT_RUNS = Number(values["drift-runs"]);
const NS = "fleet";

/** A CPU profile of this process (the agent runs in it) from now until stop, for Chrome DevTools. */
async function startProfile(): Promise<{ stop: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    stop: async (file) => {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A podinfo-like app: 10 objects, the same for every Application (each in its own namespace). */
function appFiles(image: string): Record<string, string> {
  const doc = (o: object) => JSON.stringify(o);
  const labels = { app: "podinfo" };
  return {
    "app/deployment.yaml": doc({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "podinfo" },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: "podinfo",
            containers: [{ name: "podinfo", image, ports: [{ containerPort: 9898 }] }],
          },
        },
      },
    }),
    "app/service.yaml": doc({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "podinfo" },
      spec: { selector: labels, ports: [{ port: 9898 }] },
    }),
    "app/sa.yaml": doc({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "podinfo" } }),
    "app/role.yaml": doc({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "podinfo" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
    }),
    "app/rolebinding.yaml": doc({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "podinfo" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "podinfo" },
      subjects: [{ kind: "ServiceAccount", name: "podinfo" }],
    }),
    "app/pdb.yaml": doc({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "podinfo" },
      spec: { minAvailable: 0, selector: { matchLabels: labels } },
    }),
    ...Object.fromEntries(
      ["config", "features", "routes", "limits"].map((n) => [
        `app/${n}.yaml`,
        doc({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `podinfo-${n}` }, data: { [n]: "on" } }),
      ]),
    ),
  };
}

async function startCluster(work: string): Promise<{ kubeconfig: string; stop: () => Promise<void> }> {
  if (values.target === "embedded") {
    const embedded = await startEmbeddedProcess(join(work, "embedded"));
    return { kubeconfig: embedded.kubeconfig, stop: embedded.stop };
  }
  const dir = join(work, "cluster");
  const cluster = await up(dir);
  return { kubeconfig: cluster.kubeconfig, stop: async () => void (await down(dir)) };
}

/** A `git` first on PATH that writes each command down, so git processes can be counted. */
function countGit(work: string): () => number {
  const bin = join(work, "bin");
  const log = join(work, "git.log");
  mkdirSync(bin, { recursive: true });
  writeFileSync(log, "");
  writeFileSync(join(bin, "git"), `#!/bin/sh\necho "$*" >> '${log}'\nexec /usr/bin/git "$@"\n`);
  chmodSync(join(bin, "git"), 0o755);
  process.env.PATH = `${bin}:${process.env.PATH}`;
  return () => readFileSync(log, "utf8").split("\n").length - 1;
}

/** Git processes by subcommand, from the log countGit writes. */
function gitSubcommands(work: string): string {
  const counts = new Map<string, number>();
  for (const line of readFileSync(join(work, "git.log"), "utf8").split("\n").filter(Boolean)) {
    const words = line.split(" ");
    // Skip global options (-C DIR, -c KEY=VALUE, --git-dir DIR, ...).
    let i = 0;
    while (words[i]?.startsWith("-")) i += ["-C", "-c", "--git-dir", "--work-tree"].includes(words[i] ?? "") ? 2 : 1;
    const sub = words[i] ?? "?";
    counts.set(sub, (counts.get(sub) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

const work = mkdtempSync(join(tmpdir(), "bosun-bench-fleet-"));
const stopAgent = new AbortController();
/** Resolves once the agent stopped: the control plane goes only after it (or the agent's watches outlive it). */
let agentDone: Promise<void> = Promise.resolve();
const requests = new Map<string, number>();
/** Cold requests by what they were for: verb, resource, subresource, dry run or watch. */
const purposes = new Map<string, number>();
function purpose(method: string, path: string, query: Record<string, unknown> = {}): string {
  const parts = path.split("/").filter(Boolean);
  const ns = parts.indexOf("namespaces");
  // .../namespaces/NS/RESOURCE[/NAME[/SUB]] or .../RESOURCE[/NAME[/SUB]] after the group/version.
  const rest = ns >= 0 && parts.length > ns + 2 ? parts.slice(ns + 2) : parts.slice(parts[0] === "api" ? 2 : 3);
  const [resource = "?", name, sub] = rest;
  const flags = [query.dryRun ? "dry-run" : "", query.watch ? "watch" : "", name ? "" : "list"];
  return [method, sub ? `${resource}/${sub}` : resource, ...flags.filter(Boolean)].join(" ");
}
const total = () => [...requests.values()].reduce((a, b) => a + b, 0);
const byVerb = () => [...requests].map(([m, n]) => `${m} ${n}`).join(", ") || "none";
let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
try {
  cluster = await startCluster(work);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: cluster.kubeconfig }), { qps: 1000, burst: 2000 });
  await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  const repo = await Repo.init(join(work, "repo"));
  let sha = await repo.commit("podinfo", appFiles("ghcr.io/stefanprodan/podinfo:6.7.0"));
  const gitProcesses = countGit(work);

  let peakRss = 0;
  const rss = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  rss.unref();
  const agent = await startAgent({
    kubeconfig: cluster.kubeconfig,
    namespace: NS,
    concurrency: Number(values.concurrency),
    ...(QPS === undefined ? {} : { kubeQps: QPS, kubeBurst: QPS * 2 }),
    cacheDir: join(work, "agent-cache"),
    allowFileRepos: [work],
    log: pino({ level: process.env.BENCH_LOG_LEVEL ?? "warn" }),
    signal: stopAgent.signal,
    observeRequests: ({ method, path, query }) => {
      requests.set(method, (requests.get(method) ?? 0) + 1);
      const key = purpose(method, path, query);
      purposes.set(key, (purposes.get(key) ?? 0) + 1);
    },
  });
  agentDone = agent.done;
  const apps = new WatchCache(client, { namespace: NS, accept: () => true });
  await apps.watchKind("bosun.dev/v1alpha1", "Application");
  const list = () => apps.list() as unknown as Application[];
  const settled = (a: Application, rev: string) =>
    a.status?.sync?.status === "Synced" &&
    a.status.sync.revision === rev &&
    a.status.health?.status === "Healthy" &&
    a.status.operation?.phase !== "Running";
  const application = (i: number): KubeObject => ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: `podinfo-${i}`, namespace: NS },
    spec: {
      source: { repoURL: repo.fileUrl, path: "app" },
      destination: { namespace: `fleet-${i}` },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        interval: values.interval,
        syncOptions: ["CreateNamespace=true"],
      },
    },
  });
  /** Waits until every Application is settled at rev; the time each settled, from `from`. */
  const allSettled = async (rev: string, from: number) => {
    const at = new Map<string, number>();
    while (at.size < APPS) {
      for (const a of list())
        if (!at.has(a.metadata.name) && settled(a, rev)) at.set(a.metadata.name, performance.now() - from);
      await sleep(100);
    }
    return [...at.values()];
  };

  // Cold.
  const cpu0 = process.cpuUsage();
  const api0 = await apiServerRequests(client);
  const t0 = performance.now();
  for (let i = 0; i < APPS; i++) await client.apply(application(i));
  const cold = await allSettled(sha, t0);
  const coldCpu = process.cpuUsage(cpu0);
  const apiCold = diff(await apiServerRequests(client), api0);
  const coldRss = peakRss;
  const coldRequests = byVerb();
  const coldTotal = total();
  const coldGit = gitProcesses();
  console.log(
    `bosun fleet benchmark: ${APPS} Applications × 10 objects on ${values.target}, agent --kube-qps ${QPS ?? "default"}, concurrency ${values.concurrency}, controllers' qps ${values["controller-qps"] ?? "default"}`,
  );
  console.log(
    `cold → all Synced+Healthy:  ${s(Math.max(...cold))} (per Application p50 ${s(percentile(cold, 0.5))}, p90 ${s(percentile(cold, 0.9))})`,
  );
  console.log(
    `  agent CPU ${((coldCpu.user + coldCpu.system) / 1e6).toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, git processes ${coldGit}`,
  );
  console.log(`    git: ${gitSubcommands(work)}`);
  console.log(`  API requests ${coldTotal} (${(coldTotal / APPS).toFixed(1)} per Application): ${coldRequests}`);
  const byPurpose = [...purposes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(n / APPS).toFixed(1)}`);
  console.log(`    per Application: ${byPurpose.join(", ")}`);
  if (apiCold.size > 0)
    console.log(
      `  API server, all clients (apiserver_request_total): ${totalOf(apiCold)} (${(totalOf(apiCold) / APPS).toFixed(1)} per Application): ${describeCounts(apiCold)}`,
    );

  // Idle: the follow-up reconciles first, then a quiet window.
  for (let quiet = 0; quiet < 3; ) {
    const before = total();
    await sleep(2000);
    quiet = total() === before && agent.queue.length === 0 ? quiet + 1 : 0;
  }
  requests.clear();
  const git0 = gitProcesses();
  const cpuIdle0 = process.cpuUsage();
  const threads0 = cpuSecondsByThread(process.pid);
  peakRss = 0;
  const profiler = values["profile-idle"] ? await startProfile() : undefined;
  await sleep(IDLE_SECONDS * 1000);
  const cpuIdle = process.cpuUsage(cpuIdle0);
  const threads = [...cpuSecondsByThread(process.pid)]
    .map(([name, secs]) => [name, secs - (threads0.get(name) ?? 0)] as const)
    .filter(([, secs]) => secs > 0)
    .sort((a, b) => b[1] - a[1]);
  if (profiler && values["profile-idle"]) await profiler.stop(values["profile-idle"]);
  const perMinute = 60 / IDLE_SECONDS;
  const writes = [...requests].filter(([m]) => m !== "GET").reduce((a, [, n]) => a + n, 0);
  console.log(`idle, over ${IDLE_SECONDS} s (per minute):`);
  console.log(
    `  CPU ${(((cpuIdle.user + cpuIdle.system) / 1e6) * perMinute).toFixed(2)} CPU-s (${(((cpuIdle.user + cpuIdle.system) / 1e6 / IDLE_SECONDS) * 100).toFixed(1)} % of a core), RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`    by thread: ${threads.map(([name, secs]) => `${name} ${(secs * perMinute).toFixed(2)}`).join(", ")}`);
  console.log(
    `  API requests ${(total() * perMinute).toFixed(0)} (writes ${(writes * perMinute).toFixed(0)}), git processes ${((gitProcesses() - git0) * perMinute).toFixed(0)}`,
  );

  // Drift revert with the fleet present.
  const watched = new WatchCache(client, { namespace: "fleet-0" });
  await watched.watchKind("v1", "ConfigMap");
  const ref = { group: "", kind: "ConfigMap", namespace: "fleet-0", name: "podinfo-config" };
  const value = () => (watched.get(ref)?.data as Record<string, string> | undefined)?.config;
  const drift: number[] = [];
  for (let i = 0; i < DRIFT_RUNS; i++) {
    await client.mergePatch(
      { apiVersion: "v1", kind: "ConfigMap", namespace: "fleet-0", name: "podinfo-config" },
      { data: { config: `by-hand-${i}` } },
    );
    const t = performance.now();
    while (value() !== `by-hand-${i}` && performance.now() - t < 2000) await sleep(1);
    while (value() !== "on") await sleep(1);
    drift.push(performance.now() - t);
    await sleep(200);
  }
  watched.stop();
  console.log(
    `drift revert: median ${percentile(drift, 0.5).toFixed(0)} ms over ${DRIFT_RUNS} runs (max ${Math.max(...drift).toFixed(0)})`,
  );

  // Commit → all Synced: with a webhook (every Application on the repository refreshed), then without.
  if (!values["skip-commit"]) {
    sha = await repo.commit("new image", appFiles("ghcr.io/stefanprodan/podinfo:6.7.1"));
    let t1 = performance.now();
    for (const a of list()) agent.requestRefresh(`${NS}/${a.metadata.name}`);
    const hooked = await allSettled(sha, t1);
    console.log(`commit → all Synced+Healthy with a webhook: ${s(Math.max(...hooked))}`);
    sha = await repo.commit("another image", appFiles("ghcr.io/stefanprodan/podinfo:6.7.2"));
    t1 = performance.now();
    const polled = await allSettled(sha, t1);
    console.log(`commit → all Synced+Healthy by polling (interval ${values.interval}): ${s(Math.max(...polled))}`);
  }
  apps.stop();

  if (values.peer === "flux") {
    stopAgent.abort();
    await agent.done;
    await runFluxPeer({
      kubeconfig: cluster.kubeconfig,
      client,
      repo,
      appFiles,
      apps: APPS,
      interval: values.interval,
      concurrency: Number(values.concurrency),
      idleSeconds: IDLE_SECONDS,
      skipCommit: values["skip-commit"],
      work,
      bosun: {
        coldMs: Math.max(...cold),
        requests: coldTotal,
        apiServerRequests: totalOf(apiCold),
        cpuSeconds: (coldCpu.user + coldCpu.system) / 1e6,
        peakRssMiB: coldRss / 2 ** 20,
      },
    });
  }
} finally {
  stopAgent.abort();
  await agentDone;
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
}
