import assert from "node:assert/strict";
import { test } from "node:test";
import { ANNOTATIONS, type KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig, WatchCache } from "../../src/cluster/index.js";
import { privateCluster } from "../harness/cluster-fixture.js";
import { kubectl, restartComponent } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";

const configMap = (name: string, value: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name,
    namespace: "default",
    annotations: { [ANNOTATIONS.trackingId]: `bosun/t:/ConfigMap:default/${name}` },
  },
  data: { value },
});

test("the watch cache survives an API server restart: expired watch (410 Gone), relist, and nothing missed", async (t) => {
  const cluster = await privateCluster(t);
  const client = new KubeClient(loadClusterConfig({ kubeconfig: cluster.kubeconfig }));
  await client.apply(configMap("before", "1"));
  const errors: string[] = [];
  const cache = new WatchCache(client, { namespace: "default", onError: (e) => errors.push(e.message) });
  t.after(() => cache.stop());
  await cache.watchKind("v1", "ConfigMap");
  const ref = (name: string) => ({ group: "", kind: "ConfigMap", namespace: "default", name });
  assert.deepEqual(cache.get(ref("before"))?.data, { value: "1" });
  const listsBefore = cache.stats.lists;

  await restartComponent(cluster.dir, "kube-apiserver");
  // Changes made right after the restart must reach the cache, whether by the resumed watch or a relist.
  kubectl(cluster.kubeconfig, ["apply", "-f", "-"], JSON.stringify(configMap("after", "2")));
  kubectl(cluster.kubeconfig, ["-n", "default", "delete", "configmap", "before"]);
  await waitFor(
    "the cache to see the changes made after the restart",
    async () => cache.get(ref("after")) !== undefined && cache.get(ref("before")) === undefined,
    {
      timeoutMs: 60_000,
      intervalMs: 100,
      detail: () => `stats ${JSON.stringify(cache.stats)}, errors ${errors.join("; ")}`,
    },
  );
  t.diagnostic(`after restart: ${JSON.stringify(cache.stats)}; errors seen: ${errors.length}`);
  assert.ok(errors.length > 0, "the lost connection was reported");
  assert.ok(cache.stats.expired >= 1, "the old resourceVersion was answered with 410 Gone");
  assert.ok(cache.stats.lists > listsBefore, "the cache relisted");
});
