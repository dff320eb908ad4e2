// What the API shows of an Application: plain data from the object, no I/O. Never anything from a Secret.
import { type Application, DEFAULT_PROJECT, type ResourceStatus, withPrimarySource } from "../api/index.js";

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
}

export interface WaveGroup {
  wave: number;
  resources: ResourceStatus[];
}

export interface AppDetail extends AppSummary {
  project: string;
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
}

export function appSummary(app: Application): AppSummary {
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

export function appDetail(app: Application): AppDetail {
  const s = app.status;
  return {
    ...appSummary(app),
    project: app.spec.project || DEFAULT_PROJECT,
    source: withPrimarySource(app).spec.source,
    destination: app.spec.destination,
    syncPolicy: app.spec.syncPolicy,
    healthMessage: s?.health?.message || undefined,
    conditions: s?.conditions ?? [],
    waves: groupByWave(s?.resources ?? []),
    ...(s?.summary ? { summary: s.summary } : {}),
    denied: s?.denied ?? [],
    reconciledAt: s?.reconciledAt,
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
