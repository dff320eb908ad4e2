import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import { appSummary } from "./app-view.js";
import { type ClusterStatuses, clusterNamer, clustersView, HOME_ONLY } from "./cluster-view.js";

const app = (name: string, destination: Application["spec"]["destination"]): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name, namespace: "bosun" },
  spec: { source: { repoURL: "https://git.example/deploy.git", path: name }, destination },
});

const statuses: ClusterStatuses = {
  clusters: [
    { name: "in-cluster", server: "https://kubernetes.default.svc", state: "Reachable", version: "1.33.1" },
    {
      name: "prod",
      server: "https://10.0.0.9:6443",
      state: "Unreachable",
      message: "connect ECONNREFUSED 10.0.0.9:6443",
      since: "2026-01-01T00:00:00.000Z",
    },
    { name: "edge", server: "https://10.0.0.10:6443", state: "Unknown" },
  ],
  rejected: [{ secret: "cluster-bad", message: "cluster Secret bosun/cluster-bad: has neither config nor kubeconfig" }],
};

const apps = [
  app("home", { namespace: "a" }),
  app("home-by-server", { server: "https://kubernetes.default.svc/", namespace: "b" }),
  app("prod-by-name", { name: "prod", namespace: "c" }),
  app("prod-by-server", { server: "https://10.0.0.9:6443", namespace: "d" }),
  app("nowhere", { name: "staging", namespace: "e" }),
];

test("each cluster with its state and how many of the given Applications deploy to it", () => {
  assert.deepEqual(clustersView(statuses, apps), {
    clusters: [
      {
        name: "in-cluster",
        server: "https://kubernetes.default.svc",
        state: "Reachable",
        version: "1.33.1",
        applications: 2,
      },
      {
        name: "prod",
        server: "https://10.0.0.9:6443",
        state: "Unreachable",
        message: "connect ECONNREFUSED 10.0.0.9:6443",
        since: "2026-01-01T00:00:00.000Z",
        applications: 2,
      },
      { name: "edge", server: "https://10.0.0.10:6443", state: "Unknown", applications: 0 },
    ],
    rejected: [
      { secret: "cluster-bad", message: "cluster Secret bosun/cluster-bad: has neither config nor kubeconfig" },
    ],
  });
  // Only the Applications passed (those the caller may see) are counted.
  assert.deepEqual(
    clustersView(statuses, apps.slice(2, 3)).clusters.map((c) => c.applications),
    [0, 1, 0],
  );
});

test("nothing but the named fields is copied (whatever else a status might carry)", () => {
  const leaky = {
    clusters: [{ ...statuses.clusters[1], config: { bearerToken: "hunter2" } }],
    rejected: [{ secret: "s", message: "m", data: { config: "hunter2" } }],
  } as unknown as ClusterStatuses;
  assert.equal(JSON.stringify(clustersView(leaky, apps)).includes("hunter2"), false);
});

test("without an agent the server knows its own cluster only, Reachable", () => {
  assert.deepEqual(clustersView(HOME_ONLY, apps.slice(0, 1)), {
    clusters: [{ name: "in-cluster", server: "https://kubernetes.default.svc", state: "Reachable", applications: 1 }],
    rejected: [],
  });
});

test("an Application's cluster is the known cluster its destination names, by name or server", () => {
  const name = clusterNamer(statuses);
  const cluster = (a: Application) => appSummary(a, name).cluster;
  assert.deepEqual(apps.map(cluster), ["in-cluster", "in-cluster", "prod", "prod", "staging"]);
  assert.equal(
    cluster(app("x", { server: "https://192.0.2.1:6443" })),
    "https://192.0.2.1:6443",
    "unknown: its server",
  );
});
