// An Application from the few things a person says about it (`bosun app create`'s flags, the dashboard's
// form): a Git path or a chart, where it goes, how it syncs. Pure; the callers check their own inputs.
import {
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  type Application,
  type ApplicationDestination,
  type ApplicationSource,
} from "./application.js";

interface CommonSourceOptions {
  repoURL: string;
  /** helm.valueFiles, relative to the chart; none when empty. */
  helmValueFiles?: readonly string[];
  /** A repository Secret's name (credentialsRef). */
  credentials?: string;
}

/** A path in a Git repository at a revision (both written as given: "" and HEAD are what the CLI defaults to). */
export interface GitPathSourceOptions extends CommonSourceOptions {
  path: string;
  revision: string;
  directory?: { recurse?: boolean; include?: string; exclude?: string };
}

/** A chart from a Helm repository or OCI registry; the revision (version or range) only when given. */
export interface ChartRepoSourceOptions extends CommonSourceOptions {
  chart: string;
  revision?: string;
  insecure?: boolean;
}

function commonSource(o: CommonSourceOptions): ApplicationSource {
  return {
    repoURL: o.repoURL,
    ...(o.helmValueFiles && o.helmValueFiles.length > 0 ? { helm: { valueFiles: [...o.helmValueFiles] } } : {}),
    ...(o.credentials !== undefined ? { credentialsRef: { name: o.credentials } } : {}),
  };
}

export function gitSource(o: GitPathSourceOptions): ApplicationSource {
  return {
    ...commonSource(o),
    path: o.path,
    revision: o.revision,
    ...(o.directory ? { directory: o.directory } : {}),
  };
}

export function chartSource(o: ChartRepoSourceOptions): ApplicationSource {
  return {
    ...commonSource(o),
    chart: o.chart,
    ...(o.revision !== undefined ? { revision: o.revision } : {}),
    ...(o.insecure ? { insecure: true } : {}),
  };
}

export interface ApplicationOptions {
  name: string;
  namespace: string;
  project: string;
  source: ApplicationSource;
  destination: ApplicationDestination;
  /** Automated sync and its options; manual sync when absent. */
  automated?: { prune: boolean; selfHeal: boolean };
  /** How often the source is polled; the agent's default when absent. */
  interval?: string;
  /** Sync option CreateNamespace=true. */
  createNamespace: boolean;
}

export function buildApplication(o: ApplicationOptions): Application {
  return {
    apiVersion: APPLICATION_API_VERSION,
    kind: APPLICATION_KIND,
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      project: o.project,
      source: o.source,
      destination: o.destination,
      syncPolicy: {
        ...(o.automated ? { automated: { prune: o.automated.prune, selfHeal: o.automated.selfHeal } } : {}),
        ...(o.interval !== undefined ? { interval: o.interval } : {}),
        syncOptions: o.createNamespace ? ["CreateNamespace=true"] : [],
      },
    },
  };
}
