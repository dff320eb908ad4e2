// What the dashboard reads from bosun's HTTP API, checked as it arrives. The UI imports nothing from the
// server's code (it talks to it over HTTP only), so the shapes are declared here, as the UI needs them.

export type Role = "admin" | "readonly";

export interface WhoAmI {
  name: string;
  role: Role;
}

export interface ResourceView {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  /** Synced | OutOfSync | Missing | Extraneous */
  status: string;
  health?: string;
  healthMessage?: string;
  /** Why the API server refused this object's last write or dry run. */
  message?: string;
  wave: number;
  hook?: string;
}

/** An object the project or another Application's ownership refused. */
export interface DeniedView {
  resource: string;
  rule: string;
}

export interface WaveGroup {
  wave: number;
  resources: ResourceView[];
}

export interface OperationView {
  /** Running | Succeeded | Failed | Error */
  phase: string;
  syncPhase?: string;
  wave?: number;
  message: string;
}

export interface AppSummary {
  namespace: string;
  name: string;
  sync: string;
  health: string;
  revision?: string;
  revisionMessage?: string;
  lastSync?: { at: string; result: string; revision: string; initiatedBy: string };
  operation?: OperationView;
  suspended: boolean;
  rolledBackTo?: number;
  /** The cluster it deploys to (a known cluster's name, else its destination's name or server). */
  cluster: string;
  /** Its project ("default" from a server that does not say). */
  project: string;
}

/** An Application this one depends on, and whether it is ready (Synced and Healthy at its revision). */
export interface DependencyView {
  namespace: string;
  name: string;
  ready: boolean;
  /** Why it is not ready yet, in a few words. */
  why?: string;
  sync?: string;
  health?: string;
}

/** A cluster the agent deploys to, as GET /api/clusters answers. */
export interface ClusterView {
  name: string;
  server: string;
  /** Reachable | Unreachable | Unknown */
  state: string;
  version?: string;
  message?: string;
  /** When the state last changed. */
  since?: string;
  /** How many of the Applications this token sees deploy there. */
  applications: number;
}

/** A cluster Secret the agent could not use, and why. */
export interface RejectedClusterView {
  secret: string;
  message: string;
}

export interface ClustersAnswer {
  clusters: ClusterView[];
  rejected: RejectedClusterView[];
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface AppDetail extends AppSummary {
  source: { repoURL: string; path?: string; revision?: string; chart?: string };
  destinationNamespace?: string;
  policy: { automated: boolean; prune: boolean; selfHeal: boolean; interval?: string };
  healthMessage?: string;
  conditions: ConditionView[];
  waves: WaveGroup[];
  /** Resources the waves do not list (a large Application), and whether they were all Synced and Healthy. */
  notListed?: { count: number; allSyncedAndHealthy: boolean };
  project: string;
  denied: DeniedView[];
  /** spec.dependsOn with each one's state; [] when it has none (or the server is older). */
  dependsOn: DependencyView[];
  /** What the project's sync windows allow now; absent when none applies. */
  syncWindow?: SyncWindowView;
  /** Revisions automatic rollbacks quarantined ([] when none is, or the server is older). */
  quarantined: QuarantinedView[];
}

export interface QuarantinedView {
  revision: string;
  at: string;
  reason: string;
  rolledBackTo: string;
}

export interface SyncWindowView {
  /** Open | Closed */
  state: string;
  manualSync: boolean;
  message: string;
  nextChange?: string;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  initiatedBy: string;
  result: string;
  message?: string;
}

/** One drifted field: the value from Git and the live value (absent: the field is not set there). */
export interface DriftChange {
  path: string;
  from?: string;
  to?: string;
}

export interface DriftRecord {
  resource: string;
  fields: string[];
  /** The values of the first fields (the agent keeps a few); [] from agents that recorded none. */
  changes: DriftChange[];
  manager: string;
  operation?: string;
  at: string;
  corrected: boolean;
  /** revert, detect or allow; undefined from agents that did not say. */
  action?: string;
  /** The index of the driftPolicy rule that decided. */
  rule?: number;
}

export interface DiffAnswer {
  revision: string;
  revisionMessage: string;
  differs: boolean;
  diff: string;
}

export interface AppEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  lastTimestamp?: string;
  source?: string;
}

/** An answer that is not the shape the dashboard expects (a server of another version, a proxy's page). */
export class DecodeError extends Error {
  override readonly name = "DecodeError";
}

// Decoding primitives the other models of the dashboard share: each names where a wrong shape was found.
export type Fields = Record<string, unknown>;

export function fields(value: unknown, what: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new DecodeError(`${what} is not an object`);
  return value as Fields;
}

export function str(o: Fields, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== "string") throw new DecodeError(`${what}.${key} is not a string`);
  return v;
}

export function optStr(o: Fields, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

function num(o: Fields, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new DecodeError(`${what}.${key} is not a number`);
  return v;
}

function optNum(o: Fields, key: string): number | undefined {
  const v = o[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function list<T>(o: Fields, key: string, what: string, each: (v: unknown, what: string) => T): T[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v)) throw new DecodeError(`${what}.${key} is not a list`);
  return v.map((item, i) => each(item, `${what}.${key}[${i}]`));
}

/** `{items: [...]}`, the API's list answers. */
export function decodeItems<T>(value: unknown, each: (v: unknown, what: string) => T): T[] {
  return list(fields(value, "answer"), "items", "answer", each);
}

export function decodeWhoAmI(value: unknown): WhoAmI {
  const o = fields(value, "whoami");
  const role = o.role;
  if (role !== "admin" && role !== "readonly") throw new DecodeError("whoami.role is neither admin nor readonly");
  return { name: str(o, "name", "whoami"), role };
}

function decodeOperation(value: unknown, what: string): OperationView | undefined {
  if (value === undefined || value === null) return undefined;
  const o = fields(value, what);
  return {
    phase: str(o, "phase", what),
    syncPhase: optStr(o, "syncPhase"),
    wave: optNum(o, "wave"),
    message: optStr(o, "message") ?? "",
  };
}

function decodeLastSync(value: unknown, what: string): AppSummary["lastSync"] {
  if (value === undefined || value === null) return undefined;
  const o = fields(value, what);
  return {
    at: str(o, "at", what),
    result: str(o, "result", what),
    revision: str(o, "revision", what),
    initiatedBy: optStr(o, "initiatedBy") ?? "",
  };
}

export function decodeSummary(value: unknown, what = "application"): AppSummary {
  const o = fields(value, what);
  return {
    namespace: str(o, "namespace", what),
    name: str(o, "name", what),
    sync: str(o, "sync", what),
    health: str(o, "health", what),
    revision: optStr(o, "revision"),
    revisionMessage: optStr(o, "revisionMessage"),
    lastSync: decodeLastSync(o.lastSync, `${what}.lastSync`),
    operation: decodeOperation(o.operation, `${what}.operation`),
    suspended: o.suspended === true,
    rolledBackTo: optNum(o, "rolledBackTo"),
    // A server from before several clusters deployed to its own only.
    cluster: optStr(o, "cluster") || "in-cluster",
    project: optStr(o, "project") || "default",
  };
}

function decodeResource(value: unknown, what: string): ResourceView {
  const o = fields(value, what);
  return {
    group: optStr(o, "group") ?? "",
    kind: str(o, "kind", what),
    namespace: optStr(o, "namespace") ?? "",
    name: str(o, "name", what),
    status: str(o, "status", what),
    health: optStr(o, "health"),
    healthMessage: optStr(o, "healthMessage"),
    message: optStr(o, "message"),
    wave: optNum(o, "wave") ?? 0,
    hook: optStr(o, "hook"),
  };
}

function decodeWave(value: unknown, what: string): WaveGroup {
  const o = fields(value, what);
  return { wave: num(o, "wave", what), resources: list(o, "resources", what, decodeResource) };
}

function decodeCondition(value: unknown, what: string): ConditionView {
  const o = fields(value, what);
  return {
    type: str(o, "type", what),
    status: str(o, "status", what),
    reason: optStr(o, "reason") ?? "",
    message: optStr(o, "message") ?? "",
  };
}

function decodePolicy(value: unknown): AppDetail["policy"] {
  if (typeof value !== "object" || value === null) return { automated: false, prune: false, selfHeal: false };
  const o = value as Fields;
  const automated = typeof o.automated === "object" && o.automated !== null ? (o.automated as Fields) : undefined;
  return {
    automated: automated !== undefined,
    prune: automated?.prune === true,
    selfHeal: automated?.selfHeal === true,
    interval: optStr(o, "interval"),
  };
}

export function decodeDetail(value: unknown): AppDetail {
  const o = fields(value, "application");
  const source = fields(o.source, "application.source");
  const destination = typeof o.destination === "object" && o.destination !== null ? (o.destination as Fields) : {};
  return {
    ...decodeSummary(o),
    source: {
      repoURL: str(source, "repoURL", "application.source"),
      path: optStr(source, "path") ?? "",
      revision: optStr(source, "revision"),
    },
    destinationNamespace: optStr(destination, "namespace"),
    policy: decodePolicy(o.syncPolicy),
    healthMessage: optStr(o, "healthMessage"),
    conditions: list(o, "conditions", "application", decodeCondition),
    waves: list(o, "waves", "application", decodeWave),
    ...decodeNotListed(o.summary),
    project: optStr(o, "project") ?? "default",
    denied: Array.isArray(o.denied) ? list(o, "denied", "application", decodeDenied) : [],
    dependsOn: Array.isArray(o.dependsOn) ? list(o, "dependsOn", "application", decodeDependency) : [],
    ...(o.syncWindow === undefined ? {} : { syncWindow: decodeSyncWindow(o.syncWindow) }),
    quarantined: Array.isArray(o.quarantined) ? list(o, "quarantined", "application", decodeQuarantined) : [],
  };
}

function decodeQuarantined(value: unknown, what: string): QuarantinedView {
  const o = fields(value, what);
  return {
    revision: str(o, "revision", what),
    at: str(o, "at", what),
    reason: optStr(o, "reason") ?? "",
    rolledBackTo: optStr(o, "rolledBackTo") ?? "",
  };
}

function decodeSyncWindow(value: unknown): SyncWindowView {
  const o = fields(value, "application.syncWindow");
  return {
    state: str(o, "state", "application.syncWindow"),
    manualSync: o.manualSync === true,
    message: optStr(o, "message") ?? "",
    nextChange: optStr(o, "nextChange"),
  };
}

function decodeDependency(value: unknown, what: string): DependencyView {
  const o = fields(value, what);
  return {
    namespace: str(o, "namespace", what),
    name: str(o, "name", what),
    ready: o.ready === true,
    why: optStr(o, "why"),
    sync: optStr(o, "sync"),
    health: optStr(o, "health"),
  };
}

function decodeCluster(value: unknown, what: string): ClusterView {
  const o = fields(value, what);
  return {
    name: str(o, "name", what),
    server: optStr(o, "server") ?? "",
    state: optStr(o, "state") ?? "Unknown",
    version: optStr(o, "version"),
    message: optStr(o, "message"),
    since: optStr(o, "since"),
    applications: optNum(o, "applications") ?? 0,
  };
}

function decodeRejectedCluster(value: unknown, what: string): RejectedClusterView {
  const o = fields(value, what);
  return { secret: str(o, "secret", what), message: optStr(o, "message") ?? "" };
}

/** GET /api/clusters. */
export function decodeClusters(value: unknown): ClustersAnswer {
  const o = fields(value, "clusters");
  return {
    clusters: list(o, "clusters", "clusters", decodeCluster),
    rejected: list(o, "rejected", "clusters", decodeRejectedCluster),
  };
}

function decodeNotListed(value: unknown): Pick<AppDetail, "notListed"> {
  if (typeof value !== "object" || value === null) return {};
  const o = value as Fields;
  const count = (typeof o.total === "number" ? o.total : 0) - (typeof o.shown === "number" ? o.shown : 0);
  return count > 0 ? { notListed: { count, allSyncedAndHealthy: o.omittedSynced === true } } : {};
}

function decodeDenied(value: unknown, what: string): DeniedView {
  const o = fields(value, what);
  return { resource: str(o, "resource", what), rule: str(o, "rule", what) };
}

export function decodeHistoryEntry(value: unknown, what: string): HistoryEntry {
  const o = fields(value, what);
  return {
    id: num(o, "id", what),
    revision: str(o, "revision", what),
    deployedAt: str(o, "deployedAt", what),
    initiatedBy: optStr(o, "initiatedBy") ?? "",
    result: str(o, "result", what),
    message: optStr(o, "message"),
  };
}

function decodeDriftChange(value: unknown, what: string): DriftChange {
  const o = fields(value, what);
  return { path: str(o, "path", what), from: optStr(o, "from"), to: optStr(o, "to") };
}

export function decodeDriftRecord(value: unknown, what: string): DriftRecord {
  const o = fields(value, what);
  return {
    resource: str(o, "resource", what),
    fields: list(o, "fields", what, (v, w) => {
      if (typeof v !== "string") throw new DecodeError(`${w} is not a string`);
      return v;
    }),
    changes: list(o, "changes", what, decodeDriftChange),
    manager: str(o, "manager", what),
    operation: optStr(o, "operation"),
    at: str(o, "at", what),
    corrected: o.corrected === true,
    action: optStr(o, "action"),
    rule: typeof o.rule === "number" ? o.rule : undefined,
  };
}

export function decodeDiff(value: unknown): DiffAnswer {
  const o = fields(value, "diff");
  return {
    revision: str(o, "revision", "diff"),
    revisionMessage: optStr(o, "revisionMessage") ?? "",
    differs: o.differs === true,
    diff: str(o, "diff", "diff"),
  };
}

export function decodeEvent(value: unknown, what: string): AppEvent {
  const o = fields(value, what);
  return {
    type: optStr(o, "type") ?? "Normal",
    reason: optStr(o, "reason") ?? "",
    message: optStr(o, "message") ?? "",
    count: optNum(o, "count") ?? 1,
    lastTimestamp: optStr(o, "lastTimestamp"),
    source: optStr(o, "source"),
  };
}

/** The `deleted` stream event's payload. */
export function decodeAppKey(value: unknown): { namespace: string; name: string } {
  const o = fields(value, "deleted");
  return { namespace: str(o, "namespace", "deleted"), name: str(o, "name", "deleted") };
}

export function appKey(app: { namespace: string; name: string }): string {
  return `${app.namespace}/${app.name}`;
}
