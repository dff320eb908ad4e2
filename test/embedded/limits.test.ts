// Limits the real API server enforces, differentially: the embedded server answers alike, so an app cannot be
// green on `bosun up` and refused by a real cluster.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, apiErrorOf, KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { CLUSTER_TARGETS, type ClusterTarget, testNamespace } from "../harness/cluster-fixture.js";

/** A ConfigMap whose annotations hold `bytes` bytes, keys and values together. */
const annotated = (name: string, bytes: number) => {
  const key = "example.com/large";
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, annotations: { [key]: "x".repeat(bytes - key.length) } },
  };
};

async function answers(t: Parameters<typeof testNamespace>[0], target: ClusterTarget): Promise<string[]> {
  const ns = await testNamespace(t, target);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }), { defaultNamespace: ns.name });
  const out: string[] = [];
  for (const [name, bytes] of [
    ["at-limit", 256 * 1024],
    ["over-limit", 256 * 1024 + 1],
  ] as const) {
    try {
      await client.create(annotated(name, bytes));
      out.push(`${name}: created`);
    } catch (err) {
      const api = apiErrorOf(err);
      if (!(api instanceof ApiError)) throw err;
      out.push(`${name}: ${api.code} ${api.message}`);
    }
  }
  return out;
}

test("annotations over 256 KiB are refused as kube-apiserver refuses them (a large last-applied annotation)", async (t) => {
  const [real, embedded] = await Promise.all(CLUSTER_TARGETS.map((target) => answers(t, target)));
  assert.deepEqual(embedded, real);
  assert.deepEqual(real, [
    "at-limit: created",
    'over-limit: 422 ConfigMap "over-limit" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
});
