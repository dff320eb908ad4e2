// An Application's resource tree read from its destination cluster: its objects (inventory, and those its
// status lists that are not applied yet), then their descendants with one list per kind and namespace, only
// in namespaces where it has objects. The shape is resource-tree.ts's business.
import { type Application, type KubeObject, type ObjectRef, parseInventoryId, refOf, trackedBy } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { AppDiffRefusedError, destinationConnection } from "./app-diff.js";
import { appHealth } from "./app-health.js";
import { readLive } from "./resource-list.js";
import {
  buildResourceTree,
  childKindsToRead,
  MAX_TREE_NODES,
  type ResourceTree,
  refKeyOf,
  type TreeNode,
} from "./resource-tree.js";

export interface AppTreeOptions {
  /** Where cluster Secrets (and Projects) live: the agent's namespace; default the Application's. */
  agentNamespace?: string;
  /** At most this many nodes (default MAX_TREE_NODES). */
  limit?: number;
  signal: AbortSignal;
}

export interface AppTree extends ResourceTree {
  /** The live object of every node shown, by `group/kind/namespace/name`. */
  live: ReadonlyMap<string, KubeObject>;
}

/** The Application's own objects: its inventory and the resources its status lists (Missing ones, hooks), once each. */
export function appRoots(app: Application): ObjectRef[] {
  const refs = new Map<string, ObjectRef>();
  for (const id of app.status?.inventory ?? []) {
    const ref = parseInventoryId(id);
    if (ref) refs.set(refKeyOf(ref), ref);
  }
  for (const r of app.status?.resources ?? []) {
    const ref = { group: r.group, kind: r.kind, namespace: r.namespace, name: r.name };
    refs.set(refKeyOf(ref), ref);
  }
  return [...refs.values()];
}

/**
 * The live object of one of the Application's objects, when it is the Application's: one it applied (its
 * inventory) or one that carries its tracking id. Another's object of the same name is not, nor what it made.
 */
export function ownLive(app: Application, ref: ObjectRef, live: KubeObject | undefined): KubeObject | undefined {
  if (!live) return undefined;
  const key = refKeyOf(ref);
  const applied = (app.status?.inventory ?? []).some((id) => {
    const r = parseInventoryId(id);
    return r !== undefined && refKeyOf(r) === key;
  });
  const owner = trackedBy(live);
  const tracked = owner?.namespace === app.metadata.namespace && owner.name === app.metadata.name;
  return applied || tracked ? live : undefined;
}

export function syncStatuses(app: Application): (ref: ObjectRef) => string | undefined {
  const listed = new Map((app.status?.resources ?? []).map((r) => [refKeyOf(r), r.status]));
  const omittedSynced = app.status?.summary?.omittedSynced ?? false;
  const inventory = new Set(
    (app.status?.inventory ?? []).map(parseInventoryId).flatMap((r) => (r ? [refKeyOf(r)] : [])),
  );
  // A large Application's status lists only what is not Synced and Healthy: the rest of its inventory is Synced.
  return (ref) => listed.get(refKeyOf(ref)) ?? (omittedSynced && inventory.has(refKeyOf(ref)) ? "Synced" : undefined);
}

function keysOf(nodes: readonly TreeNode[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    into.add(refKeyOf(n));
    keysOf(n.children, into);
  }
  return into;
}

/** The tree of the Application's objects on its destination cluster, with the health of each node. */
export async function readAppTree(client: KubeClient, app: Application, options: AppTreeOptions): Promise<AppTree> {
  const { signal } = options;
  const connection = await destinationConnection(client, app, options.agentNamespace ?? app.metadata.namespace, signal);
  if (!connection) {
    const dest = app.spec.destination;
    throw new AppDiffRefusedError(`the destination cluster ${dest.name ?? dest.server} is not one bosun knows`);
  }
  const destination = connection.client;
  const roots = appRoots(app);
  const rootsLive = await readLive(destination, roots, signal);
  const liveOf = (ref: ObjectRef) => ownLive(app, ref, rootsLive.get(refKeyOf(ref)));
  const existing = roots.filter((r) => liveOf(r) !== undefined);
  const candidates: KubeObject[] = [];
  for (const [namespace, kinds] of childKindsToRead(existing)) {
    const read = await readLive(
      destination,
      kinds.map((k) => ({ ...k, namespace })),
      signal,
    );
    candidates.push(...read.values());
  }
  const tree = buildResourceTree({
    roots: roots.map((ref) => ({ ref, live: liveOf(ref) })),
    candidates,
    health: appHealth(app),
    syncOf: syncStatuses(app),
    limit: options.limit ?? MAX_TREE_NODES,
  });
  const shown = keysOf(tree.nodes);
  const live = new Map<string, KubeObject>();
  for (const obj of [...roots.flatMap((r) => liveOf(r) ?? []), ...candidates]) {
    const key = refKeyOf(refOf(obj));
    if (shown.has(key)) live.set(key, obj);
  }
  return { ...tree, live };
}
