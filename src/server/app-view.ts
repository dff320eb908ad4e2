// What the API shows of an Application: plain data from the object, no I/O. Never anything from a Secret.
// What lies outside the object (the clusters the agent knows, the Applications it depends on) comes in
// through functions the caller passes.
import {
  type AppKey,
  type Application,
  type ApplicationDestination,
  DEFAULT_PROJECT,
  destinationServer,
  IN_CLUSTER,
  type ResourceStatus,
  withPrimarySource,
} from "../api/index.js";
import { notReadyBecause } from "../controller/index.js";

export interface AppSummary {
  namespace: string;
  name: string;
  sync: string;
  health: string;
  revision?: string;
  /** The commit's first line, when the agent recorded it. */
  revisionMessage?: string;
  lastSync?: { at: string; result: string; revision: string; initiatedBy: string };
  operation?: { phase: string; syncPhase?: string; wave?: number; message: string };
  suspended: boolean;
  rolledBackTo?: number;
  /** The cluster it deploys to: a known cluster's name, else the destination's name, or server, or in-cluster. */
  cluster: string;
  /** spec.project, or the default project. */
  project: string;
}

/** How an Application's cluster is named in a summary (see AppSummary.cluster). */
export type ClusterNamer = (dest: ApplicationDestination) => string;

/** An Application this one depends on, as it is now. */
export interface DependencyView {
  namespace: string;
  name: string;
  /** Synced and Healthy at its current revision: an automated sync of the dependent may start. */
  ready: boolean;
  /** Why it is not ready, in a few words ("not found", "OutOfSync", "Progressing: …"); absent when ready. */
  why?: string;
  /** Its sync and health status; absent when the caller cannot see it (or it does not exist). */
  sync?: string;
  health?: string;
}

/** An Application by namespace and name, when it exists and the caller may see it. */
export type AppLookup = (key: AppKey) => Application | undefined;

export interface AppViewOptions {
  /** Names the destination's cluster; default destinationLabel (the destination alone). */
  clusterOf?: ClusterNamer;
  /** Where the Applications of spec.dependsOn are found; without it the detail has no dependsOn. */
  lookup?: AppLookup;
}

export interface WaveGroup {
  wave: number;
  resources: ResourceStatus[];
}

export interface AppDetail extends AppSummary {
  source: Application["spec"]["source"];
  destination: Application["spec"]["destination"];
  syncPolicy: Application["spec"]["syncPolicy"];
  healthMessage?: string;
  conditions: NonNullable<NonNullable<Application["status"]>["conditions"]>;
  waves: WaveGroup[];
  /** Counts over every resource; `waves` lists at most a bound of them (the rest via /resources). */
  summary?: NonNullable<Application["status"]>["summary"];
  /** What the project or ownership refused in the last render: nothing was applied. */
  denied: NonNullable<NonNullable<Application["status"]>["denied"]>;
  reconciledAt?: string;
  /** What the project's sync windows allow now; absent when none applies. */
  syncWindow?: NonNullable<Application["status"]>["syncWindow"];
  /** Revisions automatic rollbacks quarantined; absent when none is. */
  quarantined?: NonNullable<Application["status"]>["quarantined"];
  /** spec.dependsOn, each with its state now; absent when no lookup was given (the event stream's payload). */
  dependsOn?: DependencyView[];
}

/** The cluster as the destination alone names it: its name, or its server, or in-cluster (neither, or that server). */
export function destinationLabel(dest: ApplicationDestination | undefined): string {
  if (dest?.name) return dest.name;
  const server = destinationServer(dest);
  return server === undefined || server === IN_CLUSTER.server ? IN_CLUSTER.name : server;
}

/** Each Application `app` depends on (its own namespace unless another is named), found through lookup. */
export function dependencyViews(app: Application, lookup: AppLookup): DependencyView[] {
  return (app.spec.dependsOn ?? []).map((dep) => {
    const key = { namespace: dep.namespace || app.metadata.namespace, name: dep.name };
    const found = lookup(key);
    const why = notReadyBecause(found);
    return {
      ...key,
      ready: why === undefined,
      ...(why === undefined ? {} : { why }),
      ...(found
        ? { sync: found.status?.sync?.status ?? "Unknown", health: found.status?.health?.status ?? "Unknown" }
        : {}),
    };
  });
}

export function appSummary(app: Application, clusterOf: ClusterNamer = destinationLabel): AppSummary {
  const s = app.status;
  const last = s?.history?.at(-1);
  const op = s?.operation;
  return {
    namespace: app.metadata.namespace,
    name: app.metadata.name,
    sync: s?.sync?.status ?? "Unknown",
    health: s?.health?.status ?? "Unknown",
    revision: s?.sync?.revision,
    revisionMessage: s?.sourceRevision?.message.split("\n")[0],
    lastSync: last
      ? { at: last.deployedAt, result: last.result, revision: last.revision, initiatedBy: last.initiatedBy }
      : undefined,
    operation: op ? { phase: op.phase, syncPhase: op.syncPhase, wave: op.wave, message: op.message } : undefined,
    suspended: Boolean(app.spec.syncPolicy?.suspend),
    rolledBackTo: s?.rollback?.historyId,
    cluster: clusterOf(app.spec.destination ?? {}),
    project: app.spec.project || DEFAULT_PROJECT,
  };
}

/** Resources by wave, waves in order; inside a wave in the order the status lists them. */
export function groupByWave(resources: readonly ResourceStatus[]): WaveGroup[] {
  const waves = new Map<number, ResourceStatus[]>();
  for (const r of resources) {
    const group = waves.get(r.wave) ?? [];
    group.push(r);
    waves.set(r.wave, group);
  }
  return [...waves.entries()].sort(([a], [b]) => a - b).map(([wave, list]) => ({ wave, resources: list }));
}

export function appDetail(app: Application, options: AppViewOptions = {}): AppDetail {
  const s = app.status;
  return {
    ...appSummary(app, options.clusterOf),
    source: withPrimarySource(app).spec.source,
    destination: app.spec.destination,
    syncPolicy: app.spec.syncPolicy,
    healthMessage: s?.health?.message || undefined,
    conditions: s?.conditions ?? [],
    waves: groupByWave(s?.resources ?? []),
    ...(s?.summary ? { summary: s.summary } : {}),
    denied: s?.denied ?? [],
    reconciledAt: s?.reconciledAt,
    ...(s?.syncWindow ? { syncWindow: s.syncWindow } : {}),
    ...(s?.quarantined?.length ? { quarantined: s.quarantined } : {}),
    ...(options.lookup ? { dependsOn: dependencyViews(app, options.lookup) } : {}),
  };
}

/** What a dashboard shows of an Application: its detail, and its history and drift records (read apart). */
function dashboardView(app: Application): string {
  return JSON.stringify([appDetail(app), app.status?.history ?? [], app.status?.drift ?? []]);
}

/** Whether what a dashboard shows of an Application changed between two versions of it. */
export function viewChanged(before: Application | undefined, after: Application): boolean {
  if (!before) return true;
  return dashboardView(before) !== dashboardView(after);
}
