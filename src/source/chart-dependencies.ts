// A chart's dependencies on Helm repositories and OCI registries, fetched by bosun (never by helm at render
// time): the versions Chart.lock pins (checked against Chart.yaml with helm's own digest, so a lock out of
// sync or tampered with is refused as `helm dependency build` refuses it), else the ranges Chart.yaml gives.
// The chart is copied with its dependencies unpacked under charts/ into a read-only tree of its own.
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rename, stat, utimes, writeFile } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { parse } from "yaml";
import type { ChartCredentials, ChartSource, ResolvedChart } from "./chart-source.js";
import { makeReadOnly, makeWritable, removeTree } from "./checkouts.js";

/** A dependency as Chart.yaml and Chart.lock list it (helm's chart.Dependency, field for field). */
export interface ChartDependency {
  name: string;
  version?: string;
  repository: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  importValues?: unknown[];
  alias?: string;
}

export class ChartDependencyFetchError extends Error {
  override readonly name = "ChartDependencyFetchError";
  constructor(
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const REMOTE = /^(https?|oci):\/\//;

/**
 * helm's HashReq: sha256 of the JSON (as Go's encoding/json writes it) of [Chart.yaml's dependencies,
 * Chart.lock's dependencies]. Chart.lock's `digest` must equal it.
 */
export function lockDigest(
  req: readonly ChartDependency[] | undefined,
  lock: readonly ChartDependency[] | undefined,
): string {
  const list = (deps: readonly ChartDependency[] | undefined) =>
    deps === undefined ? "null" : `[${deps.map(goDependencyJson).join(",")}]`;
  return `sha256:${createHash("sha256")
    .update(`[${list(req)},${list(lock)}]`)
    .digest("hex")}`;
}

function goDependencyJson(d: ChartDependency): string {
  const parts = [`"name":${goJson(d.name)}`];
  if (d.version) parts.push(`"version":${goJson(d.version)}`);
  parts.push(`"repository":${goJson(d.repository)}`);
  if (d.condition) parts.push(`"condition":${goJson(d.condition)}`);
  if (d.tags && d.tags.length > 0) parts.push(`"tags":${goJson(d.tags)}`);
  if (d.enabled) parts.push(`"enabled":true`);
  if (d.importValues && d.importValues.length > 0) parts.push(`"import-values":${goJson(d.importValues)}`);
  if (d.alias) parts.push(`"alias":${goJson(d.alias)}`);
  return `{${parts.join(",")}}`;
}

/** JSON as Go's encoding/json writes it: map keys sorted, <, >, & and U+2028/9 escaped. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${goJson(k)}:${goJson(v)}`).join(",")}}`;
  }
  return (JSON.stringify(value) ?? "null").replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** helm's sanitizeString: white space becomes a space, other non-printable characters go. */
function sanitize(text: unknown): string {
  if (typeof text !== "string") return typeof text === "number" ? String(text) : "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what helm drops
  return text.replace(/\s/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
}

function dependenciesIn(list: unknown): ChartDependency[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((item: unknown) => {
    const d = (item ?? {}) as Record<string, unknown>;
    const dep: ChartDependency = { name: sanitize(d.name), repository: sanitize(d.repository) };
    if (d.version !== undefined) dep.version = sanitize(d.version);
    if (d.condition !== undefined) dep.condition = sanitize(d.condition);
    if (Array.isArray(d.tags)) dep.tags = d.tags.map(sanitize);
    if (d.enabled === true) dep.enabled = true;
    if (Array.isArray(d["import-values"])) dep.importValues = d["import-values"];
    if (d.alias !== undefined) dep.alias = sanitize(d.alias);
    return dep;
  });
}

export interface VendorOptions {
  charts: ChartSource;
  /** The checked-out tree and the chart's path inside it. */
  root: string;
  path: string;
  /** Where composed charts are kept (one read-only tree per chart and dependency set). */
  cacheDir: string;
  /** What identifies the tree at root (a commit SHA or chart digest): composed trees are reused by it. */
  identity: string;
  /** Read only when a dependency needs fetching. */
  credentialsFor: (repository: string) => Promise<ChartCredentials | undefined>;
  insecure: boolean;
  signal: AbortSignal;
}

export interface VendoredChart {
  root: string;
  path: string;
  dependencies: ResolvedChart[];
}

/**
 * The chart with its remote dependencies in charts/; undefined when it has none to fetch (none declared,
 * all vendored, or the path is not a chart).
 */
export async function vendorRemoteDependencies(options: VendorOptions): Promise<VendoredChart | undefined> {
  const chartDir = await insideRoot(options.root, options.path);
  if (chartDir === undefined) return undefined;
  const chartYaml = await readYaml(chartDir, "Chart.yaml");
  if (chartYaml === undefined || chartYaml.apiVersion === "v1") return undefined;
  const declared = dependenciesIn(chartYaml.dependencies) ?? [];
  const vendored = await vendoredNames(chartDir);
  const missing = declared.filter((d) => REMOTE.test(d.repository) && !vendored.has(d.name));
  if (missing.length === 0) return undefined;
  const display = join(options.path, "Chart.lock");
  const lockFile = await readYaml(chartDir, "Chart.lock");
  const locked = lockFile ? (dependenciesIn(lockFile.dependencies) ?? []) : undefined;
  if (lockFile !== undefined && lockFile.digest !== lockDigest(dependenciesIn(chartYaml.dependencies), locked)) {
    throw new ChartDependencyFetchError(
      `${display} is out of sync with Chart.yaml (its digest ${JSON.stringify(lockFile.digest)} is not helm's for these dependencies): run helm dependency update and commit Chart.lock`,
      display,
    );
  }
  const resolved: ResolvedChart[] = [];
  for (const dep of missing) {
    const pin = locked?.find((l) => l.name === dep.name && l.repository === dep.repository);
    const credentials = await options.credentialsFor(dep.repository);
    try {
      resolved.push(
        await options.charts.resolve(dep.repository, dep.name, pin?.version ?? dep.version, {
          ...(credentials ? { credentials } : {}),
          insecure: options.insecure,
          signal: options.signal,
        }),
      );
    } catch (err) {
      throw new ChartDependencyFetchError(
        `chart dependency "${dep.name}" ${pin?.version ?? dep.version ?? "*"} from ${dep.repository}: ${(err as Error).message}`,
        join(options.path, "Chart.yaml"),
        { cause: err },
      );
    }
  }
  return { ...(await compose(options, chartDir, resolved)), dependencies: resolved };
}

/** The chart directory's real path when it is inside the root; undefined when it is missing. */
async function insideRoot(root: string, path: string): Promise<string | undefined> {
  const realRoot = await realpath(root);
  const dir = await realpath(join(realRoot, path)).catch(() => undefined);
  if (dir === undefined) return undefined;
  const rel = relative(realRoot, dir);
  if (rel.startsWith("..") || rel.startsWith(sep)) return undefined; // the renderer reports the escape
  return (await stat(dir)).isDirectory() ? dir : undefined;
}

async function readYaml(dir: string, name: string): Promise<Record<string, unknown> | undefined> {
  const text = await readFile(join(dir, name), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value: unknown = parse(text, { maxAliasCount: 100 });
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // the renderer reports a broken Chart.yaml with its line
  }
}

/** Names of the charts under charts/: directories by their Chart.yaml, archives by file name (name-version.tgz). */
async function vendoredNames(chartDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  const entries = await readdir(join(chartDir, "charts"), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory()) {
      const meta = await readYaml(join(chartDir, "charts", entry.name), "Chart.yaml");
      if (typeof meta?.name === "string") names.add(meta.name);
    } else if (entry.name.endsWith(".tgz")) {
      const m = /^(.+)-\d[^-]*(?:-.+)?\.tgz$/.exec(entry.name);
      if (m?.[1]) names.add(m[1]);
    }
  }
  return names;
}

async function compose(
  options: VendorOptions,
  chartDir: string,
  deps: ResolvedChart[],
): Promise<{ root: string; path: string }> {
  const key = createHash("sha256")
    .update(JSON.stringify([options.identity, options.path, deps.map((d) => [d.chart, d.sha])]))
    .digest("hex")
    .slice(0, 40);
  const name = basename(chartDir);
  const target = join(options.cacheDir, key);
  if ((await stat(target).catch(() => undefined))?.isDirectory()) {
    const now = new Date();
    await utimes(target, now, now); // handed out again: not for cleanup
    return { root: target, path: name };
  }
  await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
  const work = await mkdtemp(join(options.cacheDir, ".tmp-"));
  try {
    const chart = join(work, name);
    await cp(chartDir, chart, { recursive: true, verbatimSymlinks: true });
    await makeWritable(chart); // the checkout is read-only, and so is its copy
    await mkdir(join(chart, "charts"), { recursive: true });
    for (const dep of deps) {
      await cp(join(dep.root, dep.path), join(chart, "charts", `${dep.chart}-${dep.version}`), { recursive: true });
    }
    await writeFile(join(work, ".bosun-composed"), JSON.stringify(deps.map((d) => d.sha)), { mode: 0o400 });
    await makeReadOnly(work, { keepTopWritable: true });
    await rename(work, target);
  } catch (err) {
    await removeTree(work);
    if (!(await stat(target).catch(() => undefined))?.isDirectory()) throw err;
  }
  return { root: target, path: name };
}
