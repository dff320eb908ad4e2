// bosun's own cluster/ client against the embedded server: server-side apply and its dry run, CRDs and
// their custom resources in one batch, conflicts, list and delete, and the watch cache surviving a
// compacted event log (410 Gone → relist).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { applyObjects, ObjectError, WatchCache } from "../../src/cluster/index.js";
import { startFixture } from "./embedded-fixture.js";

const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: Object.keys(labels).length > 0 ? { name, namespace: "default", labels } : { name, namespace: "default" },
  data,
});

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("KubeClient: apply creates, re-applies unchanged, dry-runs without writing, reports conflicts", async (t) => {
  const { client } = await startFixture(t);
  const first = await client.apply(cm("app", { a: "1" }));
  assert.equal(first.created, true);
  const again = await client.apply(cm("app", { a: "1" }));
  assert.equal(again.created, false);
  assert.equal(
    again.object.metadata.resourceVersion,
    first.object.metadata.resourceVersion,
    "a no-op apply writes nothing",
  );
  const dry = await client.apply(cm("app", { a: "2" }), { dryRun: true });
  assert.deepEqual(dry.object.data, { a: "2" });
  assert.deepEqual(
    (await client.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "app" }))?.data,
    { a: "1" },
  );
  await assert.rejects(client.apply(cm("app", { a: "3" }), { fieldManager: "someone-else" }), (err: unknown) => {
    assert.ok(err instanceof ObjectError);
    assert.match(
      err.message,
      /ConfigMap\/default\/app: apply failed: Apply failed with 1 conflict: conflict with "bosun" using v1: \.data\.a/,
    );
    return true;
  });
  const forced = await client.apply(cm("app", { a: "3" }), { fieldManager: "someone-else", force: true });
  assert.deepEqual(forced.object.data, { a: "3" });
  assert.deepEqual(
    forced.object.metadata.managedFields?.map((m) => m.manager),
    ["someone-else"],
  );
});

test("applyObjects: a CRD and its custom resource in one batch; list by label; delete", async (t) => {
  const { client } = await startFixture(t);
  const crd: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "pipelines.ci.example.com" },
    spec: {
      group: "ci.example.com",
      scope: "Namespaced",
      names: { plural: "pipelines", singular: "pipeline", kind: "Pipeline" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
  const cr: KubeObject = {
    apiVersion: "ci.example.com/v1",
    kind: "Pipeline",
    metadata: { name: "build", namespace: "default", labels: { team: "a" } },
    spec: { steps: 3 },
  };
  const results = await applyObjects(client, [
    cr,
    crd,
    cm("c1", { k: "v" }, { team: "a" }),
    cm("c2", { k: "v" }, { team: "b" }),
  ]);
  assert.deepEqual(
    results.map((r) => [r.ref.kind, r.action, r.error?.message]),
    [
      ["CustomResourceDefinition", "created", undefined],
      ["ConfigMap", "created", undefined],
      ["ConfigMap", "created", undefined],
      ["Pipeline", "created", undefined],
    ],
  );
  const teamA = await client.list("v1", "ConfigMap", { namespace: "default", labelSelector: "team=a" });
  assert.deepEqual(
    teamA.items.map((i) => i.metadata.name),
    ["c1"],
  );
  const pipelines = await client.list("ci.example.com/v1", "Pipeline", { labelSelector: "team" });
  assert.equal(pipelines.items[0]?.kind, "Pipeline");
  assert.equal(
    await client.delete({ apiVersion: "ci.example.com/v1", kind: "Pipeline", namespace: "default", name: "build" }),
    true,
  );
  assert.equal(
    await client.delete({ apiVersion: "ci.example.com/v1", kind: "Pipeline", namespace: "default", name: "build" }),
    false,
  );
});

test("WatchCache: events arrive, and a compacted log answers 410 and forces a relist that catches up", async (t) => {
  const { client, server } = await startFixture(t);
  const events: string[] = [];
  const cache = new WatchCache(client, {
    accept: () => true,
    namespace: "default",
    watchTimeoutSeconds: 1,
    onEvent: (e) => events.push(`${e.type} ${e.object.metadata.name}`),
  });
  t.after(() => cache.stop());
  await client.apply(cm("before", { a: "1" }));
  await cache.watchKind("v1", "ConfigMap");
  await client.apply(cm("live", { a: "1" }));
  await until("the live event", () => events.includes("ADDED live"));
  assert.equal(cache.stats.expired, 0);
  // Push the log past the cache's version with writes it does not watch, then compact everything.
  for (let i = 0; i < 3; i++)
    await client.apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `s${i}`, namespace: "default" },
      stringData: { k: "v" },
    });
  server.store.compact(server.store.revision());
  const listsBefore = cache.stats.lists;
  await until("a relist after 410 Gone", () => cache.stats.expired >= 1 && cache.stats.lists > listsBefore);
  await client.apply(cm("after", { a: "1" }));
  await until("the event after the relist", () => events.includes("ADDED after"));
  assert.deepEqual(
    cache
      .list()
      .map((o) => o.metadata.name)
      .sort(),
    ["after", "before", "live"],
  );
});
