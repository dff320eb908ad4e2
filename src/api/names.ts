// Names bosun writes into users' clusters. They are contracts: never change one silently.

export const GROUP = "bosun.dev";
export const FIELD_MANAGER = "bosun";

export const ANNOTATIONS = {
  trackingId: "bosun.dev/tracking-id",
  syncWave: "bosun.dev/sync-wave",
  hook: "bosun.dev/hook",
  hookDeletePolicy: "bosun.dev/hook-delete-policy",
  syncOptions: "bosun.dev/sync-options",
  compareOptions: "bosun.dev/compare-options",
  reconcileRequestedAt: "bosun.dev/reconcile-requested-at",
  /** On a hook: the sync operation that created it, so a resumed sync never runs a hook twice. */
  hookOperation: "bosun.dev/hook-operation",
  /** On an Application: `bosun app sync --revision` asks for this revision once. */
  syncRevision: "bosun.dev/sync-revision",
  /** On an Application: `bosun app sync --prune` asks the requested sync to prune ("true"). */
  syncPrune: "bosun.dev/sync-prune",
  /** On an Application: `bosun app sync --dry-run` asks for a dry run instead of a sync ("true"). */
  syncDryRun: "bosun.dev/sync-dry-run",
  /** On an Application: `bosun app sync --resource` asks to sync only these objects (comma-separated inventory ids). */
  syncResources: "bosun.dev/sync-resources",
  /**
   * On an Application: `bosun app unquarantine` lifts the quarantine of a revision (JSON: revision, or a
   * prefix of it, and when it was asked; a quarantine made later stays).
   */
  unquarantine: "bosun.dev/unquarantine",
  /** On an Application: `bosun app rollback` asks for this history id. */
  rollbackTo: "bosun.dev/rollback-to",
  /** On an Application: who asked for the pending sync or rollback (an API token's name); history records it. */
  syncRequestedBy: "bosun.dev/sync-requested-by",
  /** On a cluster Secret: the agent's last look at the cluster (JSON: state, version, message, at). */
  clusterStatus: "bosun.dev/cluster-status",
  /** Test and embedded clusters: `unready` or `crashloop` on a Pod simulates that failure. */
  simulate: "bosun.dev/simulate",
} as const;

export const LABELS = {
  /** On a hook made from metadata.generateName: which hook of which Application it is (a hash), to find it again. */
  hookId: "bosun.dev/hook-id",
  /** On such a hook: the sync operation that created it (a hash), so a resumed sync never creates it twice. */
  hookOperation: "bosun.dev/hook-operation",
  /** On an Application an ApplicationSet generated: the set's name (its own are found and pruned by it). */
  applicationSet: "bosun.dev/application-set",
  /** On a Secret in the agent's namespace: what it is for (see SECRET_TYPES). Only labelled Secrets are used. */
  secretType: "bosun.dev/secret-type",
} as const;

/** Values of LABELS.secretType. */
export const SECRET_TYPES = {
  /** Repository credentials an Application may name in `credentialsRef`. */
  repository: "repository",
  /** A named API token of the HTTP API (its hash, role and project). */
  apiToken: "api-token",
  /** Values an Application may read: `helm.valuesFrom`, `postBuild.substituteFrom`. */
  values: "values",
  /** A cluster Applications may deploy to: `name`, `server` and its credentials (Argo CD's cluster Secret). */
  cluster: "cluster",
} as const;

/** The cluster the agent runs in, under Argo CD's names for it. */
export const IN_CLUSTER = { server: "https://kubernetes.default.svc", name: "in-cluster" } as const;

/** On an Application: the agent deletes what the Application deployed before the Application goes. */
export const CASCADE_FINALIZER = "bosun.dev/resources-finalizer";

/** Argo CD's names, honoured as aliases of ours. */
export const ARGOCD_ANNOTATIONS = {
  syncWave: "argocd.argoproj.io/sync-wave",
  hook: "argocd.argoproj.io/hook",
  hookDeletePolicy: "argocd.argoproj.io/hook-delete-policy",
  syncOptions: "argocd.argoproj.io/sync-options",
  compareOptions: "argocd.argoproj.io/compare-options",
} as const;

/** Helm's hook annotations, read as Argo CD reads them when neither bosun's nor Argo CD's are set. */
export const HELM_ANNOTATIONS = {
  hook: "helm.sh/hook",
  hookWeight: "helm.sh/hook-weight",
  hookDeletePolicy: "helm.sh/hook-delete-policy",
} as const;
