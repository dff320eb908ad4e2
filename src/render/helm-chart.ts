// Checks on a chart before helm runs: every file helm could load stays inside the repository (helm follows
// symlinks in a chart), and every dependency is vendored under charts/ (helm must never download).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ChartDependencyError, RenderError } from "./errors.js";
import { parseConfigFile } from "./manifests.js";
import type { RepoRoot } from "./repo-root.js";

export interface ChartInfo {
  /** Chart.yaml's name: the first segment of helm's `# Source:` paths. */
  name: string;
}

interface Dependency {
  name: string;
  repository: string | undefined;
  line: number | undefined;
}

async function readConfig(
  root: RepoRoot,
  dir: string,
  name: string,
  signal: AbortSignal,
): Promise<ReturnType<typeof parseConfigFile> | undefined> {
  const display = root.display(join(dir, name));
  const file = await root.tryResolve(dir, name, { what: "chart file", file: display });
  if (file === undefined) return undefined;
  return parseConfigFile(await readFile(file.real, { encoding: "utf8", signal }), display);
}

function dependenciesOf(config: ReturnType<typeof parseConfigFile>): Dependency[] {
  const list = config.value.dependencies;
  if (!Array.isArray(list)) return [];
  return list.flatMap((d: unknown, i) => {
    if (typeof d !== "object" || d === null) return [];
    const { name, repository } = d as { name?: unknown; repository?: unknown };
    if (typeof name !== "string") return [];
    return [
      {
        name,
        repository: typeof repository === "string" && repository !== "" ? repository : undefined,
        line: config.lineOf(["dependencies", i]),
      },
    ];
  });
}

/** Names of the charts vendored under `<chart>/charts/`: directories by their Chart.yaml, archives by file name. */
async function vendored(
  root: RepoRoot,
  chartDir: string,
  signal: AbortSignal,
): Promise<{ dirs: Map<string, string>; archives: string[] }> {
  const dirs = new Map<string, string>();
  const archives: string[] = [];
  const chartsDir = await root.tryResolve(chartDir, "charts", { what: "charts directory" });
  if (chartsDir === undefined || !chartsDir.isDirectory) return { dirs, archives };
  for (const entry of (await readdir(chartsDir.real)).sort()) {
    const resolved = await root.resolve(chartsDir.real, entry, {
      what: "vendored chart",
      file: root.display(join(chartsDir.real, entry)),
    });
    if (resolved.isDirectory) {
      const meta = await readConfig(root, resolved.real, "Chart.yaml", signal);
      if (typeof meta?.value.name === "string") dirs.set(meta.value.name, resolved.real);
    } else if (entry.endsWith(".tgz")) {
      archives.push(entry);
    }
  }
  return { dirs, archives };
}

function isArchiveOf(archive: string, name: string): boolean {
  return archive.startsWith(`${name}-`) && /^\d/.test(archive.slice(name.length + 1));
}

async function checkDependencies(root: RepoRoot, chartDir: string, signal: AbortSignal): Promise<ChartInfo> {
  const display = root.display(join(chartDir, "Chart.yaml"));
  const chart = await readConfig(root, chartDir, "Chart.yaml", signal);
  if (chart === undefined) throw new RenderError(`${root.display(chartDir)} has no Chart.yaml`);
  const name = chart.value.name;
  if (typeof name !== "string" || name === "") throw new RenderError("Chart.yaml has no name", { file: display });
  // apiVersion v1 charts list their dependencies in requirements.yaml.
  const requirements =
    chart.value.apiVersion === "v1" ? await readConfig(root, chartDir, "requirements.yaml", signal) : undefined;
  const depsFile = requirements ? root.display(join(chartDir, "requirements.yaml")) : display;
  const deps = dependenciesOf(requirements ?? chart);
  if (deps.length === 0) return { name };
  const { dirs, archives } = await vendored(root, chartDir, signal);
  for (const dep of deps) {
    const subchart = dirs.get(dep.name);
    if (subchart !== undefined) {
      await checkDependencies(root, subchart, signal);
      continue;
    }
    if (archives.some((a) => isArchiveOf(a, dep.name))) continue;
    const from = dep.repository ? ` from ${dep.repository}` : "";
    throw new ChartDependencyError(
      dep.name,
      `chart dependency "${dep.name}"${from} is not vendored under ${root.display(join(chartDir, "charts"))}/; ` +
        "it would have to be downloaded, and helm never downloads when bosun renders " +
        "(the agent fetches dependencies on https:// and oci:// repositories itself, at the versions Chart.lock pins; " +
        "for others run `helm dependency build` and commit the charts/ directory)",
      { file: depsFile, line: dep.line },
    );
  }
  return { name };
}

/** Every entry below the chart, symlinks resolved: an entry that resolves outside the repository is an error. */
async function checkTree(root: RepoRoot, dir: string, visited: Set<string>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  visited.add(dir);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const display = root.display(join(dir, entry.name));
    const resolved = await root.resolve(dir, entry.name, { what: "chart file", file: display });
    if (resolved.isDirectory && !visited.has(resolved.real)) await checkTree(root, resolved.real, visited, signal);
  }
}

/** Check a chart directory; returns what the renderer needs to know of it. */
export async function checkChart(options: { root: RepoRoot; dir: string; signal: AbortSignal }): Promise<ChartInfo> {
  await checkTree(options.root, options.dir, new Set(), options.signal);
  return await checkDependencies(options.root, options.dir, options.signal);
}
