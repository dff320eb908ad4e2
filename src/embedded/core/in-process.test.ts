import assert from "node:assert/strict";
import { test } from "node:test";
import { SqliteStore } from "../store/sqlite-store.js";
import { EmbeddedApi } from "./embedded-api.js";
import type { InProcessCluster } from "./in-process.js";

function startApi(t: { after: (fn: () => void) => void }): EmbeddedApi {
  const store = SqliteStore.open({ dataDir: ":memory:" });
  const api = new EmbeddedApi({ store, clock: () => new Date("2026-01-02T03:04:05.678Z") });
  t.after(() => {
    api.close();
    store.close();
  });
  return api;
}

/** A stand-in for the workload simulator: marks every new Deployment observed through /status. */
function observeDeployments(cluster: InProcessCluster): () => void {
  return cluster.subscribe((change) => {
    if (change.type !== "ADDED" || change.key.resource !== "deployments") return;
    const target = cluster.targetFor("apps/v1", "Deployment", change.key.namespace);
    if (!target) return;
    cluster.patch(
      target,
      change.key.name,
      "merge",
      { status: { observedGeneration: change.object.metadata.generation, replicas: 0 } },
      { fieldManager: "simulator", subresource: "status" },
    );
  });
}

test("an in-process controller writes from a change listener; watchers still see revisions in order", async (t) => {
  const api = startApi(t);
  const ns = api.targetFor("apps/v1", "Deployment", "default");
  assert.ok(ns);
  const seen: Array<[string, number]> = [];
  api.subscribe((c) => seen.push([`${c.type} ${c.key.resource}/${c.key.name}`, c.revision]));
  observeDeployments(api);
  const watched: string[] = [];
  const stop = api.watch(ns, { resourceVersion: String(api.store.revision()) }, (e) =>
    watched.push(
      `${e.type} ${(e.object as { status?: { observedGeneration?: number } }).status?.observedGeneration ?? "-"}`,
    ),
  );
  t.after(stop);
  api.create(
    ns,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        selector: { matchLabels: { a: "b" } },
        template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } },
      },
    },
    { fieldManager: "test" },
  );
  const revisions = seen.map(([, r]) => r);
  assert.deepEqual(
    revisions,
    [...revisions].sort((a, b) => a - b),
    "delivered in revision order",
  );
  assert.deepEqual(watched, ["ADDED -", "MODIFIED 1"]);
  const live = api.get(ns, "web");
  assert.equal(live.metadata.managedFields?.find((m) => m.manager === "simulator")?.subresource, "status");
  assert.equal(live.metadata.creationTimestamp, "2026-01-02T03:04:05Z", "the injected clock, at second precision");
  await api.idle();
});
