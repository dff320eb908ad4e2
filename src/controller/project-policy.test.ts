import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultProject, type ObjectRef, type Project, type ProjectSpec } from "../api/index.js";
import {
  appNamespaceRule,
  destinationCluster,
  destinationRule,
  globMatch,
  IN_CLUSTER,
  objectDenial,
  type PolicyContext,
  sourceRule,
} from "./project-policy.js";

const AGENT_NS = "bosun";
const project = (spec: ProjectSpec, name = "team-a"): Project => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Project",
  metadata: { name, namespace: AGENT_NS },
  spec,
});
const ctx = (spec: ProjectSpec): PolicyContext => ({ project: project(spec), agentNamespace: AGENT_NS });
const defaults: PolicyContext = { project: defaultProject(AGENT_NS), agentNamespace: AGENT_NS };
const cluster = { ...IN_CLUSTER };
const ref = (group: string, kind: string, namespace: string, name: string): ObjectRef => ({
  group,
  kind,
  namespace,
  name,
});
const ruleOf = (c: PolicyContext, r: ObjectRef, object?: Parameters<typeof objectDenial>[3]) =>
  objectDenial(c, cluster, r, object)?.rule;

const teamA = ctx({
  sourceRepos: ["https://git.example/team-a/*"],
  destinations: [{ namespace: "team-a*" }],
  clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
  namespaceResourceBlacklist: [{ group: "", kind: "ResourceQuota" }],
});

test("globs: * spans any characters, ? one, the rest is literal", () => {
  assert.ok(globMatch("team-a*", "team-a-prod"));
  assert.ok(globMatch("https://git.example/team-a/*", "https://git.example/team-a/x/y.git"));
  assert.ok(globMatch("team-?", "team-b"));
  assert.ok(!globMatch("team-?", "team-bb"));
  assert.ok(!globMatch("a.b", "axb"), "a dot is literal");
  assert.ok(globMatch("*", ""));
  assert.ok(!globMatch("team-a", "team-a-prod"));
});

test("a team project allows its namespaces and kinds, and names the rule for anything else", () => {
  assert.equal(ruleOf(teamA, ref("", "ConfigMap", "team-a-prod", "cfg")), undefined);
  assert.equal(ruleOf(teamA, ref("apps", "Deployment", "team-a", "web")), undefined);
  assert.equal(ruleOf(teamA, ref("", "Namespace", "", "team-a-new")), undefined);
  assert.equal(
    ruleOf(teamA, ref("", "ConfigMap", "kube-system", "x")),
    "namespace kube-system is not a destination of project team-a",
  );
  assert.equal(
    ruleOf(teamA, ref("rbac.authorization.k8s.io", "ClusterRoleBinding", "", "evil-admin")),
    "cluster-scoped ClusterRoleBinding.rbac.authorization.k8s.io is not in project team-a's clusterResourceWhitelist",
  );
  assert.equal(
    ruleOf(teamA, ref("apiextensions.k8s.io", "CustomResourceDefinition", "", "widgets.example.com")),
    "cluster-scoped CustomResourceDefinition.apiextensions.k8s.io is not in project team-a's clusterResourceWhitelist",
  );
  assert.equal(
    ruleOf(teamA, ref("", "ResourceQuota", "team-a", "q")),
    "ResourceQuota is in project team-a's namespaceResourceBlacklist",
  );
  assert.equal(
    ruleOf(teamA, ref("", "Namespace", "", "team-b")),
    "namespace team-b is not a destination of project team-a",
    "a Namespace object is a destination too",
  );
});

test("no glob reaches the agent's namespace, not even the default project's *", () => {
  for (const c of [teamA, defaults, ctx({ destinations: [{ namespace: "bo*" }, { namespace: "*" }] })]) {
    assert.match(
      ruleOf(c, ref("", "Secret", AGENT_NS, "bosun-api-tokens")) ?? "",
      /namespace bosun is the agent's namespace: project \S+ must name it literally in destinations/,
    );
    assert.match(ruleOf(c, ref("", "Namespace", "", AGENT_NS)) ?? "", /agent's namespace/);
  }
  const literal = ctx({ destinations: [{ namespace: AGENT_NS }] });
  assert.equal(ruleOf(literal, ref("", "ConfigMap", AGENT_NS, "x")), undefined);
});

test("bosun's own kinds need a literal entry, whatever the globs say", () => {
  const app = ref("bosun.dev", "Application", "team-a", "guestbook");
  assert.equal(
    ruleOf(teamA, app),
    "Application.bosun.dev is one of bosun's own kinds: project team-a must list it literally in namespaceResourceWhitelist",
  );
  const globbed = ctx({ destinations: [{ namespace: "*" }], namespaceResourceWhitelist: [{ group: "*", kind: "*" }] });
  assert.match(ruleOf(globbed, app) ?? "", /bosun's own kinds/);
  const appOfApps = ctx({
    destinations: [{ namespace: "team-a" }],
    namespaceResourceWhitelist: [
      { group: "bosun.dev", kind: "Application" },
      { group: "*", kind: "*" },
    ],
  });
  assert.equal(ruleOf(appOfApps, app), undefined);
  assert.match(ruleOf(appOfApps, ref("bosun.dev", "Project", "team-a", "p")) ?? "", /must list it literally/);
  // The default project may write any cluster-scoped kind, but not bosun's CRDs.
  const bosunCrd = ref("apiextensions.k8s.io", "CustomResourceDefinition", "", "applications.bosun.dev");
  assert.match(ruleOf(defaults, bosunCrd) ?? "", /bosun's own kinds: project default must list it literally/);
  const disguised = ref("apiextensions.k8s.io", "CustomResourceDefinition", "", "apps.example.com");
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {},
    spec: { group: "bosun.dev" },
  };
  assert.match(ruleOf(defaults, disguised, crd) ?? "", /bosun's own kinds/);
  assert.equal(
    ruleOf(defaults, ref("apiextensions.k8s.io", "CustomResourceDefinition", "", "widgets.example.com")),
    undefined,
  );
});

test("the default project allows every other namespace and kind", () => {
  assert.equal(ruleOf(defaults, ref("", "ConfigMap", "kube-system", "x")), undefined);
  assert.equal(ruleOf(defaults, ref("rbac.authorization.k8s.io", "ClusterRoleBinding", "", "b")), undefined);
  assert.equal(sourceRule(defaults, "https://anything.example/x.git"), undefined);
  assert.equal(destinationRule(defaults, cluster, { namespace: "guestbook" }), undefined);
});

test("whitelists: an empty namespaced whitelist allows nothing, blacklists win", () => {
  const none = ctx({ destinations: [{ namespace: "*" }], namespaceResourceWhitelist: [] });
  assert.match(
    ruleOf(none, ref("", "ConfigMap", "x", "y")) ?? "",
    /not in project team-a's namespaceResourceWhitelist/,
  );
  const some = ctx({
    destinations: [{ namespace: "*" }],
    namespaceResourceWhitelist: [{ group: "apps", kind: "*" }],
    clusterResourceWhitelist: [{ group: "*", kind: "*" }],
    clusterResourceBlacklist: [{ group: "rbac.authorization.k8s.io", kind: "*" }],
  });
  assert.equal(ruleOf(some, ref("apps", "StatefulSet", "x", "y")), undefined);
  assert.match(ruleOf(some, ref("", "ConfigMap", "x", "y")) ?? "", /namespaceResourceWhitelist/);
  assert.match(
    ruleOf(some, ref("rbac.authorization.k8s.io", "ClusterRole", "", "r")) ?? "",
    /clusterResourceBlacklist/,
  );
});

test("repositories: globs, ! entries, and no . or .. segments", () => {
  assert.equal(sourceRule(teamA, "https://git.example/team-a/web.git"), undefined);
  assert.equal(
    sourceRule(teamA, "https://git.example/team-b/web.git"),
    "repository https://git.example/team-b/web.git is not in project team-a's sourceRepos",
  );
  for (const walk of [
    "https://git.example/team-a/../team-b/web.git",
    "https://git.example/team-a/%2e%2e/team-b/web.git",
    "https://git.example/team-a/x/./y",
  ])
    assert.match(sourceRule(teamA, walk) ?? "", /"\." or "\.\." path segments/, walk);
  const negated = ctx({ sourceRepos: ["https://git.example/*", "!https://git.example/secret/*"] });
  assert.equal(sourceRule(negated, "https://git.example/open/r"), undefined);
  assert.match(sourceRule(negated, "https://git.example/secret/r") ?? "", /not in project team-a's sourceRepos/);
  assert.match(sourceRule(ctx({}), "https://git.example/x") ?? "", /not in/, "no sourceRepos: none allowed");
});

test("destinations: the cluster, the namespace, and ! entries", () => {
  assert.equal(destinationRule(teamA, cluster, { namespace: "team-a-web" }), undefined);
  assert.equal(
    destinationRule(teamA, cluster, { namespace: "team-b" }),
    "namespace team-b is not a destination of project team-a",
  );
  const remoteOnly = ctx({ destinations: [{ namespace: "*", server: "https://prod.example:6443" }] });
  assert.equal(
    destinationRule(remoteOnly, cluster, { namespace: "x" }),
    "cluster in-cluster (https://kubernetes.default.svc) is not a destination of project team-a",
  );
  const byName = ctx({
    destinations: [
      { namespace: "*", name: "in-cluster" },
      { namespace: "!kube-*", server: "*" },
    ],
  });
  assert.equal(destinationRule(byName, cluster, { namespace: "web" }), undefined);
  assert.match(destinationRule(byName, cluster, { namespace: "kube-system" }) ?? "", /not a destination/);
});

test("a destination names a known cluster by name, server or both; anything else is unknown", () => {
  assert.deepEqual(destinationCluster({}), IN_CLUSTER);
  assert.deepEqual(destinationCluster({ server: "https://kubernetes.default.svc/" }), IN_CLUSTER);
  assert.deepEqual(destinationCluster({ name: "in-cluster", namespace: "x" }), IN_CLUSTER);
  assert.equal(destinationCluster({ server: "https://prod-cluster.example.test:6443" }), undefined);
  assert.equal(destinationCluster({ name: "prod" }), undefined);
  const prod = { name: "prod", server: "https://prod-cluster.example.test:6443" };
  const staging = { name: "staging", server: "https://staging.example.test" };
  assert.deepEqual(destinationCluster({ name: "prod" }, [staging, prod]), prod);
  assert.deepEqual(destinationCluster({ server: "https://prod-cluster.example.test:6443/" }, [staging, prod]), prod);
  assert.deepEqual(destinationCluster({ name: "prod", server: prod.server }, [staging, prod]), prod);
  // Name and server of two different clusters name none.
  assert.equal(destinationCluster({ name: "prod", server: staging.server }, [staging, prod]), undefined);
  assert.equal(destinationCluster({ name: "in-cluster", server: prod.server }, [prod]), undefined);
});

test("Applications outside the agent's namespace need the project's sourceNamespaces", () => {
  assert.equal(appNamespaceRule(teamA, AGENT_NS), undefined);
  assert.equal(
    appNamespaceRule(teamA, "team-a"),
    "Applications of project team-a may not live in namespace team-a (not in its sourceNamespaces)",
  );
  assert.equal(appNamespaceRule(ctx({ sourceNamespaces: ["team-*"] }), "team-a"), undefined);
});
