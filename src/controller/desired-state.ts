import { readFile } from "node:fs/promises";
import {
  type Application,
  type ApplicationSource,
  appKeyOf,
  applicationSources,
  type KubeObject,
  rendersObjects,
} from "../api/index.js";
import {
  parseConfigFile,
  RenderError,
  type RenderRequest,
  type RenderResult,
  RepoRoot,
  substituteVariables,
} from "../render/index.js";
import type { ResolvedRevision } from "../source/index.js";
import { type DesiredState, type DesiredStateDeps, DesiredStateError } from "./desired-types.js";
import { isOciUrl, type LocatedSource, resolveChart, resolveGit, withChartDependencies } from "./locate-source.js";
import { NO_OBSERVER } from "./observer.js";
import { sopsDecryptorFor } from "./source-credentials.js";
import { mergeMaps, readSubstitutions, readValuesFrom, type Substitutions, type ValuesFrom } from "./values-from.js";

export { type DesiredState, type DesiredStateDeps, DesiredStateError, kubeVersionOf } from "./desired-types.js";

interface MemoizedRender {
  inputs: string;
  tool: RenderResult["tool"];
  objects: KubeObject[];
}

/**
 * The last render of each Application and the inputs it was made from: a commit checked out is immutable,
 * so the same inputs again (the idle reconcile, every interval) need no checkout and no render. Not used
 * for an Application that decrypts SOPS files: its keys live in a Secret that may change under it.
 */
export class RenderMemo {
  readonly #entries = new Map<string, MemoizedRender>();

  get(app: string, inputs: string): MemoizedRender | undefined {
    const entry = this.#entries.get(app);
    return entry?.inputs === inputs ? entry : undefined;
  }

  set(app: string, entry: MemoizedRender): void {
    this.#entries.set(app, entry);
  }

  forget(app: string): void {
    this.#entries.delete(app);
  }
}

/** What a render of the Application at `sha` depends on besides the checked-out trees; undefined: do not memoize. */
function renderInputs(
  deps: DesiredStateDeps,
  app: Application,
  sha: string,
  valuesDigests: ReadonlyArray<string | undefined>,
): string | undefined {
  const sources = applicationSources(app);
  if (sources.some((s) => s.decryption)) return undefined;
  const { name, namespace } = app.metadata;
  const scopes = deps.scopeGeneration?.() ?? 0;
  return JSON.stringify([
    sha,
    sources,
    name,
    namespace,
    app.spec.destination.namespace,
    deps.destination,
    deps.kubeVersion,
    scopes,
    valuesDigests,
  ]);
}

export interface LoadOptions {
  refresh: boolean;
  /** A fetch of the repository by anyone since then is fresh enough (see GitSource.resolve). */
  freshSince?: number;
  revisionOverride?: string;
  /** The last render of each Application (the agent's); none: always render. */
  memo?: RenderMemo;
  /** Told the values from Secrets to mask as soon as they are read (before a render that may fail). */
  onSensitive?: (values: readonly string[]) => void;
  signal: AbortSignal;
}

/** One source of the Application, located, with the Application as that source alone sees it. */
interface SourceState {
  source: ApplicationSource;
  app: Application;
  located: LocatedSource;
  values: ValuesFrom | undefined;
  substitutions: Substitutions | undefined;
}

/**
 * From an Application's sources to its desired objects: resolve each revision (fetching when `refresh`),
 * get the trees, render every source that renders (value files may come from another source's tree,
 * `$REF/path`), and put the objects together. `revisionOverride` pins the revisions (a rollback or a
 * requested sync): one, or one per source joined by commas, as recorded.
 */
export async function loadDesiredState(
  deps: DesiredStateDeps,
  app: Application,
  options: LoadOptions,
): Promise<DesiredState> {
  const signal = options.signal;
  const observe = deps.observe ?? NO_OBSERVER;
  const key = `${app.metadata.namespace}/${app.metadata.name}`;
  let states: SourceState[];
  let revision: ResolvedRevision;
  let inputs: string | undefined;
  let sensitive: string[];
  let trees: Array<{ dir: string; path: string }>;
  try {
    states = await locateSources(deps, app, options);
    revision = combinedRevision(states.map((s) => s.located.revision));
    for (const state of states) Object.assign(state, await clusterInputsOf(deps, state.app, revision.sha, signal));
    const secretStrings = states.flatMap((s) => [
      ...(s.values?.sensitive ?? []),
      ...(s.substitutions?.sensitive ?? []),
    ]);
    sensitive = [...new Set(secretStrings)].sort((a, b) => b.length - a.length);
    if (states.some((s) => s.values || s.substitutions)) options.onSensitive?.(sensitive);
    const digests = states.map((s) => [s.values?.digest, s.substitutions?.digest].join("/"));
    inputs = options.memo ? renderInputs(deps, app, revision.sha, digests) : undefined;
    const memoized = inputs !== undefined ? options.memo?.get(key, inputs) : undefined;
    if (memoized) {
      observe.rendered({ app: appKeyOf(app), tool: memoized.tool, durationMs: 0, fromCache: true });
      return { revision, objects: memoized.objects, fromCache: true, sensitive };
    }
    trees = [];
    for (const state of states) trees.push(await state.located.checkout());
  } catch (err) {
    if (signal.aborted || err instanceof DesiredStateError) throw err;
    throw new DesiredStateError("source", { cause: err });
  }
  const refs = new Map<string, string>();
  states.forEach((state, i) => {
    if (state.source.ref !== undefined) refs.set(state.source.ref, trees[i]?.dir ?? "");
  });
  const objects: KubeObject[] = [];
  let tool: RenderResult["tool"] = "directory";
  let fromCache = true;
  for (const [i, state] of states.entries()) {
    if (!rendersObjects(state.source) && states.length > 1) continue;
    const rendered = await renderSource(deps, state, trees[i] as { dir: string; path: string }, refs, {
      revision: revision.sha,
      signal,
    });
    objects.push(...rendered.objects);
    tool = rendered.tool;
    fromCache &&= rendered.fromCache;
  }
  if (inputs !== undefined) options.memo?.set(key, { inputs, tool, objects });
  return { revision, objects, fromCache, sensitive };
}

async function locateSources(deps: DesiredStateDeps, app: Application, options: LoadOptions): Promise<SourceState[]> {
  const sources = applicationSources(app);
  const pinned = splitRevision(options.revisionOverride, sources.length);
  const states: SourceState[] = [];
  for (const [i, source] of sources.entries()) {
    const one: Application = { ...app, spec: { ...app.spec, source, sources: undefined } };
    const opts = { ...options, revisionOverride: pinned[i] };
    const located =
      source.chart !== undefined || isOciUrl(source.repoURL)
        ? await resolveChart(deps, one, opts)
        : await resolveGit(deps, one, opts);
    states.push({ source, app: one, located, values: undefined, substitutions: undefined });
  }
  return states;
}

/** One source rendered from its tree (a chart's remote dependencies fetched first). */
async function renderSource(
  deps: DesiredStateDeps,
  state: SourceState,
  tree: { dir: string; path: string },
  refs: ReadonlyMap<string, string>,
  context: { revision: string; signal: AbortSignal },
): Promise<RenderResult> {
  const { signal } = context;
  const { source, values } = state;
  const own = state.located.revision.sha;
  const checkout = await withChartDependencies(deps, state.app, tree, context.revision, signal);
  const clock = deps.clock ?? (() => performance.now());
  try {
    const refValues = await refValueFiles(source.helm?.valueFiles ?? [], refs, signal);
    const decrypt = await sopsDecryptorFor(deps.client, state.app, signal);
    const started = clock();
    const rendered = await deps.render({
      repoRoot: checkout.dir,
      path: checkout.path,
      // Renders holding values from Secrets are not kept on disk.
      ...(values?.fromSecret ? {} : { commit: own }),
      source: {
        directory: source.directory,
        kustomize: source.kustomize,
        helm: helmSpecOf(source.helm, values, refValues),
      },
      app: { name: state.app.metadata.name, namespace: state.app.metadata.namespace },
      destinationNamespace: state.app.spec.destination.namespace ?? "",
      kubeVersion: deps.kubeVersion,
      ...(deps.apiVersions ? { apiVersions: deps.apiVersions() } : {}),
      isNamespaced: deps.isNamespaced,
      decrypt,
      signal,
    });
    (deps.observe ?? NO_OBSERVER).rendered({
      app: appKeyOf(state.app),
      tool: rendered.tool,
      durationMs: clock() - started,
      fromCache: rendered.fromCache,
    });
    return substituted(rendered, state.substitutions);
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("render", { cause: err, revision: context.revision });
  }
}

/** Flux's post-build substitution over a plain or Kustomize render. */
function substituted(rendered: RenderResult, substitutions: Substitutions | undefined): RenderResult {
  if (substitutions === undefined) return rendered;
  if (rendered.tool === "helm") {
    throw new RenderError("postBuild substitution applies to plain and Kustomize sources, not to a chart");
  }
  return { ...rendered, objects: substituteVariables(rendered.objects, substitutions.vars, {}) };
}

/** The revision of several sources: theirs joined by commas, in order (one source: its own). */
function combinedRevision(revisions: readonly ResolvedRevision[]): ResolvedRevision {
  const [first] = revisions;
  if (first === undefined) throw new Error("the Application has no source");
  if (revisions.length === 1) return first;
  const fetchError = revisions.find((r) => r.fetchError)?.fetchError;
  return {
    ...first,
    sha: revisions.map((r) => r.sha).join(","),
    message: revisions.map((r) => r.message.split("\n")[0]).join("; "),
    ...(fetchError ? { fetchError } : {}),
  };
}

/** A pinned revision split per source; a recorded revision of another number of sources cannot be pinned. */
function splitRevision(revision: string | undefined, sources: number): Array<string | undefined> {
  if (revision === undefined) return Array.from({ length: sources }, () => undefined);
  if (sources === 1) return [revision];
  const parts = revision.split(",");
  if (parts.length !== sources) {
    throw new DesiredStateError("source", {
      cause: new Error(`revision ${revision} names ${parts.length} sources; the Application has ${sources}`),
    });
  }
  return parts;
}

/**
 * Values from `$REF/path` value files (another source's tree, read through the renderer's path checks: nothing
 * outside that tree, symlinks included), merged in order; undefined when there are none.
 */
async function refValueFiles(
  files: readonly string[],
  refs: ReadonlyMap<string, string>,
  signal: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  let merged: Record<string, unknown> | undefined;
  for (const file of files) {
    const m = /^\$([^/]+)\/(.+)$/.exec(file);
    if (!m?.[1] || !m[2]) continue;
    const dir = refs.get(m[1]);
    if (dir === undefined) throw new RenderError(`value file ${file}: no source has ref ${m[1]}`);
    const root = await RepoRoot.open(dir, { signal });
    const resolved = await root.resolve(root.real, m[2], { what: "value file", file });
    if (resolved.isDirectory) throw new RenderError(`value file ${file} is a directory`, { file });
    const { value } = parseConfigFile(await readFile(resolved.real, { encoding: "utf8", signal }), file);
    merged = mergeMaps(merged ?? {}, value);
  }
  return merged;
}

/**
 * What a source's render reads from the cluster: helm.valuesFrom and postBuild's variables (each undefined
 * when the source names none). A missing object or an unlabelled Secret fails the render.
 */
async function clusterInputsOf(
  deps: DesiredStateDeps,
  app: Application,
  revision: string,
  signal: AbortSignal,
): Promise<Pick<SourceState, "values" | "substitutions">> {
  try {
    return {
      values: await readValuesFrom(deps.client, app, signal),
      substitutions: await readSubstitutions(deps.client, app, signal),
    };
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("render", { cause: err, revision });
  }
}

/**
 * The helm spec the renderer sees: the value files of another source (`$REF/…`) and valuesFrom already
 * merged into the values, in this order: the chart's own value files, `$REF` files, valuesFrom, inline values.
 */
function helmSpecOf(
  helm: ApplicationSource["helm"],
  values: ValuesFrom | undefined,
  refValues: Record<string, unknown> | undefined,
): RenderRequest["source"]["helm"] {
  if (helm === undefined) return undefined;
  const { valuesFrom: _merged, valueFiles, ...spec } = helm;
  let merged = values?.values ?? helm.values;
  if (refValues !== undefined) merged = mergeMaps(refValues, merged ?? {});
  return {
    ...spec,
    ...(valueFiles !== undefined ? { valueFiles: valueFiles.filter((f) => !f.startsWith("$")) } : {}),
    ...(merged !== undefined ? { values: merged } : {}),
  };
}
