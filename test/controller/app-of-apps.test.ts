// App-of-apps: an Application whose repository holds Applications (in a project that names the agent's
// namespace and the Application kind literally) creates, updates and prunes its children; deleting it with
// cascade removes the children and what they deployed, dependents before what they depend on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CASCADE_FINALIZER } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../../src/cluster/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const configMap = (name: string, value = name) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { value } });

function child(options: { ns: string; repo: string; name: string; dest: string; dependsOn?: string[] }): string {
  return JSON.stringify({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: options.name, namespace: options.ns, finalizers: [CASCADE_FINALIZER] },
    spec: {
      source: { repoURL: options.repo, path: `children/${options.name}` },
      destination: { namespace: options.dest },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        interval: "1s",
        syncOptions: ["CreateNamespace=true"],
      },
      ...(options.dependsOn ? { dependsOn: options.dependsOn.map((name) => ({ name })) } : {}),
    },
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`an app-of-apps creates, updates and prunes its children; its cascade delete goes in reverse dependency order [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const agent = await startTestAgent(t, ns); // installs the CRDs
    ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Project",
        metadata: { name: "platform", namespace: ns.name },
        spec: {
          sourceRepos: ["*"],
          destinations: [{ namespace: ns.name }],
          namespaceResourceWhitelist: [{ group: "bosun.dev", kind: "Application" }],
        },
      }),
    );
    const kid = (name: string, dependsOn?: string[]) =>
      child({ ns: ns.name, repo: repo.fileUrl, name, dest, ...(dependsOn ? { dependsOn } : {}) });
    const first = await repo.commit("three children", {
      "parent/db.json": kid("db"),
      "parent/api.json": kid("api", ["db"]),
      "parent/web.json": kid("web", ["api"]),
      "children/db/cm.json": configMap("db"),
      "children/api/cm.json": configMap("api"),
      "children/web/cm.json": configMap("web"),
    });
    applyApplication(setup, "parent", {
      path: "parent",
      project: "platform",
      destination: { namespace: ns.name },
      syncOptions: [],
    });
    ns.kubectl([
      "patch",
      "applications.bosun.dev",
      "parent",
      "--type=merge",
      "-p",
      JSON.stringify({ metadata: { finalizers: [CASCADE_FINALIZER] } }),
    ]);
    await waitForApp(ns, "parent", "parent synced", syncedAndHealthy(first));
    for (const name of ["db", "api", "web"]) await waitForApp(ns, name, `${name} synced`, syncedAndHealthy(first));
    assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "web", "-o", "jsonpath={.data.value}"]), "web");

    // Updated: a child's spec changes in Git; pruned: a child leaves Git and takes what it deployed along.
    const second = await repo.commit("web reads another path; api goes", {
      "parent/web.json": JSON.stringify({
        ...JSON.parse(kid("web", ["db"])),
        spec: { ...JSON.parse(kid("web", ["db"])).spec, source: { repoURL: repo.fileUrl, path: "children/web2" } },
      }),
      "parent/api.json": null,
      "children/web2/cm.json": configMap("web", "two"),
    });
    await waitForApp(ns, "parent", "parent at the second commit", syncedAndHealthy(second));
    let seen = "";
    await waitFor(
      "api pruned with its ConfigMap, web updated",
      async () => {
        const apps = ns.kubectl(["get", "applications.bosun.dev", "-o", "jsonpath={.items[*].metadata.name}"]);
        const cms = ns.kubectl(["-n", dest, "get", "configmaps", "-o", "jsonpath={.items[*].metadata.name}"]);
        const web = ns.kubectl(["-n", dest, "get", "configmap", "web", "-o", "jsonpath={.data.value}"]);
        seen = `Applications: ${apps}; ConfigMaps: ${cms}; web's value: ${web}`;
        return !apps.split(" ").includes("api") && !cms.split(" ").includes("api") && web === "two";
      },
      { timeoutMs: 60_000, detail: () => seen },
    );

    // Cascade: web depends on db, so db's ConfigMap may go only once web's is gone (in the order the API
    // server's watch reports the deletions). A finalizer of the test's own holds web after its cascade, so db
    // is certain to find it still there (without it, web may be gone before db's deletion is looked at).
    const HOLD = "test.bosun.dev/hold";
    ns.kubectl([
      "patch",
      "applications.bosun.dev",
      "web",
      "--type=json",
      "-p",
      JSON.stringify([{ op: "add", path: "/metadata/finalizers/-", value: HOLD }]),
    ]);
    const order: string[] = [];
    const watch = new WatchCache(new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig })), {
      namespace: dest,
      accept: () => true,
      onEvent: (e) => {
        if (e.type === "DELETED") order.push(e.object.metadata.name ?? "");
      },
    });
    t.after(() => watch.stop());
    await watch.watchKind("v1", "ConfigMap");
    ns.kubectl(["delete", "applications.bosun.dev", "parent", "--wait=false"]);
    let webFinalizers = "";
    await waitFor(
      "web's cascade done (its ConfigMap deleted, only the test's finalizer left) and db waiting for web",
      async () => {
        webFinalizers = ns.kubectl(["get", "applications.bosun.dev", "web", "-o", "jsonpath={.metadata.finalizers}"]);
        const waiting = agent.logs.some((l) =>
          /"app":"[^"]+\/db".*cascade delete waits for the Applications that depend on this one/.test(l),
        );
        return order.includes("web") && webFinalizers === JSON.stringify([HOLD]) && waiting;
      },
      { timeoutMs: 90_000, detail: () => `deleted: ${order.join(", ")}; web's finalizers: ${webFinalizers}` },
    );
    assert.deepEqual(order, ["web"], "db's ConfigMap stays while web is there");
    ns.kubectl([
      "patch",
      "applications.bosun.dev",
      "web",
      "--type=merge",
      "-p",
      JSON.stringify({ metadata: { finalizers: [] } }),
    ]);
    await waitFor("db's ConfigMap deleted once web is gone", async () => order.includes("db"), { timeoutMs: 90_000 });
    assert.deepEqual(order, ["web", "db"]);
    await waitFor(
      "the children gone",
      async () =>
        ns.kubectl(["get", "applications.bosun.dev", "-o", "jsonpath={.items[*].metadata.name}"]).trim() === "",
      { timeoutMs: 60_000 },
    );
  });
}
