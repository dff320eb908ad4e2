// ApplicationSets end to end on the real control plane, with the embedded server as a second cluster:
// git directories (a directory added in Git adds an Application, one removed deletes it and what it
// deployed), a list with preserveResourcesOnDeletion (the objects stay), clusters × list in a matrix
// (an Application per labelled cluster, deployed there), and a template error in the set's status.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ApplicationSet, KubeObject } from "../../src/api/index.js";
import { embeddedKubeconfig } from "../harness/cluster-fixture.js";
import { kubectlGet as get, kubectl } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";
import { appTestSetup, runCli, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const configMap = (name: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { from: name } });

test("ApplicationSets generate, update and delete Applications from git directories, lists, clusters and a matrix", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  const embedded = await embeddedKubeconfig();
  const dest = (what: string) => `${ns.name}-${what}`;
  for (const what of ["web", "api", "db", "solo", "fleet"])
    for (const kc of [ns.kubeconfig, embedded])
      t.after(() => void kubectl(kc, ["delete", "namespace", dest(what), "--wait=false", "--ignore-not-found"]));
  const added = await runCli([
    "cluster",
    "add",
    "staging",
    "--from-kubeconfig",
    embedded,
    "--namespace",
    ns.name,
    "--kubeconfig",
    ns.kubeconfig,
  ]);
  assert.equal(added.code, 0, added.err);
  ns.kubectl(["label", "secret", "cluster-staging", "env=staging"]);
  const first = await repo.commit("two apps", {
    "apps/web/cm.json": configMap("web"),
    "apps/api/cm.json": configMap("api"),
    "apps/README.md": "not a directory",
    "solo/cm.json": configMap("solo"),
  });
  await startTestAgent(t, ns);
  const template = (name: string, path: string, destination: Record<string, string>) => ({
    metadata: { name },
    spec: {
      source: { repoURL: repo.fileUrl, path },
      destination,
      syncPolicy: { automated: { prune: true, selfHeal: true }, interval: "1s", syncOptions: ["CreateNamespace=true"] },
    },
  });
  const applySet = (name: string, spec: Record<string, unknown>) =>
    ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "ApplicationSet",
        metadata: { name, namespace: ns.name },
        spec,
      }),
    );
  const appNames = () =>
    ns
      .kubectl(["get", "applications.bosun.dev", "-o", "jsonpath={.items[*].metadata.name}"])
      .split(" ")
      .filter(Boolean)
      .sort();
  const getSet = (name: string) =>
    JSON.parse(ns.kubectl(["get", "applicationsets.bosun.dev", name, "-o", "json"])) as ApplicationSet;

  applySet("dirs", {
    generators: [{ git: { repoURL: repo.fileUrl, directories: [{ path: "apps/*" }], requeueAfterSeconds: 1 } }],
    template: template("{{path.basename}}", "{{path}}", { namespace: `${ns.name}-{{path.basename}}` }),
  });
  const generatedApp = async (name: string, sha: string, timeoutMs = 60_000) => {
    await waitFor(`${name} generated`, async () => appNames().includes(name), { timeoutMs });
    return await waitForApp(ns, name, `${name} synced`, syncedAndHealthy(sha), timeoutMs);
  };
  for (const name of ["api", "web"]) await generatedApp(name, first);
  const generated = JSON.parse(ns.kubectl(["get", "applications.bosun.dev", "web", "-o", "json"])) as KubeObject;
  assert.equal(generated.metadata.labels?.["bosun.dev/application-set"], "dirs");
  assert.equal(generated.metadata.ownerReferences?.[0]?.kind, "ApplicationSet");
  await waitFor("the set's status", async () => getSet("dirs").status?.applications?.length === 2, {
    timeoutMs: 30_000,
  });
  const status = getSet("dirs").status;
  assert.deepEqual(status?.applications?.map((a) => a.name).sort(), ["api", "web"]);
  assert.equal(status?.conditions?.find((c) => c.type === "Ready")?.status, "True");

  // A directory added in Git adds an Application; one removed deletes it and what it deployed.
  const second = await repo.commit("db in, api out", { "apps/db/cm.json": configMap("db"), "apps/api/cm.json": null });
  await generatedApp("db", second);
  await waitFor(
    "api and its ConfigMap gone",
    async () => !appNames().includes("api") && !get(ns.kubeconfig, ["-n", dest("api"), "configmap", "api"]),
    {
      timeoutMs: 60_000,
    },
  );
  // Edited by hand, a generated Application is put back as generated.
  ns.kubectl(["patch", "applications.bosun.dev", "web", "--type=merge", "-p", '{"spec":{"source":{"path":"solo"}}}']);
  await waitFor(
    "web's path restored by its set",
    async () =>
      ns.kubectl(["get", "applications.bosun.dev", "web", "-o", "jsonpath={.spec.source.path}"]) === "apps/web",
    { timeoutMs: 30_000 },
  );

  // A list with preserveResourcesOnDeletion: the Application goes, what it deployed stays.
  const keep = {
    generators: [{ list: { elements: [{ name: "solo" }] } }],
    template: template("{{name}}", "solo", { namespace: dest("solo") }),
    syncPolicy: { preserveResourcesOnDeletion: true },
  };
  applySet("kept", keep);
  await generatedApp("solo", second);
  applySet("kept", { ...keep, generators: [{ list: { elements: [] } }] });
  await waitFor("solo deleted", async () => !appNames().includes("solo"), { timeoutMs: 60_000 });
  assert.ok(get(ns.kubeconfig, ["-n", dest("solo"), "configmap", "solo"]), "preserved: solo's ConfigMap stays");

  // Clusters × list: one Application per labelled cluster, deployed into that cluster.
  applySet("fleet", {
    generators: [
      {
        matrix: {
          generators: [
            { clusters: { selector: { matchLabels: { env: "staging" } } } },
            { list: { elements: [{ app: "web" }] } },
          ],
        },
      },
    ],
    template: template("{{app}}-{{name}}", "apps/{{app}}", { name: "{{name}}", namespace: dest("fleet") }),
  });
  await generatedApp("web-staging", second);
  assert.ok(get(embedded, ["-n", dest("fleet"), "configmap", "web"]));
  assert.equal(get(ns.kubeconfig, ["namespace", dest("fleet")]), undefined, "nothing of it in the agent's cluster");

  // A template error is in the set's status; the set's other Applications are untouched.
  applySet("broken", {
    generators: [{ list: { elements: [{ nam: "typo" }] } }],
    template: template("{{name}}", "solo", { namespace: dest("solo") }),
  });
  await waitFor(
    "the template error in status",
    async () => getSet("broken").status?.conditions?.[0]?.reason === "TemplateError",
    {
      timeoutMs: 30_000,
    },
  );
  assert.match(getSet("broken").status?.errors?.[0] ?? "", /parameter set 1: no parameter \{\{name\}\} \(have: nam\)/);
  assert.deepEqual(appNames(), ["db", "web", "web-staging"]);
});
