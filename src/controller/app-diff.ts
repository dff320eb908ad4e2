import { join } from "node:path";
import {
  ANNOTATIONS,
  type Application,
  describeRef,
  IN_CLUSTER,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  PROJECT_API_VERSION,
  PROJECT_KIND,
  type Project,
  shortRevision,
} from "../api/index.js";
import { CLUSTER_SECRET_SELECTOR, clusterFromSecret, KubeClient, ScopeTable, WatchCache } from "../cluster/index.js";
import { Renderer } from "../render/index.js";
import { ChartSource, GitSource, type GitSourceOptions } from "../source/index.js";
import type { SyncTask } from "../sync/index.js";
import { compareDesired } from "./analyse.js";
import { type ClusterConnection, renderCapabilities } from "./clusters.js";
import { type DesiredState, type DesiredStateDeps, kubeVersionOf, loadDesiredState } from "./desired-state.js";
import { type Analysis, type Failure, isFailure } from "./pass.js";
import { type AppAccess, appAccess, projectClient, projectOf } from "./project-access.js";
import { findDestination } from "./project-policy.js";
import { maskSensitive } from "./values-from.js";

export interface AppDiffOptions {
  /** Git mirrors and rendered manifests of this diff live here (reused between calls). */
  cacheDir: string;
  /** Where its Projects live (the agent's namespace); default the Application's namespace. */
  agentNamespace?: string;
  /** Where file:// repositories may be read from, as the agent allows them. */
  fileRepos?: GitSourceOptions["fileRepos"];
  signal: AbortSignal;
}

/** Why a diff cannot be shown: the project refuses the Application (the agent would apply nothing either). */
export class AppDiffRefusedError extends Error {
  override readonly name = "AppDiffRefusedError";
}

export interface AppDiff {
  /** Unified diffs of the objects that differ (Secret values masked), after a header naming the revision. */
  text: string;
  differs: boolean;
  revision: { sha: string; message: string };
}

const describeTask = (task: SyncTask) =>
  `${task.ref.kind}/${task.ref.namespace ? `${task.ref.namespace}/` : ""}${task.ref.name}`;

/**
 * The Application's destination as the agent would reach it: this cluster, or the one of a cluster Secret in
 * the agent's namespace (read with the caller's client); undefined when none matches.
 */
export async function destinationConnection(
  client: KubeClient,
  app: Application,
  agentNamespace: string,
  signal: AbortSignal,
): Promise<ClusterConnection | undefined> {
  const connect = (name: string, server: string, c: KubeClient, home: boolean): ClusterConnection => ({
    name,
    server,
    home,
    client: c,
    live: new WatchCache(c),
    scopes: new ScopeTable(c),
    kubeVersion: undefined,
  });
  const home = connect(IN_CLUSTER.name, IN_CLUSTER.server, client, true);
  if (findDestination(app.spec.destination, [home])) return home;
  const { items } = await client.list("v1", "Secret", {
    namespace: agentNamespace,
    labelSelector: CLUSTER_SECRET_SELECTOR,
    signal,
  });
  const remotes = items.flatMap((secret) => {
    try {
      const entry = clusterFromSecret(secret);
      return [connect(entry.name, entry.server, new KubeClient(entry.config), false)];
    } catch {
      return []; // as the agent: a Secret it cannot use names no cluster
    }
  });
  return findDestination(app.spec.destination, [home, ...remotes]);
}

/** What a render needs, as the agent has it for the Application: its project's access and the destination's capabilities. */
export interface RenderSetup {
  deps: DesiredStateDeps;
  access: AppAccess;
  /** The destination cluster, read as the agent reads it (not as the project's account). */
  destination: KubeClient;
}

/**
 * How the agent would render the Application now: after the project's checks of the Application itself
 * (AppDiffRefusedError when it refuses), with the destination cluster's version and served APIs as helm's
 * Capabilities.
 */
export async function renderSetup(client: KubeClient, app: Application, options: AppDiffOptions): Promise<RenderSetup> {
  const { signal } = options;
  const agentNamespace = options.agentNamespace ?? app.metadata.namespace;
  const project = (await client.get(
    { apiVersion: PROJECT_API_VERSION, kind: PROJECT_KIND, namespace: agentNamespace, name: projectOf(app) },
    signal,
  )) as unknown as Project | undefined;
  const connection = await destinationConnection(client, app, agentNamespace, signal);
  const access = appAccess({
    app,
    project,
    agentNamespace,
    resolveCluster: () => connection,
    clientFor: (c, account) => projectClient(c.client, account),
  });
  if ("reason" in access) throw new AppDiffRefusedError(`${access.reason}: ${access.message}`);
  const destination = access.connection.client;
  const renderer = new Renderer({ cacheDir: join(options.cacheDir, "render") });
  await access.connection.scopes.refresh(signal, 0);
  access.connection.kubeVersion = kubeVersionOf((await destination.serverVersion(signal)).gitVersion);
  const deps: DesiredStateDeps = {
    client,
    git: new GitSource({ cacheDir: join(options.cacheDir, "git"), fileRepos: options.fileRepos }),
    charts: new ChartSource({ cacheDir: join(options.cacheDir, "charts") }),
    render: (request) => renderer.render(request),
    ...renderCapabilities(access.connection),
  };
  return { deps, access, destination };
}

/** What a comparison starts from: the desired state at the Application's revision, and how it was rendered. */
export interface DiffBasis extends RenderSetup {
  desired: DesiredState;
}

/** The Application rendered as the agent renders it (see renderSetup), its source fetched first. */
export async function diffBasis(client: KubeClient, app: Application, options: AppDiffOptions): Promise<DiffBasis> {
  const setup = await renderSetup(client, app, options);
  const desired = await loadDesiredState(setup.deps, app, { refresh: true, signal: options.signal });
  return { ...setup, desired };
}

/**
 * The agent's own comparison (compareDesired: the plan, the project's checks, a server-side dry run per object,
 * masked Secrets) on a basis, with live objects read once instead of from a watch; only those `reads` accepts
 * (all by default: the others compare as Missing). `tracked` holds what was read, as the agent's watch cache
 * holds it: only objects bosun tracks.
 */
export async function compareBasis(
  basis: DiffBasis,
  app: Application,
  options: { signal: AbortSignal; reads?: (ref: ObjectRef) => boolean },
): Promise<{ analysis: Omit<Analysis, "fingerprint"> | Failure; tracked: ReadonlyMap<string, KubeObject> }> {
  const { signal } = options;
  const tracked = new Map<string, KubeObject>();
  const readTracked = async (ref: ObjectRef, apiVersion: string) => {
    if (options.reads && !options.reads(ref)) return;
    const live = await basis.destination.get(
      { apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name },
      signal,
    );
    if (live?.metadata.annotations?.[ANNOTATIONS.trackingId]) tracked.set(inventoryId(ref), live);
  };
  const analysis = await compareDesired({
    desired: basis.desired,
    app,
    inventory: [], // what is no longer in Git is the status's business (Extraneous), not the diff's
    access: basis.access,
    liveOf: (ref) => tracked.get(inventoryId(ref)),
    prepare: async (plan) => {
      for (const task of [...plan.steps.flatMap((s) => s.tasks), ...plan.onFail])
        await readTracked(task.ref, task.object.apiVersion);
    },
    compareCache: new Map(),
    signal,
  });
  return { analysis, tracked };
}

/** How the cluster differs from Git for one Application, as the agent compares them (see compareBasis). */
export async function appDiff(client: KubeClient, app: Application, options: AppDiffOptions): Promise<AppDiff> {
  const basis = await diffBasis(client, app, options);
  const { desired } = basis;
  const { analysis } = await compareBasis(basis, app, { signal: options.signal });
  if (isFailure(analysis)) {
    if (!analysis.denials) throw new AppDiffRefusedError(`${analysis.reason}: ${analysis.message}`);
    return result(
      analysis.denials.map((d) => `=== ${describeRef(d.ref)}: not permitted (${d.rule}); nothing would be applied\n`),
      desired.revision,
      desired.sensitive ?? [],
    );
  }
  const parts: string[] = [];
  for (const c of analysis.comparisons) {
    if (c.status === "Missing") parts.push(`=== ${describeTask(c.task)}: missing (will be created)\n`);
    else if (c.error) parts.push(`=== ${describeTask(c.task)}: the dry run was refused: ${c.error}\n`);
    else if (c.status === "OutOfSync") parts.push(c.diff.endsWith("\n") ? c.diff : `${c.diff}\n`);
  }
  return result(parts, desired.revision, desired.sensitive ?? []);
}

/** The diff's text, values from Secrets (helm.valuesFrom) masked wherever they appear. */
function result(
  parts: readonly string[],
  revision: { sha: string; message: string },
  sensitive: readonly string[],
): AppDiff {
  const { sha, message } = revision;
  const header = `revision ${shortRevision(sha)} (${message.split("\n")[0]})\n`;
  return {
    text: maskSensitive(parts.length > 0 ? header + parts.join("\n") : `${header}no differences\n`, sensitive),
    differs: parts.length > 0,
    revision: { sha, message },
  };
}
