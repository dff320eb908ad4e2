// The resource tree and one resource's manifests as the dashboard reads them (GET …/tree, …/resource),
// checked as they arrive, and the rows the Resources tab shows: the Application's objects by sync wave,
// each followed by its descendants unless folded. Pure.
import { DecodeError, fields, list, optStr, type ResourceView, str, type WaveGroup } from "./model.js";

export interface TreeRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface TreeNodeView extends TreeRef {
  uid?: string;
  health?: { status: string; message: string };
  sync?: string;
  createdAt?: string;
  info: string[];
  children: TreeNodeView[];
}

export interface ResourceTreeView {
  nodes: TreeNodeView[];
  /** Nodes beyond the server's bound, not sent. */
  omitted: number;
}

export interface ResourceManifestsView {
  live?: string;
  desired?: string;
  diff?: string;
  /** Synced | OutOfSync | Missing | Extraneous | Child (made by the cluster, not in Git) | Unknown */
  status: string;
  note?: string;
}

function decodeHealth(value: unknown, what: string): TreeNodeView["health"] {
  if (value === undefined || value === null) return undefined;
  const o = fields(value, what);
  return { status: str(o, "status", what), message: optStr(o, "message") ?? "" };
}

function decodeNode(value: unknown, what: string): TreeNodeView {
  const o = fields(value, what);
  const info = Array.isArray(o.info) ? o.info.filter((i): i is string => typeof i === "string") : [];
  return {
    group: optStr(o, "group") ?? "",
    kind: str(o, "kind", what),
    namespace: optStr(o, "namespace") ?? "",
    name: str(o, "name", what),
    uid: optStr(o, "uid"),
    health: decodeHealth(o.health, `${what}.health`),
    sync: optStr(o, "sync"),
    createdAt: optStr(o, "createdAt"),
    info,
    children: list(o, "children", what, decodeNode),
  };
}

export function decodeTree(value: unknown): ResourceTreeView {
  const o = fields(value, "tree");
  if (!Array.isArray(o.nodes)) throw new DecodeError("tree.nodes is not a list");
  const omitted = typeof o.omitted === "number" && Number.isFinite(o.omitted) ? o.omitted : 0;
  return { nodes: o.nodes.map((n, i) => decodeNode(n, `tree.nodes[${i}]`)), omitted };
}

export function decodeManifests(value: unknown): ResourceManifestsView {
  const o = fields(value, "resource");
  return {
    live: optStr(o, "live"),
    desired: optStr(o, "desired"),
    diff: optStr(o, "diff"),
    status: str(o, "status", "resource"),
    note: optStr(o, "note"),
  };
}

/** `group/kind/namespace/name`: one object, whichever answer names it. */
export const refKey = (r: TreeRef): string => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

/** How the dashboard names an object (`Deployment.apps shop/web`), as the rows' labels. */
export function objectName(r: TreeRef): string {
  const kind = r.group ? `${r.kind}.${r.group}` : r.kind;
  return r.namespace ? `${kind} ${r.namespace}/${r.name}` : `${kind} ${r.name}`;
}

/** One row of the tree table. */
export interface TreeRow {
  ref: TreeRef;
  depth: number;
  /** For the Application's own objects: what its status says (wave, sync, hook, messages). */
  resource?: ResourceView;
  /** What the tree read live; absent before it is read, or for an object the tree does not hold. */
  node?: TreeNodeView;
  hasChildren: boolean;
  folded: boolean;
}

export interface TreeSection {
  /** The sync wave of its objects; undefined for those the status does not list one by one. */
  wave?: number;
  rows: TreeRow[];
}

function descendants(node: TreeNodeView, depth: number, folded: ReadonlySet<string>, out: TreeRow[]): void {
  for (const child of node.children) {
    const isFolded = folded.has(refKey(child));
    out.push({ ref: child, depth, node: child, hasChildren: child.children.length > 0, folded: isFolded });
    if (!isFolded) descendants(child, depth + 1, folded, out);
  }
}

function withDescendants(
  ref: TreeRef,
  resource: ResourceView | undefined,
  node: TreeNodeView | undefined,
  folded: ReadonlySet<string>,
): TreeRow[] {
  const isFolded = folded.has(refKey(ref));
  const rows: TreeRow[] = [
    { ref, depth: 0, resource, node, hasChildren: (node?.children.length ?? 0) > 0, folded: isFolded },
  ];
  if (node && !isFolded) descendants(node, 1, folded, rows);
  return rows;
}

/**
 * The rows by wave: each object the status lists, in its wave and order, with its descendants from the tree
 * (none while the tree is not read); then the tree's other top-level objects (a large Application's status
 * does not list its Synced and Healthy ones), in a section without a wave. `folded`: keys of the objects
 * whose descendants are hidden.
 */
export function treeSections(
  waves: readonly WaveGroup[],
  tree: ResourceTreeView | undefined,
  folded: ReadonlySet<string>,
): TreeSection[] {
  const nodes = new Map((tree?.nodes ?? []).map((n) => [refKey(n), n]));
  const listed = new Set<string>();
  const sections: TreeSection[] = waves.map((group) => ({
    wave: group.wave,
    rows: group.resources.flatMap((r) => {
      listed.add(refKey(r));
      return withDescendants(r, r, nodes.get(refKey(r)), folded);
    }),
  }));
  const others = (tree?.nodes ?? []).filter((n) => !listed.has(refKey(n)));
  if (others.length > 0) sections.push({ rows: others.flatMap((n) => withDescendants(n, undefined, n, folded)) });
  return sections;
}

/** Whether ref is a descendant in the tree (made by the cluster, so it has a live manifest only). */
export function isDescendant(tree: ResourceTreeView | undefined, ref: TreeRef): boolean {
  const key = refKey(ref);
  const inside = (nodes: readonly TreeNodeView[]): boolean =>
    nodes.some((n) => refKey(n) === key || inside(n.children));
  return (tree?.nodes ?? []).some((n) => refKey(n) !== key && inside(n.children));
}
