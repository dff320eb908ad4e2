// An Application's resource tree, as Argo CD draws it: each object of its inventory, and below it what the
// cluster made of it, found by owner references (Deployment → ReplicaSet → Pod, CronJob → Job → Pod,
// StatefulSet → Pod, DaemonSet → Pod), by the StatefulSet's claim names (its PVCs carry an owner reference
// only under a Delete retention policy) and by the Service's name label (EndpointSlices). Pure: the caller
// reads the objects.
import { groupOf, type Health, type KubeObject, type ObjectRef, recordAt, refOf } from "../api/index.js";
import { infoOf } from "./resource-info.js";

export interface TreeNode {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  health?: Health;
  /** The sync status of an object of the Application (as its status lists it); children have none. */
  sync?: string;
  createdAt?: string;
  /** A few facts to show beside it: "Running", "1/1 ready", "2/2 replicas", an image. */
  info?: string[];
  children: TreeNode[];
}

export interface ResourceTree {
  nodes: TreeNode[];
  /** Nodes beyond the limit, not in `nodes`. */
  omitted: number;
}

export interface TreeInput {
  /** The Application's objects, each with its live object when it exists. */
  roots: ReadonlyArray<{ ref: ObjectRef; live?: KubeObject }>;
  /** Live objects that may descend from them (see CHILD_KINDS); anything else among them is left out. */
  candidates: readonly KubeObject[];
  health: (live: KubeObject | undefined) => Health;
  /** The sync status of a root, when known. */
  syncOf?: (ref: ObjectRef) => string | undefined;
  /** At most this many nodes, the roots first and then level by level. */
  limit: number;
}

/** The default bound of a tree's nodes. */
export const MAX_TREE_NODES = 2000;

/** What each kind's controller makes: the kinds worth reading to find an object's descendants. */
export const CHILD_KINDS: Readonly<Record<string, ReadonlyArray<{ group: string; kind: string }>>> = {
  "apps/Deployment": [{ group: "apps", kind: "ReplicaSet" }],
  "apps/ReplicaSet": [{ group: "", kind: "Pod" }],
  "apps/StatefulSet": [
    { group: "", kind: "Pod" },
    { group: "", kind: "PersistentVolumeClaim" },
  ],
  "apps/DaemonSet": [{ group: "", kind: "Pod" }],
  "batch/CronJob": [{ group: "batch", kind: "Job" }],
  "batch/Job": [{ group: "", kind: "Pod" }],
  "/Service": [{ group: "discovery.k8s.io", kind: "EndpointSlice" }],
};

const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

const kindKey = (r: { group: string; kind: string }) => `${r.group}/${r.kind}`;
export const refKeyOf = (r: ObjectRef) => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

/**
 * Per namespace, the kinds to list to find the descendants of `roots`: their children's kinds, and those
 * kinds' own children (a Deployment needs ReplicaSets and Pods). Cluster-scoped roots make none.
 */
export function childKindsToRead(roots: readonly ObjectRef[]): Map<string, Array<{ group: string; kind: string }>> {
  const byNamespace = new Map<string, Map<string, { group: string; kind: string }>>();
  for (const root of roots) {
    if (!root.namespace) continue;
    const kinds = byNamespace.get(root.namespace) ?? new Map<string, { group: string; kind: string }>();
    byNamespace.set(root.namespace, kinds);
    const pending = [...(CHILD_KINDS[kindKey(root)] ?? [])];
    for (let next = pending.shift(); next; next = pending.shift()) {
      if (kinds.has(kindKey(next))) continue;
      kinds.set(kindKey(next), next);
      pending.push(...(CHILD_KINDS[kindKey(next)] ?? []));
    }
  }
  return new Map(
    [...byNamespace]
      .filter(([, kinds]) => kinds.size > 0)
      .map(([namespace, kinds]) => [namespace, [...kinds.values()]]),
  );
}

/** The `<template>-<statefulset>-` prefixes of a StatefulSet's claims (an ordinal follows). */
function claimPrefixes(sts: KubeObject): string[] {
  const templates = recordAt(sts, "spec")?.volumeClaimTemplates;
  if (!Array.isArray(templates)) return [];
  return templates.flatMap((t: unknown) => {
    const name = recordAt(t, "metadata")?.name;
    return typeof name === "string" && name ? [`${name}-${sts.metadata.name ?? ""}-`] : [];
  });
}

function isClaimOf(claim: KubeObject, prefixes: readonly string[]): boolean {
  const name = claim.metadata.name ?? "";
  return prefixes.some((p) => name.startsWith(p) && /^(0|[1-9]\d*)$/.test(name.slice(p.length)));
}

const isKind = (obj: KubeObject, group: string, kind: string) => obj.kind === kind && groupOf(obj.apiVersion) === group;

/** Whether `child` belongs below `parent` by a name rather than an owner reference. */
function adoptedBy(parent: KubeObject, child: KubeObject): boolean {
  if (isKind(parent, "apps", "StatefulSet") && isKind(child, "", "PersistentVolumeClaim"))
    return isClaimOf(child, claimPrefixes(parent));
  if (isKind(parent, "", "Service") && isKind(child, "discovery.k8s.io", "EndpointSlice"))
    return child.metadata.labels?.[SERVICE_NAME_LABEL] === parent.metadata.name;
  return false;
}

/** Whether `child` is below `parent`: its controller (else any owner) is parent, or a name rule says so. */
function belongsTo(parent: KubeObject, child: KubeObject): boolean {
  const allowed = CHILD_KINDS[kindKey({ group: groupOf(parent.apiVersion), kind: parent.kind })] ?? [];
  if (parent.metadata.namespace !== child.metadata.namespace) return false;
  if (!allowed.some((k) => isKind(child, k.group, k.kind))) return false;
  const owners = child.metadata.ownerReferences ?? [];
  const uid = parent.metadata.uid;
  const controller = owners.find((o) => o.controller);
  const owned = uid !== undefined && (controller ? controller.uid === uid : owners.some((o) => o.uid === uid));
  return owned || adoptedBy(parent, child);
}

interface Building {
  node: TreeNode;
  live?: KubeObject;
  children: Building[];
}

function nodeOf(ref: ObjectRef, live: KubeObject | undefined, input: TreeInput, root: boolean): TreeNode {
  const sync = root ? input.syncOf?.(ref) : undefined;
  const info = live ? infoOf(live) : [];
  return {
    ...ref,
    ...(live?.metadata.uid ? { uid: live.metadata.uid } : {}),
    health: input.health(live),
    ...(sync ? { sync } : {}),
    ...(live?.metadata.creationTimestamp ? { createdAt: live.metadata.creationTimestamp } : {}),
    ...(info.length > 0 ? { info } : {}),
    children: [],
  };
}

const byKindAndName = (a: ObjectRef, b: ObjectRef) =>
  a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

/** Candidates by the uid of each owner they name, and those a name rule may adopt by namespace. */
function indexCandidates(candidates: readonly KubeObject[]) {
  const byOwner = new Map<string, KubeObject[]>();
  const byNamespace = new Map<string, KubeObject[]>();
  for (const c of candidates) {
    for (const o of c.metadata.ownerReferences ?? []) pushTo(byOwner, o.uid, c);
    if (isKind(c, "", "PersistentVolumeClaim") || isKind(c, "discovery.k8s.io", "EndpointSlice"))
      pushTo(byNamespace, c.metadata.namespace ?? "", c);
  }
  return (parent: KubeObject): KubeObject[] => {
    const named = byNamespace.get(parent.metadata.namespace ?? "") ?? [];
    const owned = parent.metadata.uid ? (byOwner.get(parent.metadata.uid) ?? []) : [];
    return [...owned, ...named].filter((c) => belongsTo(parent, c));
  };
}

/**
 * The tree: every root (in kind, namespace, name order), and below each the candidates that descend from it.
 * Each object appears once (a root is never also a child; a candidate goes below the first node of the
 * shallowest level that claims it), so duplicates in the input and owner reference cycles make no loop.
 * Candidates that descend from no root are left out. Beyond `limit`, nodes are counted, not returned.
 */
export function buildResourceTree(input: TreeInput): ResourceTree {
  const placed = new Set<string>();
  const roots: Building[] = [];
  for (const { ref, live } of [...input.roots].sort((a, b) => byKindAndName(a.ref, b.ref))) {
    const key = refKeyOf(ref);
    if (placed.has(key)) continue;
    placed.add(key);
    roots.push({ node: nodeOf(ref, live, input, true), live, children: [] });
  }
  const childrenOf = indexCandidates(input.candidates);
  const all: Building[] = [...roots];
  for (let level = roots; level.length > 0; ) {
    const next: Building[] = [];
    for (const parent of level) {
      if (!parent.live) continue;
      const mine = childrenOf(parent.live).filter((c) => !placed.has(refKeyOf(refOf(c))));
      for (const child of mine.sort((a, b) => byKindAndName(refOf(a), refOf(b)))) {
        const key = refKeyOf(refOf(child));
        if (placed.has(key)) continue; // named twice (an owner and a name rule)
        placed.add(key);
        const b: Building = { node: nodeOf(refOf(child), child, input, false), live: child, children: [] };
        parent.children.push(b);
        next.push(b);
        all.push(b);
      }
    }
    level = next;
  }
  const kept = new Set(all.slice(0, Math.max(0, input.limit)));
  return { nodes: roots.filter((b) => kept.has(b)).map((b) => finish(b, kept)), omitted: all.length - kept.size };
}

function finish(b: Building, kept: ReadonlySet<Building>): TreeNode {
  return { ...b.node, children: b.children.filter((c) => kept.has(c)).map((c) => finish(c, kept)) };
}
