// `bosun render`: print the objects a source renders to, so users can preview them in their own CI.
// A local directory is rendered in place; a repository URL is fetched into bosun's git cache, resolved at the
// revision, checked out (read-only) and rendered, with renders cached by commit.

import { existsSync, statSync } from "node:fs";
import { basename, join, normalize } from "node:path";
import type { Command } from "commander";
import { stringify } from "yaml";
import type { KubeObject } from "../api/index.js";
import { errorMessage } from "../api/index.js";
import { parseImageOverride, RenderError, Renderer, type RenderSourceSpec } from "../render/index.js";
import { ChartSource, GitSource, InvalidRepoUrlError, InvalidRevisionError } from "../source/index.js";
import { AnnotationError, hookDeletePoliciesOf, hookTypesOf, syncWaveOf } from "../sync/index.js";
import { cacheRoot } from "../tools/index.js";

export interface RenderIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface RenderCommandOptions {
  repo: string;
  revision?: string;
  /** Required unless `chart` is given. */
  path?: string;
  /** A chart in the Helm repository or OCI registry `repo` names. */
  chart?: string;
  insecure?: boolean;
  releaseName?: string;
  namespace?: string;
  helmValues?: string[];
  kustomizeImage?: string[];
  output?: string;
  appName?: string;
  appNamespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  recurse?: boolean;
}

export interface RenderCommandContext {
  io: RenderIo;
  signal: AbortSignal;
  /** bosun's cache root: git mirrors and checkouts go to `<root>/git`, cached renders to `<root>/render`. */
  cacheDir: string;
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const EXIT_RENDER_ERROR = 1;
export const EXIT_USAGE = 2;

const OUTPUTS = ["yaml", "json"] as const;

function isRepoUrl(repo: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(repo) || /^[\w.~+-]+@[\w.[\]:-]+:/.test(repo);
}

/** The render source the flags ask for; no tool flag means the tool is detected from the path. */
export function sourceSpecOf(options: RenderCommandOptions): RenderSourceSpec {
  const helmFlags = options.releaseName !== undefined || (options.helmValues?.length ?? 0) > 0;
  const kustomizeFlags = (options.kustomizeImage?.length ?? 0) > 0;
  if (helmFlags && kustomizeFlags) {
    throw new UsageError("--kustomize-image cannot be combined with --release-name or --helm-values");
  }
  if (options.recurse && (helmFlags || kustomizeFlags)) {
    throw new UsageError("--recurse is for plain directories; it cannot be combined with helm or kustomize flags");
  }
  if (helmFlags) {
    return {
      helm: {
        ...(options.releaseName !== undefined ? { releaseName: options.releaseName } : {}),
        valueFiles: options.helmValues ?? [],
      },
    };
  }
  if (kustomizeFlags) {
    const images = (options.kustomizeImage ?? []).map((image) => {
      try {
        return parseImageOverride(image);
      } catch (error) {
        throw new UsageError(`--kustomize-image ${(error as Error).message}`);
      }
    });
    return { kustomize: { images } };
  }
  return options.recurse ? { directory: { recurse: true } } : {};
}

/** The app's name in tracking ids: --app-name, else the release name, else the last segment of the path. */
function appNameOf(options: RenderCommandOptions): string {
  if (options.appName) return options.appName;
  if (options.releaseName) return options.releaseName;
  if (options.chart) return options.chart;
  const last = basename(normalize(options.path ?? ""));
  return last === "." || last === "" || last === ".." ? "render" : last;
}

/**
 * A comment above a hook in YAML output: what the agent does with it (its phase, wave and delete policies, or
 * that it is never synced, like a Helm test). Unreadable annotations are left to the sync to report.
 */
export function hookComment(obj: KubeObject): string {
  try {
    const types = hookTypesOf(obj);
    if (types.length === 0) return "";
    if (types.includes("Skip")) return "# bosun: hook not synced (never applied, counted or pruned)\n";
    const policies = hookDeletePoliciesOf(obj).join(",");
    return `# bosun: hook ${types.join(",")}, wave ${syncWaveOf(obj)}, delete policy ${policies}\n`;
  } catch (err) {
    if (err instanceof AnnotationError) return "";
    throw err;
  }
}

function print(objects: KubeObject[], output: string, io: RenderIo): void {
  if (output === "json") {
    io.out(`${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2)}\n`);
    return;
  }
  io.out(objects.map((o) => hookComment(o) + stringify(o, { lineWidth: 0 })).join("---\n"));
}

/** --release-name and --helm-values are for a chart: on any other path they are a usage error, not a render error. */
function checkHelmFlags(source: RenderSourceSpec, tree: Tree): void {
  if (!source.helm || existsSync(join(tree.root, tree.path, "Chart.yaml"))) return;
  throw new UsageError(
    `--release-name and --helm-values are for Helm charts, and ${tree.path} has no Chart.yaml: leave them out to render it as it is`,
  );
}

interface Tree {
  root: string;
  /** The app path inside root. */
  path: string;
  commit?: string;
}

/** --path for a repository, --chart for a chart repository or registry: one of them, never both. */
function checkWhat(options: RenderCommandOptions): void {
  if (options.chart !== undefined) {
    if (options.path !== undefined)
      throw new UsageError("--path is for Git repositories and directories; --chart names the chart");
    if (!/^(https?|oci):\/\//.test(options.repo)) {
      throw new UsageError("--chart needs --repo https://… (a Helm repository) or oci://… (an OCI registry)");
    }
    if ((options.kustomizeImage?.length ?? 0) > 0 || options.recurse) {
      throw new UsageError("--kustomize-image and --recurse do not apply to a chart");
    }
    return;
  }
  if (options.path === undefined) throw new UsageError("--path is required (or --chart, for a chart repository)");
  if (options.insecure && !/^oci:\/\//.test(options.repo)) {
    throw new UsageError("--insecure is for chart repositories and OCI registries");
  }
}

async function treeOf(options: RenderCommandOptions, context: RenderCommandContext): Promise<Tree> {
  const path = options.path ?? "";
  if (options.chart !== undefined) {
    const charts = new ChartSource({ cacheDir: join(context.cacheDir, "charts") });
    const resolved = await charts.resolve(options.repo, options.chart, options.revision, {
      insecure: options.insecure === true,
      signal: context.signal,
    });
    context.io.err(`# chart ${resolved.chart} ${resolved.version} (${resolved.digest}) from ${resolved.repo}\n`);
    return { root: resolved.root, path: resolved.path, commit: resolved.sha };
  }
  if (/^oci:\/\//.test(options.repo)) {
    const artifacts = new ChartSource({ cacheDir: join(context.cacheDir, "charts") });
    const resolved = await artifacts.resolveArtifact(options.repo, options.revision, {
      insecure: options.insecure === true,
      signal: context.signal,
    });
    context.io.err(`# artifact ${resolved.repo}:${resolved.version || resolved.digest} (${resolved.digest})\n`);
    return { root: resolved.root, path, commit: resolved.sha };
  }
  if (!isRepoUrl(options.repo)) {
    if (options.revision !== undefined) {
      throw new UsageError("--revision needs a repository URL; a local directory is rendered as it is on disk");
    }
    let isDir = false;
    try {
      isDir = statSync(options.repo).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new UsageError(`--repo ${options.repo} is neither a directory nor a repository URL`);
    return { root: options.repo, path };
  }
  // The user's own machine: any file:// repository they can read is theirs to render.
  const git = new GitSource({ cacheDir: join(context.cacheDir, "git"), fileRepos: "any" });
  const resolved = await git.resolve(options.repo, options.revision ?? "HEAD", { signal: context.signal });
  const checkout = await git.checkout(options.repo, resolved.sha, { signal: context.signal });
  return { root: checkout.dir, path, commit: checkout.sha };
}

/** Run `bosun render`; returns the exit code. Throws UsageError for a usage mistake. */
export async function runRenderCommand(options: RenderCommandOptions, context: RenderCommandContext): Promise<number> {
  const output = options.output ?? "yaml";
  if (!(OUTPUTS as readonly string[]).includes(output)) {
    throw new UsageError(`unknown output format "${output}": use ${OUTPUTS.join(" or ")}`);
  }
  checkWhat(options);
  const source = sourceSpecOf(options);
  let tree: Tree;
  try {
    tree = await treeOf(options, context);
  } catch (error) {
    if (error instanceof InvalidRepoUrlError || error instanceof InvalidRevisionError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  checkHelmFlags(source, tree);
  const renderer = new Renderer(tree.commit !== undefined ? { cacheDir: join(context.cacheDir, "render") } : {});
  const result = await renderer.render({
    repoRoot: tree.root,
    path: tree.path,
    ...(tree.commit !== undefined ? { commit: tree.commit } : {}),
    source,
    app: { name: appNameOf(options), namespace: options.appNamespace ?? "bosun" },
    destinationNamespace: options.namespace ?? "",
    ...(options.kubeVersion !== undefined ? { kubeVersion: options.kubeVersion } : {}),
    ...(options.apiVersions !== undefined && options.apiVersions.length > 0
      ? { apiVersions: options.apiVersions }
      : {}),
    signal: context.signal,
  });
  print(result.objects, output, context.io);
  return 0;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Add `render` to the program. */
export function registerRenderCommand(program: Command, io: RenderIo): void {
  const command = program
    .command("render")
    .description("render a source (plain manifests, Kustomize or Helm) and print the desired objects")
    .requiredOption(
      "--repo <url|dir>",
      "repository URL (fetched into bosun's cache) or local directory (read in place)",
    )
    .option(
      "--revision <rev>",
      "branch, tag, commit or semver range (URL only; default HEAD); with --chart, a chart version or range",
    )
    .option("--path <path>", "path of the app inside the repository (required unless --chart)")
    .option("--chart <name>", "a chart from the Helm repository (https://…) or OCI registry (oci://…) --repo names")
    .option("--insecure", "with --chart: allow a plain http:// repository or registry")
    .option("--release-name <name>", "Helm release name (default: the app name)")
    .option("--namespace <ns>", "destination namespace (set on namespaced objects without one; helm --namespace)")
    .option("--helm-values <file>", "Helm value file, relative to the chart directory (repeatable)", collect)
    .option("--kustomize-image <name=image>", "Kustomize image override, e.g. web=registry/web:2 (repeatable)", collect)
    .option("--recurse", "plain directories: include subdirectories")
    .option("--kube-version <version>", "Kubernetes version for helm's Capabilities")
    .option("--api-versions <group/version>", "API version for helm's Capabilities (repeatable)", collect)
    .option(
      "--app-name <name>",
      "Application name in the tracking annotation (default: release name or last path segment)",
    )
    .option("--app-namespace <ns>", "Application namespace in the tracking annotation", "bosun")
    .option("-o, --output <format>", "yaml (a YAML stream) or json (a List)", "yaml");
  // Usage mistakes exit 2, whether commander finds them (unknown or missing options) or we do.
  command.exitOverride((error) => {
    if (error.exitCode !== 0) process.exit(EXIT_USAGE);
  });
  command.action(async (options: RenderCommandOptions) => {
    const controller = new AbortController();
    const interrupt = (): void => controller.abort(new Error("interrupted"));
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
      const code = await runRenderCommand(options, { io, signal: controller.signal, cacheDir: cacheRoot() });
      if (code !== 0) process.exitCode = code;
    } catch (error) {
      if (error instanceof UsageError) command.error(`error: ${error.message}`, { exitCode: EXIT_USAGE });
      // Render, fetch and checkout errors: the message only (they name the file and line), never a stack.
      const message = errorMessage(error);
      const kind = error instanceof RenderError ? "render failed" : "error";
      io.err(`${kind}: ${message}\n`);
      process.exitCode = EXIT_RENDER_ERROR;
    } finally {
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
    }
  });
}
