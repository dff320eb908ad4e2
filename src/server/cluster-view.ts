// What GET /api/clusters shows: each cluster the agent deploys to, its state, and how many of the caller's
// Applications deploy there; and the cluster Secrets the agent could not use. Pure. Only the fields named
// here are copied: nothing of a cluster Secret's credentials can reach an answer.
import { type Application, IN_CLUSTER } from "../api/index.js";
import { type ClusterStatus, destinedTo } from "../controller/index.js";
import { type ClusterNamer, destinationLabel } from "./app-view.js";

/** What the agent last saw of its clusters (its Clusters.statuses()). */
export interface ClusterStatuses {
  clusters: Array<{ name: string; server: string } & ClusterStatus>;
  rejected: Array<{ secret: string; message: string }>;
}

export interface ClusterView {
  name: string;
  server: string;
  state: ClusterStatus["state"];
  version?: string;
  message?: string;
  since?: string;
  /** How many of the Applications the caller may see deploy to this cluster. */
  applications: number;
}

export interface ClustersView {
  clusters: ClusterView[];
  /** Cluster Secrets the agent could not use: the Secret's name and why (never its data). */
  rejected: Array<{ secret: string; message: string }>;
}

/** A server with no agent beside it knows one cluster: its own. */
export const HOME_ONLY: ClusterStatuses = { clusters: [{ ...IN_CLUSTER, state: "Reachable" }], rejected: [] };

/** The clusters as the API shows them; `apps` are the Applications the caller may see. */
export function clustersView(statuses: ClusterStatuses, apps: readonly Application[]): ClustersView {
  return {
    clusters: statuses.clusters.map((c) => ({
      name: c.name,
      server: c.server,
      state: c.state,
      ...(c.version ? { version: c.version } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(c.since ? { since: c.since } : {}),
      applications: apps.filter((app) => destinedTo(app.spec.destination ?? {}, c)).length,
    })),
    rejected: statuses.rejected.map((r) => ({ secret: r.secret, message: r.message })),
  };
}

/**
 * Names an Application's cluster as the cluster list does: the known cluster its destination names (by
 * name or server), else what the destination says (an unknown cluster's name or server).
 */
export function clusterNamer(statuses: ClusterStatuses): ClusterNamer {
  return (dest) => statuses.clusters.find((c) => destinedTo(dest, c))?.name ?? destinationLabel(dest);
}
