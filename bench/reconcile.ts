// bench/reconcile: what a reconcile costs on the real control plane.
//   npx tsx bench/reconcile.ts [--apps 200] [--objects 10] [--idle-seconds 60] [--drift-runs 20]
//                              [--large 5000] [--kube-qps 2000] [--only fleet|large]
// Prints: commit → Synced+Healthy with a 1 s interval; kubectl-scale → revert (median of N); the cost of
// many idle Applications (CPU seconds per minute, RSS, API requests per minute by verb); and one
// Application of --large objects: cold sync, idle resync, a sync asked for again, cascade delete.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { Application, KubeObject } from "../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../src/cluster/index.js";
import { startAgent } from "../src/controller/index.js";
import { down, kubectl, up } from "../test/harness/control-plane.js";
import { Repo } from "../test/source/git-fixture.js";
import { benchLargeApp } from "./large-app.js";
import { median } from "./stats.js";

const { values } = parseArgs({
  options: {
    apps: { type: "string", default: "200" },
    objects: { type: "string", default: "10" },
    "idle-seconds": { type: "string", default: "60" },
    "drift-runs": { type: "string", default: "20" },
    "idle-interval": { type: "string", default: "1m" },
    large: { type: "string", default: "5000" },
    "kube-qps": { type: "string", default: "2000" },
    only: { type: "string" },
  },
});
const APPS = Number(values.apps);
const OBJECTS = Number(values.objects);
const IDLE_SECONDS = Number(values["idle-seconds"]);
const DRIFT_RUNS = Number(values["drift-runs"]);
const IDLE_INTERVAL = values["idle-interval"];
const LARGE = Number(values.large);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(join(tmpdir(), "bosun-bench-reconcile-"));
const clusterDir = join(work, "cluster");
const requests = { total: 0, byMethod: new Map<string, number>() };
const controller = new AbortController();
async function benchFleet(cluster: { kubeconfig: string; server: string }, client: KubeClient): Promise<void> {
  const ns = "bench";
  kubectl(cluster.kubeconfig, ["create", "namespace", ns]);
  const repo = await Repo.init(join(work, "repo"));
  const files: Record<string, string> = {
    "web/deployment.yaml": `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: web, image: "nginx:1.0" }]\n`,
  };
  for (let a = 0; a < APPS; a++) {
    for (let o = 0; o < OBJECTS; o++)
      files[`idle/a${a}/cm${o}.yaml`] =
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a${a}-cm${o}\ndata: { v: "${o}" }\n`;
  }
  let sha = await repo.commit("bench", files);
  const agent = await startAgent({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    concurrency: 4,
    cacheDir: join(work, "agent-cache"),
    allowFileRepos: [work],
    log: pino({ level: "warn" }),
    signal: controller.signal,
    observeRequests: ({ method }) => {
      requests.total++;
      requests.byMethod.set(method, (requests.byMethod.get(method) ?? 0) + 1);
    },
  });
  const app = (name: string, path: string, dest: string, interval: string): KubeObject => ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name, namespace: ns },
    spec: {
      source: { repoURL: repo.fileUrl, path },
      destination: { namespace: dest },
      syncPolicy: { automated: { prune: true, selfHeal: true }, interval, syncOptions: ["CreateNamespace=true"] },
    },
  });
  const getApp = async (name: string) =>
    (await client.get({ apiVersion: "bosun.dev/v1alpha1", kind: "Application", namespace: ns, name })) as unknown as
      | Application
      | undefined;
  const settled = (a: Application | undefined, rev: string) =>
    a?.status?.sync?.status === "Synced" &&
    a.status.sync.revision === rev &&
    a.status.health?.status === "Healthy" &&
    a.status.operation?.phase !== "Running";

  // 1. Commit → Synced and Healthy, 1 s interval.
  await client.apply(app("web", "web", "bench-web", "1s"));
  while (!settled(await getApp("web"), sha)) await sleep(50);
  const commitTimes: number[] = [];
  for (let i = 1; i <= 5; i++) {
    sha = await repo.commit(`image ${i}`, {
      "web/deployment.yaml": (files["web/deployment.yaml"] ?? "").replace("nginx:1.0", `nginx:1.${i}`),
    });
    const t0 = performance.now();
    while (!settled(await getApp("web"), sha)) await sleep(20);
    commitTimes.push(performance.now() - t0);
  }

  // 2. kubectl scale → reverted, seen through a watch.
  const seen = new WatchCache(client, { namespace: "bench-web" });
  await seen.watchKind("apps/v1", "Deployment");
  const ref = { group: "apps", kind: "Deployment", namespace: "bench-web", name: "web" };
  const replicas = () => (seen.get(ref)?.spec as { replicas?: number } | undefined)?.replicas;
  const driftTimes: number[] = [];
  for (let i = 0; i < DRIFT_RUNS; i++) {
    await client.rest.request({
      method: "PATCH",
      path: "/apis/apps/v1/namespaces/bench-web/deployments/web/scale",
      query: { fieldManager: "kubectl" },
      body: { spec: { replicas: 5 } },
      contentType: "application/merge-patch+json",
    });
    const t0 = performance.now();
    while (replicas() !== 5 && performance.now() - t0 < 2000) await sleep(1); // our own change, seen
    while (replicas() !== 2) await sleep(1);
    driftTimes.push(performance.now() - t0);
    await sleep(200);
  }
  seen.stop();

  // 3. Many idle Applications.
  const setupStart = performance.now();
  for (let a = 0; a < APPS; a++)
    await client.apply(app(`idle-${a}`, `idle/a${a}`, `bench-idle-${a % 10}`, IDLE_INTERVAL));
  for (;;) {
    const { items } = await client.list("bosun.dev/v1alpha1", "Application", { namespace: ns });
    if (
      (items as unknown as Application[]).filter((x) => x.metadata.name.startsWith("idle-") && settled(x, sha))
        .length === APPS
    )
      break;
    await sleep(1000);
  }
  const setupSeconds = (performance.now() - setupStart) / 1000;
  // Each sync is followed by one more reconcile that compares the result; wait until that backlog is done:
  // five seconds without a request to the API server.
  const quietSince = performance.now();
  for (;;) {
    const before = requests.total;
    await sleep(5000);
    if (requests.total === before && agent.queue.length === 0) break;
    if (performance.now() - quietSince > 600_000) throw new Error("the agent never went quiet after the initial syncs");
  }
  requests.total = 0;
  requests.byMethod.clear();
  const cpu0 = process.cpuUsage();
  await sleep(IDLE_SECONDS * 1000);
  const cpu = process.cpuUsage(cpu0);
  const perMinute = 60 / IDLE_SECONDS;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;

  console.log(`bosun reconcile benchmark (real control plane, kube ${cluster.server})`);
  console.log(
    `commit → Synced+Healthy (1 s interval):  median ${median(commitTimes).toFixed(0)} ms  (runs: ${commitTimes.map((t) => t.toFixed(0)).join(", ")})`,
  );
  console.log(
    `kubectl scale → reverted:                median ${median(driftTimes).toFixed(0)} ms over ${DRIFT_RUNS} runs (min ${Math.min(...driftTimes).toFixed(0)}, max ${Math.max(...driftTimes).toFixed(0)})`,
  );
  console.log(
    `${APPS} idle Applications × ${OBJECTS} ConfigMaps (synced in ${setupSeconds.toFixed(0)} s), measured over ${IDLE_SECONDS} s:`,
  );
  console.log(
    `  CPU:       ${(((cpu.user + cpu.system) / 1e6) * perMinute).toFixed(2)} CPU-seconds per minute (agent process)`,
  );
  console.log(`  RSS:       ${rssMiB.toFixed(0)} MiB`);
  console.log(
    `  requests:  ${(requests.total * perMinute).toFixed(0)} per minute (${[...requests.byMethod].map(([m, n]) => `${m} ${(n * perMinute).toFixed(0)}`).join(", ") || "none"})`,
  );
  console.log(`  queue:     ${agent.queue.length} waiting`);
}

try {
  const cluster = await up(clusterDir);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: cluster.kubeconfig }));
  if (values.only !== "large") await benchFleet(cluster, client);
  if (values.only !== "fleet" && LARGE > 0)
    await benchLargeApp({
      kubeconfig: cluster.kubeconfig,
      client,
      work,
      objects: LARGE,
      kubeQps: Number(values["kube-qps"]),
      idleRuns: 5,
      signal: controller.signal,
    });
} finally {
  controller.abort();
  await down(clusterDir);
  rmSync(work, { recursive: true, force: true });
}
