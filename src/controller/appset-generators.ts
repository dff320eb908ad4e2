// The parameter sets of an ApplicationSet's generators, as Argo CD makes them: `list` (its elements),
// `clusters` (name, server, labels, annotations of each known cluster a selector picks), `git` directories
// (path, path.basename, path[N]) and files (their content, flattened, and path.filename), and `matrix`
// (every combination of two). Reading a checked-out tree is the only I/O: symlinks are never followed,
// and nothing outside the tree is read.
import { lstat, readdir, readFile } from "node:fs/promises";
import { posix } from "node:path";
import { parseAllDocuments } from "yaml";
import { type Generator, type GitGenerator, IN_CLUSTER, isRecord, type LabelSelector } from "../api/index.js";
import { globToRegExp } from "../render/index.js";
import { flattenParams, type Params, renderTemplate } from "./appset-template.js";

/** A cluster as the clusters generator sees it. */
export interface GeneratorCluster {
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface GeneratorContext {
  clusters: () => readonly GeneratorCluster[];
  /** The checked-out tree of the generator's repository at its revision (a read-only directory). */
  gitTree: (generator: GitGenerator) => Promise<string>;
}

/** A generator that cannot produce its parameters: the set's status says which and why. */
export class GeneratorError extends Error {
  override readonly name = "GeneratorError";
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ENTRIES = 20_000;

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const inValues = has && (e.values ?? []).includes(value as string);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** A DNS-label-friendly form of a name, as Argo CD's `nameNormalized`/`basenameNormalized`. */
export function normalized(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]/g, "-");
}

function clusterParams(generator: NonNullable<Generator["clusters"]>, ctx: GeneratorContext): Params[] {
  const hasSelector = Boolean(generator.selector?.matchLabels || generator.selector?.matchExpressions);
  return (
    ctx
      .clusters()
      // As Argo CD: a selector picks among the cluster Secrets only; without one, the agent's own cluster too.
      .filter((c) => (hasSelector ? c.name !== IN_CLUSTER.name && selectorMatches(generator.selector, c.labels) : true))
      .map((c) => {
        const params: Params = {
          name: c.name,
          nameNormalized: normalized(c.name),
          server: c.server,
          ...flattenParams(c.labels, "metadata.labels"),
          ...flattenParams(c.annotations, "metadata.annotations"),
        };
        for (const [k, v] of Object.entries(generator.values ?? {})) {
          const rendered = renderTemplate(v, params);
          if ("error" in rendered) throw new GeneratorError(`clusters generator values.${k}: ${rendered.error}`);
          params[`values.${k}`] = rendered.value;
        }
        return params;
      })
  );
}

/** Every directory and regular file under root, as slash-separated paths relative to it (no symlinks). */
async function walk(root: string): Promise<{ dirs: string[]; files: string[] }> {
  const dirs: string[] = [];
  const files: string[] = [];
  const queue = [""];
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    const entries = await readdir(rel ? posix.join(root, rel) : root, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name === ".git") continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        dirs.push(path);
        queue.push(path);
      } else if (entry.isFile()) files.push(path);
      if (dirs.length + files.length > MAX_ENTRIES)
        throw new GeneratorError(`the repository holds more than ${MAX_ENTRIES} files and directories`);
    }
  }
  return { dirs: dirs.sort(), files: files.sort() };
}

function pathParams(dir: string): Params {
  const segments = dir ? dir.split("/") : [];
  const basename = segments.at(-1) ?? "";
  const params: Params = { path: dir, "path.basename": basename, "path.basenameNormalized": normalized(basename) };
  segments.forEach((s, i) => {
    params[`path[${i}]`] = s;
  });
  return params;
}

async function fileParams(root: string, file: string): Promise<Params[]> {
  const full = posix.join(root, file);
  const info = await lstat(full);
  if (!info.isFile()) return [];
  if (info.size > MAX_FILE_BYTES) throw new GeneratorError(`${file} is larger than ${MAX_FILE_BYTES} bytes`);
  const text = await readFile(full, "utf8");
  const docs = parseAllDocuments(text);
  const contents: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const [err] = doc.errors;
      const line = err?.linePos?.[0]?.line;
      throw new GeneratorError(`${file}${line ? `:${line}` : ""}: ${err?.message.split("\n")[0]}`);
    }
    const value: unknown = doc.toJS();
    if (Array.isArray(value)) contents.push(...value);
    else if (value !== null && value !== undefined) contents.push(value);
  }
  const dir = posix.dirname(file) === "." ? "" : posix.dirname(file);
  const filename = posix.basename(file);
  return contents.map((content) => {
    if (!isRecord(content)) throw new GeneratorError(`${file}: each document must be a mapping`);
    return {
      ...flattenParams(content),
      ...pathParams(dir),
      "path.filename": filename,
      "path.filenameNormalized": normalized(filename),
    };
  });
}

/** The whole path against the glob (`apps/*` is the directories right under apps/, `**` crosses levels). */
const matches = (path: string, pattern: string) => globToRegExp(pattern.replace(/^\.?\/+/, "")).test(path);

async function gitParams(generator: GitGenerator, ctx: GeneratorContext): Promise<Params[]> {
  const root = await ctx.gitTree(generator);
  const { dirs, files } = await walk(root);
  const out: Params[] = [];
  const directories = generator.directories ?? [];
  if (directories.length > 0) {
    const include = directories.filter((d) => !d.exclude);
    const exclude = directories.filter((d) => d.exclude);
    for (const dir of dirs)
      if (include.some((d) => matches(dir, d.path)) && !exclude.some((d) => matches(dir, d.path)))
        out.push(pathParams(dir));
  }
  for (const pattern of generator.files ?? [])
    for (const file of files) if (matches(file, pattern.path)) out.push(...(await fileParams(root, file)));
  return out;
}

/** The parameter sets of one generator. */
export async function generate(generator: Generator, ctx: GeneratorContext): Promise<Params[]> {
  const kinds = (["list", "clusters", "git", "matrix"] as const).filter((k) => generator[k] !== undefined);
  if (kinds.length !== 1)
    throw new GeneratorError(
      `a generator must be exactly one of list, clusters, git, matrix (got ${kinds.join(", ") || "none"})`,
    );
  if (generator.list) return generator.list.elements.map((e) => flattenParams(e));
  if (generator.clusters) return clusterParams(generator.clusters, ctx);
  if (generator.git) return await gitParams(generator.git, ctx);
  const parts = generator.matrix?.generators ?? [];
  if (parts.length !== 2) throw new GeneratorError("matrix takes exactly two generators");
  if (parts.some((p) => p.matrix)) throw new GeneratorError("a matrix inside a matrix is not supported");
  const [left, right] = await Promise.all(parts.map((p) => generate(p, ctx)));
  return (left ?? []).flatMap((l) => (right ?? []).map((r) => ({ ...l, ...r })));
}
