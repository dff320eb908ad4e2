// The simulator's informer: every object of the kinds it acts on, kept current from the store's change
// stream, indexed by controller owner.

import type { KubeObject } from "../../api/index.js";
import type { ObjectKey } from "../store/object-key.js";
import { controllerOf } from "./owners.js";

export const KINDS = {
  Node: { apiVersion: "v1", group: "", resource: "nodes" },
  Pod: { apiVersion: "v1", group: "", resource: "pods" },
  Service: { apiVersion: "v1", group: "", resource: "services" },
  PersistentVolumeClaim: { apiVersion: "v1", group: "", resource: "persistentvolumeclaims" },
  ReplicaSet: { apiVersion: "apps/v1", group: "apps", resource: "replicasets" },
  Deployment: { apiVersion: "apps/v1", group: "apps", resource: "deployments" },
  StatefulSet: { apiVersion: "apps/v1", group: "apps", resource: "statefulsets" },
  DaemonSet: { apiVersion: "apps/v1", group: "apps", resource: "daemonsets" },
  Job: { apiVersion: "batch/v1", group: "batch", resource: "jobs" },
  Ingress: { apiVersion: "networking.k8s.io/v1", group: "networking.k8s.io", resource: "ingresses" },
  HorizontalPodAutoscaler: { apiVersion: "autoscaling/v2", group: "autoscaling", resource: "horizontalpodautoscalers" },
  EndpointSlice: { apiVersion: "discovery.k8s.io/v1", group: "discovery.k8s.io", resource: "endpointslices" },
} as const;

export type KindName = keyof typeof KINDS;

export const KIND_NAMES = Object.keys(KINDS) as KindName[];

const BY_RESOURCE: ReadonlyMap<string, KindName> = new Map(
  KIND_NAMES.map((k) => [`${KINDS[k].group}/${KINDS[k].resource}`, k]),
);

export function kindOfKey(key: ObjectKey): KindName | undefined {
  return BY_RESOURCE.get(`${key.group}/${key.resource}`);
}

export function isKindName(value: string): value is KindName {
  return Object.hasOwn(KINDS, value);
}

/** `Kind/namespace/name`: the identity of an object in the cache and the work queue. */
export function idOf(kind: KindName, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export function parseId(id: string): { kind: KindName; namespace: string; name: string } | undefined {
  const [kind, namespace, ...rest] = id.split("/");
  if (kind === undefined || namespace === undefined || !isKindName(kind)) return undefined;
  return { kind, namespace, name: rest.join("/") };
}

function addTo<K>(index: Map<K, Set<string>>, key: K, id: string): void {
  const ids = index.get(key);
  if (ids) ids.add(id);
  else index.set(key, new Set([id]));
}

export class ObjectCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly ownerOf = new Map<string, string>();
  private readonly byKind = new Map<KindName, Set<string>>();

  get(kind: KindName, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(idOf(kind, namespace, name));
  }

  put(kind: KindName, obj: KubeObject): void {
    const id = idOf(kind, obj.metadata.namespace ?? "", obj.metadata.name ?? "");
    this.unindex(id);
    this.objects.set(id, obj);
    addTo(this.byKind, kind, id);
    const owner = controllerOf(obj)?.uid;
    if (owner) {
      this.ownerOf.set(id, owner);
      addTo(this.byOwner, owner, id);
    }
  }

  remove(kind: KindName, namespace: string, name: string): void {
    const id = idOf(kind, namespace, name);
    this.unindex(id);
    this.objects.delete(id);
    this.byKind.get(kind)?.delete(id);
  }

  private unindex(id: string): void {
    const owner = this.ownerOf.get(id);
    if (owner === undefined) return;
    this.ownerOf.delete(id);
    const owned = this.byOwner.get(owner);
    owned?.delete(id);
    if (owned?.size === 0) this.byOwner.delete(owner);
  }

  /** Objects of a kind whose controller is the object with this uid. */
  ownedBy(uid: string | undefined, kind: KindName): KubeObject[] {
    if (!uid) return [];
    const prefix = `${kind}/`;
    const out: KubeObject[] = [];
    for (const id of this.byOwner.get(uid) ?? []) {
      const obj = id.startsWith(prefix) ? this.objects.get(id) : undefined;
      if (obj) out.push(obj);
    }
    return out;
  }

  all(kind: KindName): KubeObject[] {
    const out: KubeObject[] = [];
    for (const id of this.byKind.get(kind) ?? []) {
      const obj = this.objects.get(id);
      if (obj) out.push(obj);
    }
    return out;
  }

  clear(): void {
    this.objects.clear();
    this.byOwner.clear();
    this.ownerOf.clear();
    this.byKind.clear();
  }
}
