import assert from "node:assert/strict";
import { test } from "node:test";
import { applicationCrd, type KubeObject } from "../../src/api/index.js";
import { applyObjects, KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { testNamespace } from "../harness/cluster-fixture.js";

test("the Application CRD installs, validates spec, and prints Sync, Health, Revision, Age", async (t) => {
  const ns = await testNamespace(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }), { defaultNamespace: ns.name });
  const app: KubeObject = {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "guestbook" },
    spec: {
      source: { repoURL: "https://git.example/deploy.git", path: "envs/prod" },
      destination: { namespace: "guestbook" },
    },
  };
  const results = await applyObjects(client, [app, applicationCrd()]);
  assert.deepEqual(
    results.map((r) => r.error?.message),
    [undefined, undefined],
  );
  await client.rest.request({
    method: "PATCH",
    path: `/apis/bosun.dev/v1alpha1/namespaces/${ns.name}/applications/guestbook/status`,
    body: { status: { sync: { status: "Synced", revision: "0a1b2c3" }, health: { status: "Healthy", message: "" } } },
    contentType: "application/merge-patch+json",
  });
  const table = ns.kubectl(["get", "applications"]);
  assert.match(table, /^NAME\s+SYNC\s+HEALTH\s+REVISION\s+AGE\n/);
  assert.match(table, /^guestbook\s+Synced\s+Healthy\s+0a1b2c3\s+\S+/m);
  assert.match(
    ns.kubectl(["get", "app", "guestbook", "-o", "name"]),
    /application\.bosun\.dev\/guestbook/,
    "short name app works",
  );

  const invalid: KubeObject = { ...app, metadata: { name: "bad" }, spec: { source: { path: "x" }, destination: {} } };
  const [rejected] = await applyObjects(client, [invalid]);
  assert.match(rejected?.error?.message ?? "", /spec\.source\.repoURL: Required value/);
});
