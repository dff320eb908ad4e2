import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { type Application, defaultProject, IN_CLUSTER, type KubeObject, type Project, refOf } from "../api/index.js";
import { objectDenial } from "../controller/index.js";
import {
  AGENT_WORKLOAD,
  agentArgs,
  bootstrapApplication,
  bootstrapFileText,
  bootstrapProject,
  chartCrdFiles,
  clusterInstall,
  DEFAULT_RESOURCES,
} from "./install-manifests.js";

const agent = { image: "registry.example/bosun:v9", replicas: 3, resources: DEFAULT_RESOURCES, extraArgs: ["--x"] };
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

test("without the agent, install is the base only: no workload, no SealedSecret CRD", () => {
  const kinds = clusterInstall("team", undefined).map((o) => o.kind);
  assert.ok(kinds.includes("ClusterRole") && kinds.includes("Project"));
  for (const kind of ["Deployment", "Service", "PodDisruptionBudget"]) assert.ok(!kinds.includes(kind), kind);
  assert.ok(!clusterInstall("team", undefined).some((o) => o.metadata.name === "sealedsecrets.bitnami.com"));
});

test("the agent's Deployment runs in its namespace as its ServiceAccount, non-root, read-only, with the args given", () => {
  const objects = clusterInstall("team", agent);
  const deployment = find(objects, "Deployment", AGENT_WORKLOAD) as unknown as {
    metadata: { namespace: string };
    spec: {
      replicas: number;
      template: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } };
    };
  };
  assert.equal(deployment.metadata.namespace, "team");
  assert.equal(deployment.spec.replicas, 3);
  const pod = deployment.spec.template.spec;
  assert.equal(pod.serviceAccountName, "team-agent");
  const [container] = pod.containers;
  assert.ok(container);
  assert.equal(container.image, "registry.example/bosun:v9");
  assert.deepEqual(container.args, agentArgs("team", { extraArgs: ["--x"] }));
  assert.ok((container.args as string[]).includes("--leader-elect"));
  assert.ok(!(container.args as string[]).includes("--shards"), "one leader unless shards are asked for");
  assert.ok(!(container.args as string[]).includes("--dashboard-url"), "no dashboard URL unless given");
  const sharded = agentArgs("team", { extraArgs: ["--x"], shards: 3, dashboardUrl: "https://bosun.example/" });
  assert.deepEqual(sharded.slice(-5), ["--shards", "3", "--dashboard-url", "https://bosun.example/", "--x"]);
  assert.deepEqual((container.securityContext as { readOnlyRootFilesystem: boolean }).readOnlyRootFilesystem, true);
  assert.ok(find(objects, "ServiceAccount", "team-agent"), "the ServiceAccount it runs as is installed");
  assert.ok(find(objects, "CustomResourceDefinition", "sealedsecrets.bitnami.com"), "its identity cannot create CRDs");
});

test("the Service's first port is Sealed Secrets' (kubeseal proxies to the first port) and the PDB keeps one", () => {
  const objects = clusterInstall("team", agent);
  const service = find(objects, "Service", AGENT_WORKLOAD) as unknown as { spec: { ports: Array<{ name: string }> } };
  assert.deepEqual(
    service.spec.ports.map((p) => p.name),
    ["sealed-secrets", "http"],
  );
  const pdb = find(objects, "PodDisruptionBudget", AGENT_WORKLOAD) as unknown as { spec: { minAvailable: number } };
  assert.equal(pdb.spec.minAvailable, 1);
});

test("the agent's own Role names what it writes in its namespace, not everything", () => {
  const role = find(clusterInstall("team", agent), "Role", "team-agent") as unknown as {
    rules: Array<{ apiGroups: string[]; resources: string[] }>;
  };
  const resources = role.rules.flatMap((r) => r.resources);
  assert.ok(!resources.includes("*"));
  for (const needed of ["leases", "secrets", "applications", "applicationsets/status", "projects"])
    assert.ok(resources.includes(needed), needed);
  for (const never of ["pods", "deployments", "roles", "rolebindings"]) assert.ok(!resources.includes(never), never);
});

test("charts/bosun/crds holds the CRDs bosun installs (`npm run chart:crds` regenerates them)", () => {
  const dir = join(import.meta.dirname, "../../charts/bosun/crds");
  const files = chartCrdFiles();
  assert.equal(files.length, 5);
  for (const [file, text] of files) {
    assert.equal(readFileSync(join(dir, file), "utf8"), text, `${file} is stale: run npm run chart:crds`);
    assert.equal((parse(text) as KubeObject).kind, "CustomResourceDefinition");
  }
});

test("the chart's version and appVersion follow package.json", () => {
  const chart = parse(readFileSync(join(import.meta.dirname, "../../charts/bosun/Chart.yaml"), "utf8")) as {
    version: string;
    appVersion: string;
  };
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
  assert.equal(chart.version, pkg.version);
  assert.equal(chart.appVersion, pkg.version);
});

test("the bootstrap Project allows every object bosun installs, which the default Project may not write", () => {
  const source = { repoURL: "https://git.example/fleet.git", path: "clusters/dev", revision: "main" };
  const project = bootstrapProject("team", source) as unknown as Project;
  const cluster = { server: IN_CLUSTER.server, name: IN_CLUSTER.name };
  const objects = clusterInstall("team", agent);
  const denials = (p: Project) =>
    objects.flatMap((o) => {
      const ref = refOf(o);
      const d = objectDenial({ project: p, agentNamespace: "team" }, cluster, ref, o);
      return d ? [`${ref.kind}/${ref.name}: ${d.rule}`] : [];
    });
  assert.deepEqual(denials(project), []);
  const byDefault = denials(defaultProject("team"));
  assert.ok(
    byDefault.some((d) => d.startsWith("CustomResourceDefinition/applications.bosun.dev")),
    byDefault.join("\n"),
  );
  assert.ok(
    byDefault.some((d) => d.includes("agent's namespace")),
    byDefault.join("\n"),
  );

  const app = bootstrapApplication("team", { ...source, credentialsRef: "fleet-creds" }) as unknown as Application;
  assert.equal(app.spec.project, "bosun");
  assert.equal(app.spec.source?.credentialsRef?.name, "fleet-creds");
  assert.equal(app.spec.syncPolicy?.automated?.prune, false, "an emptied path must not uninstall bosun");
});

test("the bootstrap file is YAML documents of what install applies, without anchors", () => {
  const objects = clusterInstall("team", agent);
  const text = bootstrapFileText(objects, "9.9.9");
  assert.ok(!/[&*]a\d/.test(text));
  const parsed = text
    .split(/^---$/m)
    .slice(1)
    .map((d) => parse(d) as KubeObject);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(objects)));
});
