// The helm renderer: the pinned `helm template`, offline (its cache, config and data homes in a temporary
// directory, no kubeconfig), after checking the chart's files and dependencies.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { MissingFileError, RenderError, ToolFailedError } from "./errors.js";
import { checkChart } from "./helm-chart.js";
import { parseManifests } from "./manifests.js";
import type { RepoRoot } from "./repo-root.js";
import { toolMessage } from "./tool-message.js";
import type { ToolRunner } from "./tool-runner.js";
import type { HelmSpec, RenderedDocument } from "./types.js";

export interface HelmRenderOptions {
  root: RepoRoot;
  /** The chart directory (real path, inside the root). */
  dir: string;
  spec: HelmSpec;
  /** Used when the spec names no release. */
  defaultReleaseName: string;
  namespace: string;
  kubeVersion?: string;
  apiVersions?: string[];
  run: ToolRunner;
  tempDir: string;
  timeoutMs: number;
  signal: AbortSignal;
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_RELEASE_NAME = 53;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KUBE_VERSION = /^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.-]+)?$/;
const API_VERSION = /^[A-Za-z0-9][A-Za-z0-9.-]*(\/[A-Za-z0-9.-]+)*$/;

function validate(options: HelmRenderOptions, release: string): void {
  if (!RELEASE_NAME.test(release) || release.length > MAX_RELEASE_NAME) {
    throw new RenderError(`helm release name ${JSON.stringify(release)} is not valid (lowercase DNS name, ≤53)`);
  }
  if (options.namespace !== "" && !NAMESPACE.test(options.namespace)) {
    throw new RenderError(`namespace ${JSON.stringify(options.namespace)} is not a valid namespace`);
  }
  if (options.kubeVersion !== undefined && !KUBE_VERSION.test(options.kubeVersion)) {
    throw new RenderError(`kube version ${JSON.stringify(options.kubeVersion)} is not a version like 1.31.0`);
  }
  for (const v of options.apiVersions ?? []) {
    if (!API_VERSION.test(v)) throw new RenderError(`api version ${JSON.stringify(v)} is not valid`);
  }
}

/** Map helm's `<chart-name>/templates/x.yaml` to a path relative to the repository root. */
function sourceMapper(root: RepoRoot, dir: string, chartName: string): (source: string) => string | undefined {
  const chartDisplay = root.display(dir);
  return (source) => {
    const slash = source.indexOf("/");
    if (slash < 0 || source.slice(0, slash) !== chartName) return undefined;
    const rest = source.slice(slash + 1);
    return chartDisplay === "." ? rest : posix.join(chartDisplay, rest);
  };
}

/** A template error (`execution error at (chart/templates/x.yaml:12:3): …`) names its template and line. */
function errorLocation(message: string, map: (s: string) => string | undefined): { file?: string; line?: number } {
  const m = /\bat \(([^():\s]+):(\d+)(?::\d+)?\)/.exec(message);
  if (!m?.[1] || !m[2]) return {};
  const file = map(m[1]);
  return file === undefined ? {} : { file, line: Number(m[2]) };
}

async function valueFiles(options: HelmRenderOptions): Promise<string[]> {
  const out: string[] = [];
  for (const f of options.spec.valueFiles ?? []) {
    const resolved = await options.root.tryResolve(options.dir, f, { what: "value file" });
    if (resolved === undefined || resolved.isDirectory) {
      const problem = resolved === undefined ? "does not exist" : "is a directory";
      throw new MissingFileError(
        f,
        `value file "${f}" ${problem} (${options.root.display(join(options.dir, f))}); value files are relative to the chart directory`,
      );
    }
    // helm splits --values on commas (and reads quotes) as a CSV list: such a path would name other files.
    if (/[,"]/.test(resolved.real)) {
      throw new RenderError(`value file "${f}" has a comma or a quote in its path, which helm would split`);
    }
    out.push(resolved.real);
  }
  return out;
}

/** Render a chart. */
export async function renderHelm(options: HelmRenderOptions): Promise<RenderedDocument[]> {
  const { root, dir, signal } = options;
  const release = options.spec.releaseName || options.defaultReleaseName;
  validate(options, release);
  const chart = await checkChart({ root, dir, signal });
  const files = await valueFiles(options);
  const work = await mkdtemp(join(options.tempDir, "bosun-helm-"));
  try {
    const home = join(work, "home");
    for (const sub of ["home", "cache", "config", "data", "plugins"]) await mkdir(join(work, sub));
    if (options.spec.values !== undefined && Object.keys(options.spec.values).length > 0) {
      const inline = join(work, "inline-values.json");
      await writeFile(inline, JSON.stringify(options.spec.values), { mode: 0o600 });
      files.push(inline);
    }
    const args = ["template", release, dir];
    if (options.namespace !== "") args.push(`--namespace=${options.namespace}`);
    for (const f of files) args.push(`--values=${f}`);
    if (options.kubeVersion !== undefined) args.push(`--kube-version=${options.kubeVersion}`);
    for (const v of options.apiVersions ?? []) args.push(`--api-versions=${v}`);
    args.push(options.spec.skipCrds ? "--skip-crds" : "--include-crds");
    const output = await options.run({
      tool: "helm",
      args,
      cwd: work,
      env: {
        HOME: home,
        HELM_CACHE_HOME: join(work, "cache"),
        HELM_CONFIG_HOME: join(work, "config"),
        HELM_DATA_HOME: join(work, "data"),
        HELM_PLUGINS: join(work, "plugins"),
        KUBECONFIG: join(work, "no-kubeconfig"),
      },
      timeoutMs: options.timeoutMs,
      signal,
    });
    const map = sourceMapper(root, dir, chart.name);
    if (output.exitCode !== 0) {
      const message = toolMessage(output.stderr, [root.real, work]);
      throw new ToolFailedError("helm", `helm template failed: ${message}`, {
        exitCode: output.exitCode,
        stderr: message,
        ...errorLocation(message, map),
      });
    }
    return parseManifests(output.stdout, {
      origin: "helm template output",
      fileOfComment: (comment) => {
        const source = /^\s*Source:\s*(\S+)\s*$/m.exec(comment)?.[1];
        return source === undefined ? undefined : map(source);
      },
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
