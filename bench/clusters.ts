// bench/clusters: one agent, three clusters (its own real control plane, a second real control plane and the
// embedded server), N Applications on each of a small app (Deployment, Service, ConfigMap), all from one Git
// repository. Prints figures; asserts nothing.
//   npx tsx bench/clusters.ts [--apps-per-cluster 100] [--idle-seconds 60] [--controller-qps 500] [--concurrency 4]
// Cold: time until every Application is Synced and Healthy, overall and per cluster, agent CPU and peak RSS,
// API requests per cluster. Idle: agent CPU and API requests per minute, per cluster.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { Application } from "../src/api/index.js";
import { clusterSecretFromKubeconfig, KubeClient, loadClusterConfig, WatchCache } from "../src/cluster/index.js";
import { startAgent } from "../src/controller/index.js";
import { down, up } from "../test/harness/control-plane.js";
import { startEmbeddedProcess } from "../test/harness/embedded-process.js";
import { Repo } from "../test/source/git-fixture.js";
import { SMALL_APP_FILES } from "./small-app.js";
import { percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    "apps-per-cluster": { type: "string", default: "100" },
    "idle-seconds": { type: "string", default: "60" },
    "controller-qps": { type: "string", default: "500" },
    concurrency: { type: "string", default: "4" },
  },
});
process.env.BOSUN_CONTROLLER_QPS = values["controller-qps"];
const PER_CLUSTER = Number(values["apps-per-cluster"]);
const IDLE_SECONDS = Number(values["idle-seconds"]);
const NS = "fleet";
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const work = mkdtempSync(join(tmpdir(), "bosun-bench-clusters-"));
const stops: Array<() => Promise<void>> = [];
const stopAgent = new AbortController();
let agentDone: Promise<void> = Promise.resolve();
try {
  const homeDir = join(work, "home");
  const remoteDir = join(work, "remote");
  const home = await up(homeDir);
  stops.push(async () => void (await down(homeDir)));
  const remote = await up(remoteDir);
  stops.push(async () => void (await down(remoteDir)));
  const embedded = await startEmbeddedProcess(join(work, "embedded"));
  stops.push(embedded.stop);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: home.kubeconfig }), { qps: 1000, burst: 2000 });
  await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  for (const [name, kubeconfig] of [
    ["remote", remote.kubeconfig],
    ["embedded", embedded.kubeconfig],
  ] as const)
    await client.apply(clusterSecretFromKubeconfig({ name, namespace: NS, kubeconfig }), { force: true });
  const repo = await Repo.init(join(work, "repo"));
  const sha = await repo.commit("web", { ...SMALL_APP_FILES });

  const requests = new Map<string, number>();
  const servers = new Map([
    [loadClusterConfig({ kubeconfig: home.kubeconfig }).server, "in-cluster"],
    [loadClusterConfig({ kubeconfig: remote.kubeconfig }).server, "remote"],
    [loadClusterConfig({ kubeconfig: embedded.kubeconfig }).server, "embedded"],
  ]);
  let peakRss = 0;
  const rss = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  rss.unref();
  const cpuAtStart = process.cpuUsage();
  const agent = await startAgent({
    kubeconfig: home.kubeconfig,
    namespace: NS,
    concurrency: Number(values.concurrency),
    cacheDir: join(work, "cache"),
    allowFileRepos: [work],
    log: pino({ level: "warn" }),
    signal: stopAgent.signal,
    observeRequests: (r) => {
      const cluster = servers.get(r.server) ?? r.server;
      requests.set(cluster, (requests.get(cluster) ?? 0) + 1);
    },
  });
  agentDone = agent.done;
  await new Promise((r) => setTimeout(r, 1000)); // the cluster Secrets read

  const done = new Map<string, number>();
  const apps = new WatchCache(client, { namespace: NS, accept: () => true });
  await apps.watchKind("bosun.dev/v1alpha1", "Application");
  const started = Date.now();
  const clusterOf = (i: number) => ["in-cluster", "remote", "embedded"][i % 3] as string;
  const created: Array<Promise<unknown>> = [];
  for (let i = 0; i < PER_CLUSTER * 3; i++) {
    const app = {
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name: `web-${i}`, namespace: NS },
      spec: {
        source: { repoURL: repo.fileUrl, path: "app" },
        destination: { name: clusterOf(i), namespace: `web-${i}` },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          interval: "1m",
          syncOptions: ["CreateNamespace=true"],
        },
      },
    };
    created.push(client.apply(app as never, { force: true }));
  }
  await Promise.all(created);
  for (;;) {
    for (const a of apps.list() as unknown as Application[]) {
      const st = a.status;
      if (
        !done.has(a.metadata.name) &&
        st?.sync?.status === "Synced" &&
        st.sync.revision === sha &&
        st.health?.status === "Healthy"
      )
        done.set(a.metadata.name, Date.now() - started);
    }
    if (done.size === PER_CLUSTER * 3) break;
    if (Date.now() - started > 30 * 60_000)
      throw new Error(`only ${done.size} of ${PER_CLUSTER * 3} Synced after 30 min`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const cold = Date.now() - started;
  const cpuCold = process.cpuUsage(cpuAtStart);
  const coldRequests = new Map(requests);
  console.log(
    `# bench/clusters: ${PER_CLUSTER} Applications × 3 clusters (3 objects each), 2 real control planes + embedded`,
  );
  console.log(`cold → all ${PER_CLUSTER * 3} Synced and Healthy: ${s(cold)}`);
  for (const [i, name] of ["in-cluster", "remote", "embedded"].entries()) {
    const times = [...done].filter(([n]) => Number(n.slice(4)) % 3 === i).map(([, t]) => t);
    console.log(
      `  ${name.padEnd(10)} p50 ${s(percentile(times, 0.5))}, last ${s(Math.max(...times))}, API requests ${coldRequests.get(name) ?? 0}`,
    );
  }
  console.log(
    `agent CPU ${((cpuCold.user + cpuCold.system) / 1e6).toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );

  requests.clear();
  const cpuIdle = process.cpuUsage();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idleCpu = process.cpuUsage(cpuIdle);
  const perMinute = (n: number) => ((n * 60) / IDLE_SECONDS).toFixed(0);
  console.log(
    `idle, per minute: agent CPU ${(((idleCpu.user + idleCpu.system) / 1e6) * (60 / IDLE_SECONDS)).toFixed(2)} s; API requests ${["in-cluster", "remote", "embedded"].map((c) => `${c} ${perMinute(requests.get(c) ?? 0)}`).join(", ")}`,
  );
  apps.stop();
} finally {
  stopAgent.abort();
  await agentDone;
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
