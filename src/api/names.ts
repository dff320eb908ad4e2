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
  /** Test and embedded clusters: `unready` or `crashloop` on a Pod simulates that failure. */
  simulate: "bosun.dev/simulate",
} as const;

/** Argo CD's names, honoured as aliases of ours. */
export const ARGOCD_ANNOTATIONS = {
  syncWave: "argocd.argoproj.io/sync-wave",
  hook: "argocd.argoproj.io/hook",
  hookDeletePolicy: "argocd.argoproj.io/hook-delete-policy",
} as const;
