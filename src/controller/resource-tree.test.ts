import assert from "node:assert/strict";
import { test } from "node:test";
import type { Health, KubeObject, ObjectRef } from "../api/index.js";
import { buildResourceTree, childKindsToRead, type TreeNode } from "./resource-tree.js";

type Owner = { kind: string; name: string; uid: string; controller?: boolean };

function obj(apiVersion: string, kind: string, name: string, extra: Partial<KubeObject> & { owners?: Owner[] } = {}) {
  const { owners, metadata, ...rest } = extra;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace: "shop",
      uid: `uid-${kind}-${name}`,
      ...(owners ? { ownerReferences: owners.map((o) => ({ apiVersion: "v1", controller: true, ...o })) } : {}),
      ...metadata,
    },
    ...rest,
  } as KubeObject;
}

const owner = (o: KubeObject, controller = true): Owner => ({
  kind: o.kind,
  name: o.metadata.name ?? "",
  uid: o.metadata.uid ?? "",
  controller,
});
const ref = (o: KubeObject): ObjectRef => ({
  group: o.apiVersion.includes("/") ? (o.apiVersion.split("/")[0] ?? "") : "",
  kind: o.kind,
  namespace: o.metadata.namespace ?? "",
  name: o.metadata.name ?? "",
});
const healthy = (live: KubeObject | undefined): Health =>
  live ? { status: "Healthy", message: "" } : { status: "Missing", message: "gone" };

/** The tree as "Kind/name" lines indented by depth: what a person reads in the dashboard. */
function outline(nodes: readonly TreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${"  ".repeat(depth)}${n.kind}/${n.name}`, ...outline(n.children, depth + 1)]);
}

const web = obj("apps/v1", "Deployment", "web", { spec: { replicas: 2 } });
const rsOld = obj("apps/v1", "ReplicaSet", "web-old", { owners: [owner(web)], spec: { replicas: 0 } });
const rsNew = obj("apps/v1", "ReplicaSet", "web-new", { owners: [owner(web)], spec: { replicas: 2 } });
const podA = obj("v1", "Pod", "web-new-a", { owners: [owner(rsNew)], status: { phase: "Running" } });
const podB = obj("v1", "Pod", "web-new-b", { owners: [owner(rsNew)] });

test("a Deployment with two ReplicaSets: both below it, the Pods below the one that owns them", () => {
  const tree = buildResourceTree({
    roots: [{ ref: ref(web), live: web }],
    candidates: [podB, rsOld, podA, rsNew],
    health: healthy,
    syncOf: () => "Synced",
    limit: 100,
  });
  assert.deepEqual(outline(tree.nodes), [
    "Deployment/web",
    "  ReplicaSet/web-new",
    "    Pod/web-new-a",
    "    Pod/web-new-b",
    "  ReplicaSet/web-old",
  ]);
  assert.equal(tree.omitted, 0);
  const [root] = tree.nodes;
  assert.equal(root?.sync, "Synced", "a root carries its sync status");
  assert.equal(root?.children[0]?.sync, undefined, "a child has none");
  assert.deepEqual(root?.children[0]?.health, { status: "Healthy", message: "" });
  assert.equal(root?.uid, "uid-Deployment-web");
});

test("a StatefulSet: its Pods by owner, its claims by name (no owner under the Retain policy) or by owner", () => {
  const db = obj("apps/v1", "StatefulSet", "db", {
    spec: { replicas: 2, volumeClaimTemplates: [{ metadata: { name: "data" } }, { metadata: { name: "logs" } }] },
  });
  const pod0 = obj("v1", "Pod", "db-0", { owners: [owner(db)] });
  const claims = [
    obj("v1", "PersistentVolumeClaim", "data-db-0"),
    obj("v1", "PersistentVolumeClaim", "data-db-1", { owners: [owner(db)] }),
    obj("v1", "PersistentVolumeClaim", "logs-db-0"),
  ];
  const notClaims = [
    obj("v1", "PersistentVolumeClaim", "data-db-x"), // no ordinal
    obj("v1", "PersistentVolumeClaim", "data-dbx-0"), // another StatefulSet's
    obj("v1", "PersistentVolumeClaim", "cache-db-0"), // not a template of db
    { ...obj("v1", "PersistentVolumeClaim", "data-db-2"), metadata: { name: "data-db-2", namespace: "other" } },
  ];
  const tree = buildResourceTree({
    roots: [{ ref: ref(db), live: db }],
    candidates: [...notClaims, ...claims, pod0],
    health: healthy,
    limit: 100,
  });
  assert.deepEqual(outline(tree.nodes), [
    "StatefulSet/db",
    "  PersistentVolumeClaim/data-db-0",
    "  PersistentVolumeClaim/data-db-1",
    "  PersistentVolumeClaim/logs-db-0",
    "  Pod/db-0",
  ]);
});

test("a Service's EndpointSlices by its name label or by owner; CronJob → Job → Pod", () => {
  const svc = obj("v1", "Service", "web");
  const byLabel = obj("discovery.k8s.io/v1", "EndpointSlice", "web-abc", {
    metadata: { labels: { "kubernetes.io/service-name": "web" } },
  });
  const byOwner = obj("discovery.k8s.io/v1", "EndpointSlice", "web-def", { owners: [owner(svc)] });
  const otherService = obj("discovery.k8s.io/v1", "EndpointSlice", "api-abc", {
    metadata: { labels: { "kubernetes.io/service-name": "api" } },
  });
  const cron = obj("batch/v1", "CronJob", "report");
  const job = obj("batch/v1", "Job", "report-1", { owners: [owner(cron)] });
  const jobPod = obj("v1", "Pod", "report-1-x", { owners: [owner(job)] });
  const tree = buildResourceTree({
    roots: [
      { ref: ref(svc), live: svc },
      { ref: ref(cron), live: cron },
    ],
    candidates: [jobPod, job, otherService, byOwner, byLabel],
    health: healthy,
    limit: 100,
  });
  assert.deepEqual(outline(tree.nodes), [
    "CronJob/report",
    "  Job/report-1",
    "    Pod/report-1-x",
    "Service/web",
    "  EndpointSlice/web-abc",
    "  EndpointSlice/web-def",
  ]);
});

test("orphans and objects of other owners are left out; a missing root has no children and is Missing", () => {
  const stray = obj("v1", "Pod", "stray");
  const foreign = obj("v1", "Pod", "foreign-1", { owners: [{ kind: "ReplicaSet", name: "x", uid: "uid-x" }] });
  // Owned by web's uid, but a kind a Deployment never makes.
  const odd = obj("v1", "ConfigMap", "odd", { owners: [owner(web)] });
  const gone: ObjectRef = { group: "", kind: "ConfigMap", namespace: "shop", name: "settings" };
  const tree = buildResourceTree({
    roots: [{ ref: ref(web), live: web }, { ref: gone }],
    candidates: [stray, foreign, odd, rsNew],
    health: healthy,
    limit: 100,
  });
  assert.deepEqual(outline(tree.nodes), ["ConfigMap/settings", "Deployment/web", "  ReplicaSet/web-new"]);
  assert.deepEqual(tree.nodes[0]?.health, { status: "Missing", message: "gone" });
  assert.equal(tree.nodes[0]?.uid, undefined);
});

test("duplicates and owner cycles: each object once, a root never again as a child", () => {
  // A ReplicaSet in the inventory too (a root), and listed twice among the candidates.
  const rsAsRoot = rsNew;
  // A cycle: the Deployment claims to be owned by its own ReplicaSet.
  const cyclic = {
    ...web,
    metadata: { ...web.metadata, ownerReferences: [{ ...owner(rsNew), apiVersion: "apps/v1" }] },
  };
  const tree = buildResourceTree({
    roots: [
      { ref: ref(web), live: cyclic },
      { ref: ref(rsAsRoot), live: rsAsRoot },
      { ref: ref(web), live: web },
    ],
    candidates: [rsNew, rsNew, podA, podA, cyclic],
    health: healthy,
    limit: 100,
  });
  assert.deepEqual(outline(tree.nodes), ["Deployment/web", "ReplicaSet/web-new", "  Pod/web-new-a"]);
});

test("the node limit keeps the roots and the shallower levels first, and counts the rest", () => {
  const pods = Array.from({ length: 5 }, (_, i) => obj("v1", "Pod", `web-new-${i}`, { owners: [owner(rsNew)] }));
  const input = {
    roots: [{ ref: ref(web), live: web }],
    candidates: [...pods, rsNew],
    health: healthy,
  };
  const tree = buildResourceTree({ ...input, limit: 4 });
  assert.deepEqual(outline(tree.nodes), [
    "Deployment/web",
    "  ReplicaSet/web-new",
    "    Pod/web-new-0",
    "    Pod/web-new-1",
  ]);
  assert.equal(tree.omitted, 3);
  assert.equal(buildResourceTree({ ...input, limit: 0 }).omitted, 7);
  assert.deepEqual(buildResourceTree({ ...input, limit: 0 }).nodes, []);
});

test("the kinds to read: per namespace of the roots, with the children's own children", () => {
  const kinds = childKindsToRead([
    { group: "apps", kind: "Deployment", namespace: "a", name: "web" },
    { group: "", kind: "Service", namespace: "a", name: "web" },
    { group: "batch", kind: "CronJob", namespace: "b", name: "report" },
    { group: "", kind: "ConfigMap", namespace: "c", name: "settings" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRole", namespace: "", name: "reader" },
  ]);
  const named = (ns: string) => (kinds.get(ns) ?? []).map((k) => `${k.group}/${k.kind}`).sort();
  assert.deepEqual([...kinds.keys()].sort(), ["a", "b"], "no reads where nothing has children");
  assert.deepEqual(named("a"), ["/Pod", "apps/ReplicaSet", "discovery.k8s.io/EndpointSlice"]);
  assert.deepEqual(named("b"), ["/Pod", "batch/Job"]);
});
