// Project: what the Applications of one team may change. Argo CD's AppProject field names, where they exist.

import type { NamespacedMeta } from "./object.js";

export const PROJECT_API_VERSION = "bosun.dev/v1alpha1";
export const PROJECT_KIND = "Project";
export const PROJECT_PLURAL = "projects";
/** The project of an Application that names none; created by `bosun install` and by the agent at start. */
export const DEFAULT_PROJECT = "default";

/** A group and kind; both may be globs (`*`), except where a rule asks for a literal. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** Where a project's Applications may deploy: a namespace glob, and a cluster (server URL or name glob). */
export interface ProjectDestination {
  namespace?: string;
  /** Server URL glob; absent with `name` absent means the in-cluster destination only. */
  server?: string;
  /** Cluster name glob (`in-cluster` is the cluster the agent runs in). */
  name?: string;
}

export interface ProjectSpec {
  description?: string;
  /** Repository URL globs; an Application's repoURL must match one (and no `!` entry). None when absent. */
  sourceRepos?: string[];
  /** Where the project's Applications may deploy. None when absent. */
  destinations?: ProjectDestination[];
  /** Namespaces (globs) besides the agent's in which Applications of this project may live. */
  sourceNamespaces?: string[];
  /** Cluster-scoped kinds the project may write; none when absent. */
  clusterResourceWhitelist?: GroupKind[];
  clusterResourceBlacklist?: GroupKind[];
  /** Namespaced kinds the project may write; every kind when absent, none when empty. */
  namespaceResourceWhitelist?: GroupKind[];
  namespaceResourceBlacklist?: GroupKind[];
  /** The identity every read and write of the project's Applications impersonates. */
  serviceAccount?: { namespace: string; name: string };
  /** When the project's Applications may sync (Argo CD's sync windows). */
  syncWindows?: SyncWindow[];
}

/** A time a schedule opens, and for how long: syncs of the Applications it names are allowed or denied then. */
export interface SyncWindow {
  kind: "allow" | "deny";
  /** Five-field cron (minute hour day-of-month month day-of-week), or @hourly, @daily, … */
  schedule: string;
  /** How long the window stays open each time the schedule fires: "1h", "30m", "1h30m". */
  duration: string;
  /** Globs of Application names, destination namespaces and cluster names; the window applies when one matches. */
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  /** Syncs asked for by hand are allowed while this window blocks automated ones. */
  manualSync?: boolean;
  /** The IANA time zone the schedule is read in; UTC when absent. */
  timeZone?: string;
}

export interface Project {
  apiVersion: typeof PROJECT_API_VERSION;
  kind: typeof PROJECT_KIND;
  metadata: NamespacedMeta;
  spec: ProjectSpec;
}

/**
 * The `default` project: every repository, destination and kind. Globs never match the agent's namespace
 * or bosun's own kinds, so even this project cannot write those.
 */
export function defaultProject(namespace: string, serviceAccount?: ProjectSpec["serviceAccount"]): Project {
  return {
    apiVersion: PROJECT_API_VERSION,
    kind: PROJECT_KIND,
    metadata: { name: DEFAULT_PROJECT, namespace },
    spec: {
      description: "Applications that name no project: any repository, destination and kind but bosun's own",
      sourceRepos: ["*"],
      destinations: [{ namespace: "*", server: "*" }],
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
      ...(serviceAccount ? { serviceAccount } : {}),
    },
  };
}
