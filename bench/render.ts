// Render timings: the same kustomize overlay and the same chart, cold (the tool runs), warm from memory and
// warm from the on-disk cache (a new renderer), next to a bare run of the pinned binary; then a chart from a
// Helm repository (HTTPS on loopback) resolved, pulled and rendered, next to `helm template --repo`.
// Median of N runs. Prints figures; asserts nothing.  npx tsx bench/render.ts [runs]
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { Renderer, type RenderRequest } from "../src/render/index.js";
import { ChartSource } from "../src/source/index.js";
import { toolPath } from "../src/tools/locate.js";
import { runHelm } from "../test/harness/helm-cli.js";
import { startHelmRepoServer } from "../test/harness/helm-repo-server.js";

const run = promisify(execFile);
const FIXTURES = resolve(import.meta.dirname, "../test/render/fixtures");
const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 15);
const signal = AbortSignal.timeout(30 * 60 * 1000);

interface Case {
  name: string;
  request: Omit<RenderRequest, "signal" | "commit">;
  bare: { tool: "helm" | "kustomize"; args: string[] };
}

const chartDir = join(FIXTURES, "helm-chart-vendored-subchart");
const CASES: Case[] = [
  {
    name: "kustomize overlays/prod",
    request: {
      repoRoot: join(FIXTURES, "kustomize-base-two-overlays"),
      path: "overlays/prod",
      source: {},
      app: { name: "guestbook", namespace: "bosun" },
      destinationNamespace: "guestbook",
    },
    bare: { tool: "kustomize", args: ["build", join(FIXTURES, "kustomize-base-two-overlays/overlays/prod")] },
  },
  {
    name: "helm chart + subchart",
    request: {
      repoRoot: chartDir,
      path: ".",
      source: { helm: { valueFiles: ["values-prod.yaml"] } },
      app: { name: "guestbook", namespace: "bosun" },
      destinationNamespace: "guestbook",
    },
    bare: {
      tool: "helm",
      args: [
        "template",
        "guestbook",
        chartDir,
        "--namespace=guestbook",
        `--values=${join(chartDir, "values-prod.yaml")}`,
        "--include-crds",
      ],
    },
  },
];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up, not counted
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), "bosun-bench-render-"));
  try {
    const homes = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: work,
      HELM_CACHE_HOME: join(work, "helm-cache"),
      HELM_CONFIG_HOME: join(work, "helm-config"),
      HELM_DATA_HOME: join(work, "helm-data"),
    };
    const rows: string[][] = [];
    for (const c of CASES) {
      const bare = await time(() => run(toolPath(c.bare.tool), c.bare.args, { env: homes, maxBuffer: 1 << 26 }));
      // Cold: no commit, so nothing is cached and the tool runs every time (plus bosun's checks and parsing).
      const renderer = new Renderer();
      const cold = await time(() => renderer.render({ ...c.request, signal }));
      // Warm: same commit, the same renderer: served from memory.
      const commit = "0".repeat(40);
      const cacheDir = join(work, `cache-${rows.length}`);
      const cached = new Renderer({ cacheDir });
      await cached.render({ ...c.request, commit, signal }); // fills the cache (memory and disk)
      const warm = await time(async () => {
        const r = await cached.render({ ...c.request, commit, signal });
        if (!r.fromCache) throw new Error("expected a cache hit");
      });
      // Warm from disk: a new renderer each time (as after a restart), reading the JSON cache file.
      const disk = await time(async () => {
        const r = await new Renderer({ cacheDir }).render({ ...c.request, commit, signal });
        if (!r.fromCache) throw new Error("expected a cache hit");
      });
      rows.push([c.name, ...[bare, cold, warm, disk].map((s) => `${median(s).toFixed(2)} ms`)]);
    }
    const header = ["case", "bare binary", "bosun cold", "bosun warm (memory)", "bosun warm (disk)"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
    console.log(`render: median of ${RUNS} runs each (after one warm-up)`);
    console.log(line(header).trimEnd());
    console.log(line(widths.map((w) => "-".repeat(w))));
    for (const r of rows) console.log(line(r).trimEnd());
    await chartFromRepository(work, homes);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The fixture chart packaged into a Helm repository served over HTTPS; bosun's pull and render next to helm's. */
async function chartFromRepository(work: string, homes: Record<string, string>): Promise<void> {
  const repoDir = join(work, "repo");
  const helmHome = join(work, "helm-repo-home");
  for (const args of [
    ["package", chartDir, "--destination", repoDir],
    ["repo", "index", repoDir],
  ]) {
    const out = await runHelm(args, { home: helmHome, signal });
    if (out.exitCode !== 0) throw new Error(`helm ${args[0]} failed: ${out.stderr}`);
  }
  const server = await startHelmRepoServer({ dir: repoDir });
  try {
    const caFile = join(work, "repo-ca.crt");
    await writeFile(caFile, server.caCert);
    const name = "guestbook";
    const request = (root: string, path: string) => ({
      repoRoot: root,
      path,
      source: { helm: { values: { image: { tag: "2.0.0" } } } },
      app: { name, namespace: "bosun" },
      destinationNamespace: "guestbook",
      signal,
    });
    const bareArgs = (cache: string) => ({
      args: [
        "template",
        name,
        "guestbook",
        "--repo",
        server.url,
        "--ca-file",
        caFile,
        "--namespace=guestbook",
        "--set=image.tag=2.0.0",
      ],
      env: { ...homes, HELM_CACHE_HOME: cache },
    });
    let fresh = 0;
    const bareCold = await time(async () => {
      const { args, env } = bareArgs(join(work, `helm-cold-${fresh++}`));
      await run(toolPath("helm"), args, { env, maxBuffer: 1 << 26 });
    });
    const bareWarm = await time(async () => {
      const { args, env } = bareArgs(join(work, "helm-warm"));
      await run(toolPath("helm"), args, { env, maxBuffer: 1 << 26 });
    });
    const credentials = { caCert: server.caCert };
    const cold = await time(async () => {
      const charts = new ChartSource({ cacheDir: join(work, `charts-cold-${fresh++}`) });
      const chart = await charts.resolve(server.url, name, undefined, { credentials, signal });
      await new Renderer().render(request(chart.root, chart.path));
    });
    const charts = new ChartSource({ cacheDir: join(work, "charts-warm") });
    const renderer = new Renderer({ cacheDir: join(work, "render-warm") });
    const warm = await time(async () => {
      const chart = await charts.resolve(server.url, name, undefined, { credentials, signal });
      const r = await renderer.render({ ...request(chart.root, chart.path), commit: chart.sha });
      if (chart.fetchError) throw chart.fetchError;
      return r;
    });
    console.log("");
    console.log(`chart from a Helm repository (HTTPS on loopback): median of ${RUNS} runs each`);
    console.log(`  helm template --repo, empty helm cache:   ${median(bareCold).toFixed(2)} ms`);
    console.log(`  helm template --repo, helm's cache warm:  ${median(bareWarm).toFixed(2)} ms`);
    console.log(`  bosun cold (index, pull, unpack, render): ${median(cold).toFixed(2)} ms`);
    console.log(`  bosun warm (index revalidated: 304):      ${median(warm).toFixed(2)} ms`);
  } finally {
    await server.close();
  }
}

await main();
