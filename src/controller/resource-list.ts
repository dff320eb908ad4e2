// Every resource of an Application, also those a large Application's status does not list one by one:
// its inventory, read live (one list per kind and namespace), with each object's health.
import {
  type Application,
  type HealthStatus,
  type KubeObject,
  type ObjectRef,
  parseInventoryId,
  type ResourceSyncStatus,
} from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { appHealth } from "./app-health.js";

export interface ListedResource extends ObjectRef {
  /** As the last reconcile compared it, when its status lists it; else Synced when the status says every omitted one was. */
  status?: ResourceSyncStatus;
  health: HealthStatus;
  healthMessage: string;
}

/** The Application's inventory, each object read from the cluster with its health; sorted by kind, namespace, name. */
export async function listAppResources(
  client: KubeClient,
  app: Application,
  signal?: AbortSignal,
): Promise<ListedResource[]> {
  const refs = (app.status?.inventory ?? []).map(parseInventoryId).filter((r): r is ObjectRef => r !== undefined);
  const listed = new Map(
    (app.status?.resources ?? []).map((r) => [`${r.group}/${r.kind}/${r.namespace}/${r.name}`, r]),
  );
  const omittedSynced = app.status?.summary?.omittedSynced ?? false;
  const healthOf = appHealth(app);
  const live = await readLive(client, refs, signal);
  return refs
    .map((ref) => {
      const key = `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
      const health = healthOf(live.get(key));
      const status = listed.get(key)?.status ?? (omittedSynced ? "Synced" : undefined);
      return { ...ref, ...(status ? { status } : {}), health: health.status, healthMessage: health.message };
    })
    .sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    );
}

/**
 * The live objects of `refs` (or every object of their kinds and namespaces: the caller picks), keyed
 * `group/kind/namespace/name`: one list per kind and namespace, not one read per object. Kinds the server
 * does not serve are skipped.
 */
export async function readLive(
  client: KubeClient,
  refs: ReadonlyArray<{ group: string; kind: string; namespace: string }>,
  signal?: AbortSignal,
): Promise<Map<string, KubeObject>> {
  const live = new Map<string, KubeObject>();
  const batches = new Map<string, { group: string; kind: string; namespace: string }>();
  for (const ref of refs) batches.set(`${ref.group}/${ref.kind}/${ref.namespace}`, ref);
  for (const { group, kind, namespace } of batches.values()) {
    const apiVersion = await client.discovery.preferredApiVersion(group, signal);
    if (!apiVersion || !(await client.discovery.lookup(apiVersion, kind, signal))) continue;
    const { items } = await client.list(apiVersion, kind, { ...(namespace ? { namespace } : {}), signal });
    for (const item of items) live.set(`${group}/${kind}/${namespace}/${item.metadata.name}`, item);
  }
  return live;
}
