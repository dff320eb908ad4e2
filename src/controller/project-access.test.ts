import assert from "node:assert/strict";
import { test } from "node:test";
import { type Application, IN_CLUSTER, type Project } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { ClusterConnection } from "./clusters.js";
import { appAccess } from "./project-access.js";
import { destinationCluster } from "./project-policy.js";

const project: Project = {
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Project",
  metadata: { name: "team-a", namespace: "bosun" },
  spec: { sourceRepos: ["https://git.example/team-a/*"], destinations: [{ namespace: "team-a" }] },
};

const app = (spec: Partial<Application["spec"]>): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "web", namespace: "bosun" },
  spec: {
    project: "team-a",
    source: { repoURL: "https://git.example/team-a/web.git" },
    destination: { namespace: "team-a" },
    ...spec,
  },
});

const connection = (name: string, server: string): ClusterConnection =>
  ({ name, server, home: server === IN_CLUSTER.server }) as ClusterConnection;
const known = [connection(IN_CLUSTER.name, IN_CLUSTER.server), connection("prod", "https://prod.example.test:6443")];

const access = (a: Application, p: Project = project) =>
  appAccess({
    app: a,
    project: p,
    agentNamespace: "bosun",
    resolveCluster: (dest) => {
      const found = destinationCluster(dest, known);
      return known.find((c) => c.name === found?.name);
    },
    clientFor: (c) => ({ cluster: c.name }) as unknown as KubeClient,
  });

test("an Application deploys through the client of the cluster its destination names, as its project allows", () => {
  const prodProject: Project = {
    ...project,
    spec: { ...project.spec, destinations: [{ namespace: "team-a", name: "prod" }] },
  };
  const toProd = access(app({ destination: { namespace: "team-a", name: "prod" } }), prodProject);
  assert.ok(!("reason" in toProd));
  assert.equal(toProd.connection.name, "prod");
  assert.deepEqual(toProd.client, { cluster: "prod" });
  const byServer = access(
    app({ destination: { namespace: "team-a", server: "https://prod.example.test:6443/" } }),
    prodProject,
  );
  assert.ok(!("reason" in byServer) && byServer.cluster.name === "prod");
  // The project names only prod: the agent's own cluster is not one of its destinations.
  const home = access(app({ destination: { namespace: "team-a" } }), prodProject);
  assert.ok("reason" in home && home.reason === "NotPermitted");
  assert.match("reason" in home ? home.message : "", /cluster in-cluster .* is not a destination/);
  const unknown = access(app({ destination: { namespace: "team-a", name: "staging" } }), prodProject);
  assert.ok("reason" in unknown && unknown.reason === "UnknownCluster");
  assert.match(
    "reason" in unknown ? unknown.message : "",
    /staging is not one bosun knows; nothing is applied anywhere/,
  );
});

test("every source of an Application must be one its project allows, not only the first", () => {
  const allowed = { repoURL: "https://git.example/team-a/web.git" };
  const foreign = { repoURL: "https://git.example/team-b/secrets.git", ref: "values" };
  const withSources = (sources: Application["spec"]["source"][]) =>
    app({ source: undefined as unknown as Application["spec"]["source"], sources });
  assert.ok(!("reason" in access(withSources([allowed]))));
  const refused = access(withSources([allowed, foreign]));
  assert.ok("reason" in refused && refused.reason === "NotPermitted");
  assert.match(
    "reason" in refused ? refused.message : "",
    /team-b\/secrets\.git is not in project team-a's sourceRepos/,
  );
});
