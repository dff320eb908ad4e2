// The simulator's writes, through the in-process API with the same semantics as any client's: creates,
// spec updates and status updates conditional on the cached resourceVersion, background deletes with a
// uid precondition. A write that would change nothing is not made.

import type { KubeObject } from "../../api/index.js";
import { type JsonRecord, jsonEqual } from "../../api/index.js";
import type { InProcessCluster } from "../core/in-process.js";
import type { Target } from "../core/target.js";
import { KINDS, type KindName } from "./cache.js";

export const CONTROLLER_MANAGER = "kube-controller-manager";
export const SCHEDULER = "kube-scheduler";
export const KUBELET = "kubelet";
export const API_SERVER = "kube-apiserver";
export const INGRESS_CONTROLLER = "ingress-controller";

export class ClusterWriter {
  private readonly targets = new Map<KindName, Target>();

  constructor(private readonly cluster: InProcessCluster) {}

  target(kind: KindName, namespace: string): Target {
    let t = this.targets.get(kind);
    if (!t) {
      t = this.cluster.targetFor(KINDS[kind].apiVersion, kind);
      if (!t) throw new Error(`the embedded server does not serve ${kind}`);
      this.targets.set(kind, t);
    }
    return { ...t, namespace: t.type.namespaced ? namespace : "" };
  }

  create(kind: KindName, obj: KubeObject, manager: string): KubeObject {
    return this.cluster.create(this.target(kind, obj.metadata.namespace ?? ""), obj, { fieldManager: manager }).object;
  }

  /** Replaces the object's main resource (spec, metadata) with `after`, if it differs from `before`. */
  update(kind: KindName, before: KubeObject, after: KubeObject, manager: string): boolean {
    if (jsonEqual(before, after)) return false;
    const target = this.target(kind, before.metadata.namespace ?? "");
    this.cluster.update(target, before.metadata.name ?? "", after, { fieldManager: manager });
    return true;
  }

  /** Writes status (and, optionally, annotations: Deployments' revision) through /status, if it changed. */
  status(
    kind: KindName,
    obj: KubeObject,
    status: JsonRecord,
    manager: string,
    annotations?: Record<string, string>,
  ): boolean {
    const merged = annotations ? { ...obj.metadata.annotations, ...annotations } : obj.metadata.annotations;
    if (jsonEqual(obj.status, status) && jsonEqual(merged, obj.metadata.annotations)) return false;
    const metadata = merged ? { ...obj.metadata, annotations: merged } : obj.metadata;
    const target = this.target(kind, obj.metadata.namespace ?? "");
    this.cluster.update(
      target,
      obj.metadata.name ?? "",
      { ...obj, metadata, status },
      {
        fieldManager: manager,
        subresource: "status",
      },
    );
    return true;
  }

  /** Sets a workload's replicas through its scale subresource, as the HPA controller does. */
  scale(kind: KindName, obj: KubeObject, replicas: number, manager: string): void {
    const target = this.target(kind, obj.metadata.namespace ?? "");
    const scale = {
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace },
      spec: { replicas },
    };
    this.cluster.update(target, obj.metadata.name ?? "", scale, { fieldManager: manager, subresource: "scale" });
  }

  /** Records an Event; one that cannot be written (its namespace is going away) is dropped, as recorders drop them. */
  event(event: KubeObject): void {
    const target = this.cluster.targetFor("v1", "Event", event.metadata.namespace);
    if (!target) return;
    try {
      this.cluster.create(target, event, { fieldManager: CONTROLLER_MANAGER });
    } catch {
      // An Event is best effort: the object it is about has been written either way.
    }
  }

  delete(kind: KindName, obj: KubeObject): void {
    const target = this.target(kind, obj.metadata.namespace ?? "");
    this.cluster.delete(target, obj.metadata.name ?? "", {
      dryRun: false,
      propagationPolicy: "Background",
      preconditions: { uid: obj.metadata.uid },
    });
  }
}
