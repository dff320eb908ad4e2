import assert from "node:assert/strict";
import { test } from "node:test";
import { ANNOTATIONS, type KubeObject } from "../../src/api/index.js";
import {
  applyObjects,
  InvalidObjectError,
  KubeClient,
  loadClusterConfig,
  ObjectError,
  WatchCache,
} from "../../src/cluster/index.js";
import { testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

function clientFor(kubeconfig: string, defaultNamespace?: string): KubeClient {
  return new KubeClient(loadClusterConfig({ kubeconfig }), { defaultNamespace });
}

const deployment = (name: string, namespace?: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name,
    namespace,
    annotations: { [ANNOTATIONS.trackingId]: `bosun/test:apps/Deployment:${namespace}/${name}` },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
    },
  },
});

const replicasOf = (obj: KubeObject | undefined) => (obj?.spec as { replicas?: number } | undefined)?.replicas;

/** What a comparison must ignore: server bookkeeping and status. */
function normalise(obj: KubeObject): unknown {
  const {
    managedFields: _m,
    resourceVersion: _r,
    generation: _g,
    creationTimestamp: _c,
    uid: _u,
    ...metadata
  } = obj.metadata;
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata };
}

test("server-side apply of the same object twice is a no-op", async (t) => {
  const ns = await testNamespace(t);
  const client = clientFor(ns.kubeconfig);
  const configMap: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cm", namespace: ns.name },
    data: { a: "1" },
  };
  const first = await client.apply(configMap);
  assert.equal(first.created, true);
  const second = await client.apply(configMap);
  assert.equal(second.created, false);
  assert.equal(second.object.metadata.resourceVersion, first.object.metadata.resourceVersion);
  assert.deepEqual(
    second.object.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`),
    ["bosun/Apply"],
  );

  // A Deployment too, once its controller has stopped writing status.
  await client.apply(deployment("web", ns.name));
  await waitFor(
    "deployment/web available",
    async () => {
      const d = await client.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "web" });
      return (d?.status as { availableReplicas?: number } | undefined)?.availableReplicas === 1;
    },
    { timeoutMs: 60_000 },
  );
  const live = await client.get({ apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "web" });
  const again = await client.apply(deployment("web", ns.name));
  assert.equal(again.object.metadata.resourceVersion, live?.metadata.resourceVersion);
  const changed = await client.apply({ ...configMap, data: { a: "2" } });
  assert.notEqual(
    changed.object.metadata.resourceVersion,
    second.object.metadata.resourceVersion,
    "a real change is written",
  );
});

test("a dry run whose only difference is defaulted fields equals the live object", async (t) => {
  const ns = await testNamespace(t);
  const desired = deployment("defaults", ns.name);
  // Created by another manager (kubectl), so the live object carries every server default.
  ns.kubectl(["create", "-f", "-"], JSON.stringify(desired));
  const client = clientFor(ns.kubeconfig);
  const addr = { apiVersion: "apps/v1", kind: "Deployment", namespace: ns.name, name: "defaults" };
  // The Deployment controller writes a revision annotation and status; compare once it has settled.
  await waitFor(
    "the Deployment controller to observe the Deployment",
    async () => {
      const d = await client.get(addr);
      const observed = (d?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
      return (
        observed === d?.metadata.generation &&
        d?.metadata.annotations?.["deployment.kubernetes.io/revision"] !== undefined
      );
    },
    { timeoutMs: 30_000 },
  );
  const live = await client.get(addr);
  assert.ok(live);
  const liveContainer = (live.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template
    .spec.containers[0];
  assert.equal(liveContainer?.imagePullPolicy, "IfNotPresent", "the server defaulted imagePullPolicy");
  assert.equal((live.spec as { revisionHistoryLimit?: number }).revisionHistoryLimit, 10);
  assert.notDeepEqual(
    normalise(desired),
    normalise(live),
    "desired and live differ before normalisation by the server",
  );

  const dry = await client.apply(desired, { dryRun: true });
  assert.deepEqual(normalise(dry.object), normalise(live));
  assert.ok(
    dry.object.metadata.managedFields?.some((m) => m.manager === "bosun"),
    "the dry run shows bosun's ownership",
  );
  const after = await client.get(addr);
  assert.equal(after?.metadata.generation, live.metadata.generation, "a dry run persists nothing");
  assert.ok(!after?.metadata.managedFields?.some((m) => m.manager === "bosun"), "bosun owns nothing after a dry run");
});

test("a CRD and a custom resource of it apply in one ordered batch", async (t) => {
  const ns = await testNamespace(t);
  const plural = `widgets${ns.name.replace(/[^a-z0-9]/g, "")}`;
  const group = "test.bosun.dev";
  const crd: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural, singular: plural.slice(0, -1), kind: `Widget${ns.name.slice(2)}` },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: { spec: { type: "object", properties: { size: { type: "integer" } } } },
            },
          },
        },
      ],
    },
  };
  t.after(() => ns.kubectl(["delete", "crd", `${plural}.${group}`, "--wait=false"]));
  const cr: KubeObject = {
    apiVersion: `${group}/v1`,
    kind: `Widget${ns.name.slice(2)}`,
    metadata: { name: "w1" },
    spec: { size: 3 },
  };
  const client = clientFor(ns.kubeconfig, ns.name);
  // Given in the wrong order on purpose: the custom resource first.
  const results = await applyObjects(client, [cr, crd]);
  assert.deepEqual(
    results.map((r) => [r.ref.kind, r.action, r.error?.message]),
    [
      ["CustomResourceDefinition", "created", undefined],
      [cr.kind, "created", undefined],
    ],
  );
  const live = await client.get({ apiVersion: cr.apiVersion, kind: cr.kind, namespace: ns.name, name: "w1" });
  assert.deepEqual(live?.spec, { size: 3 });
});

test("bad objects come back as errors naming the object, and the others still apply", async (t) => {
  const ns = await testNamespace(t);
  const client = clientFor(ns.kubeconfig); // no default namespace
  const noKind = { apiVersion: "v1", metadata: { name: "nokind", namespace: ns.name } } as unknown as KubeObject;
  const noApiVersion = { kind: "ConfigMap", metadata: { name: "noapi", namespace: ns.name } } as unknown as KubeObject;
  const unknownKind: KubeObject = { apiVersion: "v1", kind: "Gizmo", metadata: { name: "g", namespace: ns.name } };
  const noNamespace: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "floating" }, data: {} };
  const invalid: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "bad-svc", namespace: ns.name },
    spec: { ports: [{ port: 70000 }] },
  };
  const good: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "good", namespace: ns.name },
    data: { a: "1" },
  };
  const results = await applyObjects(client, [noKind, noApiVersion, unknownKind, noNamespace, invalid, good]);
  const byName = new Map(results.map((r) => [r.ref.name, r]));
  assert.equal(byName.get("good")?.action, "created");
  const expectations: Array<[string, RegExp]> = [
    ["nokind", /^<no kind>\/.*nokind: has no kind$/],
    ["noapi", /ConfigMap\/.*noapi: has no apiVersion/],
    ["g", new RegExp(`^Gizmo/${ns.name}/g: the server does not serve kind Gizmo in v1$`)],
    ["floating", /^ConfigMap\/floating: is namespaced but names no namespace/],
    ["bad-svc", new RegExp(`^Service/${ns.name}/bad-svc: apply failed: .*port.*(between 1 and 65535|65535)`)],
  ];
  for (const [name, pattern] of expectations) {
    const entry = byName.get(name);
    assert.equal(entry?.action, "skipped", name);
    assert.ok(entry?.error instanceof ObjectError, `${name}: ${String(entry?.error)}`);
    assert.match(entry.error.message, pattern);
  }
  assert.ok(byName.get("g")?.error instanceof InvalidObjectError);
});

test("the watch cache sees a kubectl scale, and reads cost no request", async (t) => {
  const ns = await testNamespace(t);
  const client = clientFor(ns.kubeconfig);
  await client.apply(deployment("scaled", ns.name));
  const events: string[] = [];
  const cache = new WatchCache(client, {
    namespace: ns.name,
    onEvent: (e) => events.push(`${e.type} ${e.object.metadata.name}`),
  });
  t.after(() => cache.stop());
  await cache.watchKind("apps/v1", "Deployment");
  const ref = { group: "apps", kind: "Deployment", namespace: ns.name, name: "scaled" };
  assert.equal(replicasOf(cache.get(ref)), 1);

  const scaledAt = Date.now();
  ns.kubectl(["scale", "deployment/scaled", "--replicas=3"]);
  await waitFor("the cache to see replicas=3", async () => replicasOf(cache.get(ref)) === 3, {
    timeoutMs: 10_000,
    intervalMs: 10,
  });
  t.diagnostic(`watch latency after kubectl scale: ${Date.now() - scaledAt} ms`);
  const scaled = cache.get(ref);
  assert.ok(scaled?.metadata.managedFields?.some((m) => m.manager === "kubectl" && m.subresource === "scale"));
  const requestsBefore = cache.stats.lists + cache.stats.watches;
  for (let i = 0; i < 100; i++) cache.get(ref);
  assert.equal(cache.stats.lists + cache.stats.watches, requestsBefore, "reads from the cache made no request");
  assert.ok(events.includes("MODIFIED scaled"));

  // Objects without the tracking annotation are not bosun's and stay out of the cache.
  ns.kubectl(["create", "deployment", "foreign", "--image=nginx"]);
  await client.apply(deployment("second", ns.name));
  await waitFor("the second managed deployment", async () => cache.get({ ...ref, name: "second" }) !== undefined, {
    timeoutMs: 10_000,
  });
  assert.equal(cache.get({ ...ref, name: "foreign" }), undefined);
});

test("a watch asked for after the cache stopped, or with an aborted signal, is refused rather than left running", async (t) => {
  const ns = await testNamespace(t);
  const cache = new WatchCache(clientFor(ns.kubeconfig), { namespace: ns.name });
  const aborted = AbortSignal.abort();
  await assert.rejects(cache.watchKind("v1", "ConfigMap", aborted), /not started/);
  await cache.watchKind("v1", "Secret");
  cache.stop();
  await assert.rejects(cache.watchKind("v1", "ConfigMap"), /not started/);
  assert.equal(cache.stats.watches <= 1 && cache.stats.lists, 1, "only the Secret watch ever listed");
});
