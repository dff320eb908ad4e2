// Our own walk of a kustomization graph, before kustomize runs. kustomize's default load restrictor keeps a
// kustomization's *files* inside its own directory, but lets bases (resources, components) live anywhere on
// disk; bosun refuses anything that resolves outside the repository, directly or through nested
// kustomizations, and refuses remote bases unless they are allowed.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { RemoteReferenceError, RenderError } from "./errors.js";
import { parseConfigFile } from "./manifests.js";
import type { RepoRoot } from "./repo-root.js";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

/** Fields kustomize would need helm (and a chart download) for; bosun renders charts as helm sources instead. */
const HELM_FIELDS = ["helmCharts", "helmChartInflationGenerator", "helmGlobals"] as const;

export interface KustomizationWalk {
  /** Every kustomization file reached, relative to the root, in walk order. */
  kustomizations: string[];
  /** Some reference is remote (only possible with allowRemote): the output is not pinned by the commit. */
  usesRemote: boolean;
}

export interface WalkOptions {
  root: RepoRoot;
  /** The kustomization directory to start at (real path, inside the root). */
  dir: string;
  allowRemote: boolean;
  signal: AbortSignal;
}

type FieldPath = Array<string | number>;

interface Reference {
  value: string;
  path: FieldPath;
  /** base: a directory with a kustomization, or a file; file: a file. */
  role: "base" | "file" | "component";
  what: string;
}

/** A reference kustomize would fetch: a URL, a git address, or a hosted repository path. */
export function isRemoteReference(reference: string): boolean {
  return (
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(reference) ||
    reference.startsWith("git::") ||
    /^[\w.-]+@[\w.-]+:/.test(reference) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/.test(reference)
  );
}

/** The kustomization file of a directory, if any. More than one is an error, as it is for kustomize. */
export async function kustomizationFileIn(
  dir: string,
  options: { display: string; signal: AbortSignal },
): Promise<string | undefined> {
  const { display } = options;
  options.signal.throwIfAborted();
  const names = new Set(await readdir(dir));
  const found = KUSTOMIZATION_FILES.filter((name) => names.has(name));
  if (found.length > 1) {
    throw new RenderError(`${display} has more than one kustomization file (${found.join(", ")}); keep one`, {
      file: display,
    });
  }
  return found[0];
}

function strings(value: unknown): Array<{ value: string; index: number }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, index) => (typeof v === "string" ? [{ value: v, index }] : []));
}

function objects(value: unknown): Array<{ value: Record<string, unknown>; index: number }> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, index) =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? [{ value: v as Record<string, unknown>, index }] : [],
  );
}

/** `key=path` or `path` in a generator's files list. */
function generatorFilePath(entry: string): string {
  const eq = entry.indexOf("=");
  return eq < 0 ? entry : entry.slice(eq + 1);
}

/** Inline content (a patch or plugin config written in the kustomization) rather than a path. */
function isInline(entry: string): boolean {
  return entry.includes("\n");
}

function pathsOfObjectList(kustomization: Record<string, unknown>, field: string, what: string): Reference[] {
  return objects(kustomization[field]).flatMap(({ value, index }) =>
    typeof value.path === "string" ? [{ value: value.path, path: [field, index, "path"], role: "file", what }] : [],
  );
}

function generatorReferences(kustomization: Record<string, unknown>): Reference[] {
  const refs: Reference[] = [];
  for (const field of ["configMapGenerator", "secretGenerator"]) {
    for (const { value: generator, index } of objects(kustomization[field])) {
      for (const { value, index: i } of strings(generator.files)) {
        refs.push({ value: generatorFilePath(value), path: [field, index, "files", i], role: "file", what: "file" });
      }
      for (const { value, index: i } of strings(generator.envs)) {
        refs.push({ value, path: [field, index, "envs", i], role: "file", what: "env file" });
      }
      if (typeof generator.env === "string") {
        refs.push({ value: generator.env, path: [field, index, "env"], role: "file", what: "env file" });
      }
    }
  }
  return refs;
}

/** Every path a kustomization names, with where it names it. */
export function referencesOf(kustomization: Record<string, unknown>): Reference[] {
  const refs: Reference[] = [];
  const list = (field: string, role: Reference["role"], what: string, inline = false): void => {
    for (const { value, index } of strings(kustomization[field])) {
      if (inline && isInline(value)) continue;
      refs.push({ value, path: [field, index], role, what });
    }
  };
  list("resources", "base", "resource");
  list("bases", "base", "base");
  list("components", "component", "component");
  list("crds", "file", "crd");
  list("configurations", "file", "configuration");
  list("patchesStrategicMerge", "file", "patch", true);
  list("generators", "base", "generator", true);
  list("transformers", "base", "transformer", true);
  list("validators", "base", "validator", true);
  refs.push(...pathsOfObjectList(kustomization, "patches", "patch"));
  refs.push(...pathsOfObjectList(kustomization, "patchesJson6902", "patch"));
  refs.push(...pathsOfObjectList(kustomization, "replacements", "replacement"));
  const openapi = kustomization.openapi;
  if (typeof openapi === "object" && openapi !== null && typeof (openapi as { path?: unknown }).path === "string") {
    refs.push({ value: (openapi as { path: string }).path, path: ["openapi", "path"], role: "file", what: "openapi" });
  }
  refs.push(...generatorReferences(kustomization));
  return refs;
}

class Walker {
  readonly visited = new Set<string>();
  readonly walk: KustomizationWalk = { kustomizations: [], usesRemote: false };

  constructor(readonly options: WalkOptions) {}

  async visit(dir: string, via: string[]): Promise<void> {
    this.options.signal.throwIfAborted();
    if (this.visited.has(dir)) return;
    this.visited.add(dir);
    const root = this.options.root;
    const name = await kustomizationFileIn(dir, { display: root.display(dir), signal: this.options.signal });
    if (name === undefined) throw new RenderError(`${root.display(dir)} has no kustomization file`);
    const fileSite = { what: "kustomization", file: root.display(join(dir, name)) };
    const file = await root.resolve(dir, name, fileSite);
    const display = root.display(join(dir, name));
    this.walk.kustomizations.push(display);
    const text = await readFile(file.real, { encoding: "utf8", signal: this.options.signal });
    const { value: kustomization, lineOf } = parseConfigFile(text, display);
    const chain = [...via, display];
    for (const field of HELM_FIELDS) {
      if (kustomization[field] !== undefined) {
        throw new RenderError(
          `${field} is not supported: kustomize would have to run helm and download the chart; render the chart as a helm source instead`,
          { file: display, line: lineOf([field]) },
        );
      }
    }
    for (const ref of referencesOf(kustomization)) await this.follow(dir, ref, chain, lineOf(ref.path));
  }

  async follow(dir: string, ref: Reference, chain: string[], line: number | undefined): Promise<void> {
    const file = chain.at(-1);
    const through = chain.length > 1 ? ` (reached through ${chain.slice(0, -1).join(" → ")})` : "";
    const site = {
      what: ref.what,
      note: through,
      ...(file !== undefined ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
    };
    if (isRemoteReference(ref.value)) {
      if (!this.options.allowRemote) {
        throw new RemoteReferenceError(
          ref.value,
          `remote ${ref.what} "${ref.value}" is not allowed (allowRemoteBases is off)${through}`,
          site,
        );
      }
      this.walk.usesRemote = true;
      return;
    }
    const root = this.options.root;
    const target =
      ref.role === "file" || !this.options.allowRemote
        ? await root.resolve(dir, ref.value, site)
        : await root.tryResolve(dir, ref.value, site);
    if (target === undefined) {
      // kustomize tries a base it cannot find on disk as a remote address.
      this.walk.usesRemote = true;
      return;
    }
    if (target.isDirectory) {
      if (ref.role === "file") {
        throw new RenderError(`${ref.what} "${ref.value}" is a directory, not a file${through}`, site);
      }
      if (
        (await kustomizationFileIn(target.real, {
          display: root.display(target.real),
          signal: this.options.signal,
        })) === undefined
      ) {
        throw new RenderError(
          `${ref.what} "${ref.value}" is a directory without a kustomization file (${root.display(target.real)})${through}`,
          site,
        );
      }
      await this.visit(target.real, chain);
    } else if (ref.role === "component") {
      throw new RenderError(`component "${ref.value}" is a file, not a directory with a kustomization${through}`, site);
    }
  }
}

/**
 * Walk the kustomization in `dir` and every kustomization it reaches. Throws PathEscapeError for a reference
 * that leaves the repository, RemoteReferenceError for a remote one (unless allowed), MissingFileError for a
 * file that does not exist.
 */
export async function walkKustomization(options: WalkOptions): Promise<KustomizationWalk> {
  const walker = new Walker(options);
  await walker.visit(options.dir, []);
  return walker.walk;
}
