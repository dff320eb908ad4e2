import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig, ObjectError, WatchCache } from "../../src/cluster/index.js";
import { testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

const cm = (name: string, namespace: string, data: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data,
});

test("in-cluster configuration: the service-account token and CA from the standard paths", async (t) => {
  const ns = await testNamespace(t);
  ns.kubectl(["create", "rolebinding", "sa-view", "--clusterrole=view", `--serviceaccount=${ns.name}:default`]);
  const token = ns.kubectl(["create", "token", "default"]).trim();
  const kubeconfig = JSON.parse(readFileSync(ns.kubeconfig, "utf8")) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority": string } }>;
  };
  const cluster = kubeconfig.clusters[0]?.cluster;
  assert.ok(cluster);
  const root = mkdtempSync(join(tmpdir(), "bosun-incluster-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const saDir = join(root, "var/run/secrets/kubernetes.io/serviceaccount");
  mkdirSync(saDir, { recursive: true });
  writeFileSync(join(saDir, "token"), token);
  writeFileSync(join(saDir, "ca.crt"), readFileSync(cluster["certificate-authority"]));
  writeFileSync(join(saDir, "namespace"), ns.name);
  const url = new URL(cluster.server);
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  process.env.KUBERNETES_SERVICE_HOST = url.hostname;
  process.env.KUBERNETES_SERVICE_PORT = url.port;
  t.after(() => {
    process.env.KUBERNETES_SERVICE_HOST = saved.host;
    process.env.KUBERNETES_SERVICE_PORT = saved.port;
  });
  const config = loadClusterConfig({ inCluster: true, inClusterRoot: root });
  assert.equal(config.context, "in-cluster");
  const client = new KubeClient(config);
  ns.kubectl(["create", "configmap", "visible", "--from-literal=a=1"]);
  const seen = await client.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "visible" });
  assert.deepEqual(seen?.data, { a: "1" });
  // The service account can view, not write: the server's refusal names the object.
  await assert.rejects(client.apply(cm("nope", ns.name, { a: "1" })), (err: unknown) => {
    assert.ok(err instanceof ObjectError);
    assert.match(err.message, new RegExp(`^ConfigMap/${ns.name}/nope: apply failed: .*forbidden`));
    return true;
  });
});

test("kubeconfig context selection, and an unknown context is a clear error", async (t) => {
  const ns = await testNamespace(t);
  assert.equal(loadClusterConfig({ kubeconfig: ns.kubeconfig, context: "bosun-test" }).context, "bosun-test");
  assert.throws(
    () => loadClusterConfig({ kubeconfig: ns.kubeconfig, context: "prod" }),
    /context "prod" is not in the kubeconfig \(have: bosun-test\)/,
  );
});

test("a field another manager owns is a 409 conflict naming the manager, until bosun forces it back", async (t) => {
  const ns = await testNamespace(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  await client.apply(cm("owned", ns.name, { mode: "blue" }));
  ns.kubectl(
    ["apply", "--server-side", "--field-manager=kubectl-edit", "--force-conflicts", "-f", "-"],
    JSON.stringify(cm("owned", ns.name, { mode: "green" })),
  );
  await assert.rejects(client.apply(cm("owned", ns.name, { mode: "blue" })), (err: unknown) => {
    assert.ok(err instanceof ObjectError);
    assert.match(
      err.message,
      new RegExp(
        `^ConfigMap/${ns.name}/owned: apply failed: Apply failed with 1 conflict: conflict with "kubectl-edit".*\\.data\\.mode`,
      ),
    );
    return true;
  });
  const forced = await client.apply(cm("owned", ns.name, { mode: "blue" }), { force: true });
  assert.deepEqual(forced.object.data, { mode: "blue" });
});

test("delete with a propagation policy, replace, and namespaces created on request", async (t) => {
  const ns = await testNamespace(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const extra = `${ns.name}-extra`;
  t.after(() => ns.kubectl(["delete", "namespace", extra, "--wait=false", "--ignore-not-found"]));
  assert.equal(await client.ensureNamespace(extra), true);
  assert.equal(await client.ensureNamespace(extra), false, "an existing namespace is left alone");

  const replaced = await client.replace(cm("r", ns.name, { a: "1" }));
  assert.deepEqual([replaced.object.data, replaced.created], [{ a: "1" }, true]);
  const again = await client.replace(cm("r", ns.name, { b: "2" }));
  assert.deepEqual(
    [again.object.data, again.created],
    [{ b: "2" }, false],
    "replace drops fields the new object lacks",
  );

  ns.kubectl(["create", "deployment", "gone", "--image=nginx", "--replicas=1"]);
  await waitFor(
    "the deployment's ReplicaSet",
    async () => ns.kubectl(["get", "rs", "-l", "app=gone", "-o", "name"]).trim() !== "",
    { timeoutMs: 30_000 },
  );
  const addr = { apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "gone" };
  assert.equal(await client.delete(addr, { propagationPolicy: "Foreground" }), true);
  await waitFor(
    "the deployment and its ReplicaSet to be gone",
    async () =>
      (await client.get(addr)) === undefined && ns.kubectl(["get", "rs", "-l", "app=gone", "-o", "name"]).trim() === "",
    { timeoutMs: 30_000 },
  );
  assert.equal(await client.delete(addr), false, "deleting what is gone reports false");
});

test("watching a kind the server does not serve fails at once, naming it", async (t) => {
  const ns = await testNamespace(t);
  const cache = new WatchCache(new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig })));
  t.after(() => cache.stop());
  await assert.rejects(
    cache.watchKind("example.com/v1", "Nothing"),
    /the server does not serve kind Nothing in example\.com\/v1/,
  );
});
