// The whole loop against the real control plane and a real git repository: sync, converge on a commit,
// self-heal a `kubectl scale` with the drift attributed, prune a removed file, converge after `git revert`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { git } from "../source/git-fixture.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const base = {
  "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - service.yaml\n  - config.yaml\n",
  "base/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
`,
  "base/service.yaml":
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports: [{ port: 80 }]\n",
  "base/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n",
  "overlays/prod/kustomization.yaml":
    "resources:\n  - ../../base\nreplicas:\n  - name: web\n    count: 2\nimages:\n  - name: nginx\n    newTag: '1.26'\n",
};

for (const target of CLUSTER_TARGETS) {
  test(`an Application syncs, converges on commits, self-heals drift, prunes and follows a git revert [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const first = await repo.commit("deploy web", base);
    await startTestAgent(t, ns);
    applyApplication(setup, "shop", { path: "overlays/prod", revision: "main" });

    let app = await waitForApp(ns, "shop", "the first sync to be Synced and Healthy", syncedAndHealthy(first));
    const kubectlDest = (args: string[]) => ns.kubectl(["-n", dest, ...args]);
    const deployment = () =>
      JSON.parse(kubectlDest(["get", "deployment", "web", "-o", "json"])) as {
        spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
      };
    assert.equal(deployment().spec.replicas, 2);
    assert.equal(deployment().spec.template.spec.containers[0]?.image, "nginx:1.26");
    assert.deepEqual(
      app.status?.inventory?.sort(),
      [`_ConfigMap_${dest}_web-config`, `_Service_${dest}_web`, `apps_Deployment_${dest}_web`].sort(),
    );

    // A commit that changes the image tag converges.
    const second = await repo.commit("bump nginx", {
      "overlays/prod/kustomization.yaml": base["overlays/prod/kustomization.yaml"].replace("'1.26'", "'1.27'"),
    });
    await waitForApp(ns, "shop", "the new commit to be synced", syncedAndHealthy(second));
    assert.equal(deployment().spec.template.spec.containers[0]?.image, "nginx:1.27");

    // kubectl scale behind Git's back is reverted, and the drift names the manager.
    kubectlDest(["scale", "deployment/web", "--replicas=5"]);
    await waitFor("replicas back to 2", async () => deployment().spec.replicas === 2, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    app = await waitForApp(ns, "shop", "the drift to be recorded", (a) =>
      (a.status?.drift ?? []).some((d) => d.resource.includes("Deployment")),
    );
    const drift = app.status?.drift?.find((d) => d.resource.includes("Deployment"));
    assert.equal(drift?.manager, "kubectl");
    assert.ok(
      drift?.fields.some((f) => f.includes("replicas")),
      JSON.stringify(drift),
    );
    assert.equal(drift?.corrected, true);
    assert.deepEqual(
      drift?.changes?.find((c) => c.path === "/spec/replicas"),
      { path: "/spec/replicas", from: "2", to: "5" },
      "the drift shows the value in Git and the value kubectl wrote",
    );

    // Removing a file prunes its object.
    const third = await repo.commit("drop the config map", {
      "base/config.yaml": null,
      "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - service.yaml\n",
    });
    await waitForApp(ns, "shop", "the removal to be synced", syncedAndHealthy(third));
    await waitFor(
      "the ConfigMap to be pruned",
      async () => kubectlDest(["get", "configmap", "-o", "name"]).includes("web-config") === false,
      { timeoutMs: 30_000 },
    );

    // git revert of the last commit converges back.
    await git(repo.dir, ["revert", "--no-edit", "HEAD"]);
    const reverted = await repo.sha("HEAD");
    app = await waitForApp(ns, "shop", "the revert to be synced", syncedAndHealthy(reverted));
    assert.match(kubectlDest(["get", "configmap", "web-config", "-o", "jsonpath={.data.greeting}"]), /^hello$/);

    const revisions = (app.status?.history ?? []).filter((h) => h.result === "Succeeded").map((h) => h.revision);
    for (const sha of [first, second, third, reverted])
      assert.ok(revisions.includes(sha), `history has ${sha.slice(0, 7)}: ${revisions.join(", ")}`);
  });
}
