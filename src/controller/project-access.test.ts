import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, Project } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { appAccess } from "./project-access.js";

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

const access = (a: Application) =>
  appAccess({ app: a, project, agentNamespace: "bosun", clientFor: () => ({}) as KubeClient });

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
