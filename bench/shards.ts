// bench/shards: the same workload reconciled by 1, 2 and 3 `bosun agent --shards N` processes (N replicas,
// N shards) on a real control plane: N Applications of a small app (Deployment, Service, ConfigMap) from one
// Git repository. Prints figures; asserts nothing. The machine's cores bound what more processes can gain.
//   npx tsx bench/shards.ts [--apps 150] [--concurrency 4] [--controller-qps 500]
// Per run: time until every Application is Synced and Healthy (p50 and last), throughput, and the agents'
// CPU summed (from /proc).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Application } from "../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../src/cluster/index.js";
import { down, up } from "../test/harness/control-plane.js";
import { Repo } from "../test/source/git-fixture.js";
import { SMALL_APP_FILES } from "./small-app.js";
import { percentile } from "./stats.js";

const { values } = parseArgs({
  options: {
    apps: { type: "string", default: "150" },
    concurrency: { type: "string", default: "4" },
    "controller-qps": { type: "string", default: "500" },
  },
});
process.env.BOSUN_CONTROLLER_QPS = values["controller-qps"];
const APPS = Number(values.apps);
const REPO_ROOT = join(import.meta.dirname, "..");
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** user + system CPU seconds of a process and its children that exited (git, helm), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return ticks / 100;
  } catch {
    return 0;
  }
}

async function run(shards: number, kubeconfig: string, repo: Repo, sha: string, work: string): Promise<string> {
  const ns = `shards-${shards}`;
  const client = new KubeClient(loadClusterConfig({ kubeconfig }), { qps: 1000, burst: 2000 });
  await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const agents: ChildProcess[] = [];
  const cpu = new Map<number, number>();
  const sample = setInterval(() => {
    for (const a of agents) if (a.pid) cpu.set(a.pid, Math.max(cpu.get(a.pid) ?? 0, cpuSeconds(a.pid)));
  }, 500);
  try {
    for (let i = 0; i < shards; i++) {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli/main.ts",
          "agent",
          "--kubeconfig",
          kubeconfig,
          "--namespace",
          ns,
          "--cache-dir",
          join(work, `cache-${shards}-${i}`),
          "--listen",
          "127.0.0.1:0",
          "--allow-file-repos",
          work,
          "--concurrency",
          values.concurrency,
          "--log-level",
          "warn",
          "--shards",
          String(shards),
          "--leader-elect-identity",
          `replica-${i}`,
        ],
        { cwd: REPO_ROOT, stdio: "ignore" },
      );
      agents.push(child);
    }
    // Balanced before the work arrives: each replica holds one shard.
    const leases = new WatchCache(client, { namespace: ns, accept: () => true });
    await leases.watchKind("coordination.k8s.io/v1", "Lease");
    for (;;) {
      const holders = new Set(
        leases
          .list()
          .filter((l) => l.metadata.name?.startsWith("bosun-agent-shard-"))
          .map((l) => (l as { spec?: { holderIdentity?: string } }).spec?.holderIdentity ?? "")
          .filter(Boolean),
      );
      if (holders.size === shards) break;
      await sleep(200);
    }
    leases.stop();
    const cpuBefore = agents.reduce((sum, a) => sum + (a.pid ? cpuSeconds(a.pid) : 0), 0);

    const apps = new WatchCache(client, { namespace: ns, accept: () => true });
    await apps.watchKind("bosun.dev/v1alpha1", "Application");
    const started = Date.now();
    await Promise.all(
      Array.from({ length: APPS }, (_, i) =>
        client.apply(
          {
            apiVersion: "bosun.dev/v1alpha1",
            kind: "Application",
            metadata: { name: `web-${i}`, namespace: ns },
            spec: {
              source: { repoURL: repo.fileUrl, path: "app" },
              destination: { namespace: `${ns}-web-${i}` },
              syncPolicy: {
                automated: { prune: true, selfHeal: true },
                interval: "1m",
                syncOptions: ["CreateNamespace=true"],
              },
            },
          } as never,
          { force: true },
        ),
      ),
    );
    const done = new Map<string, number>();
    while (done.size < APPS) {
      for (const a of apps.list() as unknown as Application[]) {
        const st = a.status;
        if (!done.has(a.metadata.name) && st?.sync?.revision === sha && st.health?.status === "Healthy")
          done.set(a.metadata.name, Date.now() - started);
      }
      if (Date.now() - started > 30 * 60_000) throw new Error(`${ns}: only ${done.size} of ${APPS} after 30 min`);
      await sleep(200);
    }
    const total = Date.now() - started;
    apps.stop();
    const cpuAfter = agents.reduce((sum, a) => sum + (a.pid ? cpuSeconds(a.pid) : 0), 0);
    const times = [...done.values()];
    return `${String(shards).padStart(6)}   ${s(percentile(times, 0.5)).padStart(8)}   ${s(total).padStart(8)}   ${(APPS / (total / 1000)).toFixed(1).padStart(10)}   ${(cpuAfter - cpuBefore).toFixed(1).padStart(9)}`;
  } finally {
    clearInterval(sample);
    for (const a of agents) a.kill("SIGTERM");
    await Promise.all(agents.map((a) => new Promise((r) => (a.exitCode !== null ? r(null) : a.once("exit", r)))));
  }
}

const work = mkdtempSync(join(tmpdir(), "bosun-bench-shards-"));
const clusterDir = join(work, "cluster");
try {
  const cluster = await up(clusterDir);
  const repo = await Repo.init(join(work, "repo"));
  const sha = await repo.commit("web", { ...SMALL_APP_FILES });
  console.log(
    `# bench/shards: ${APPS} Applications (3 objects each), N agent processes with --shards N, one real control plane`,
  );
  console.log(" shards        p50       last   apps / s   agents CPU s");
  for (const shards of [1, 2, 3]) console.log(await run(shards, cluster.kubeconfig, repo, sha, work));
} finally {
  await down(clusterDir).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
