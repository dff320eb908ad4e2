// What kube-controller-manager and friends would do that clients rely on even without a workload
// simulator: garbage collection of dependents (background and foreground), namespace termination,
// the default ServiceAccount of each namespace, and serving CRDs as they come and go. Runs after each
// commit, off the request path; `idle()` tells when nothing is pending.

import type { KubeObject } from "../../api/index.js";
import { ApiStatusError } from "../errors.js";
import type { ResourceRegistry } from "../resources/registry.js";
import type { ObjectKey } from "../store/object-key.js";
import type { Change } from "../store/sqlite-store.js";
import { deleteObject, FOREGROUND_FINALIZER } from "./deletion.js";
import type { WriterContext } from "./object-writer.js";
import { saveObject } from "./object-writer.js";
import type { Target } from "./target.js";

type Job = () => void;

export class Controllers {
  private readonly queue: Job[] = [];
  private scheduled = false;
  private waiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly ctx: WriterContext,
    private readonly registry: ResourceRegistry,
    private readonly onError: (err: Error) => void = (err) => process.emitWarning(err),
  ) {}

  /** Resolves once every queued job (and what it queued) has run. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  /** Looks at terminating namespaces and foreground deletions left over from a previous run. */
  resume(): void {
    for (const ns of this.ctx.store.list({ group: "", resource: "namespaces" })) {
      if (ns.metadata.deletionTimestamp) this.enqueue(() => this.terminateNamespace(ns.metadata.name ?? ""));
    }
  }

  onChange(change: Change): void {
    const { key, object, type } = change;
    if (key.group === "apiextensions.k8s.io" && key.resource === "customresourcedefinitions") this.refreshCrds();
    if (type === "DELETED") {
      const uid = object.metadata.uid ?? "";
      this.enqueue(() => this.collectDependents(uid));
      for (const ref of object.metadata.ownerReferences ?? []) this.enqueue(() => this.finishForeground(ref.uid));
      if (key.namespace) this.enqueue(() => this.terminateNamespace(key.namespace));
      return;
    }
    if (object.metadata.deletionTimestamp && (object.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) {
      this.enqueue(() => this.deleteDependentsOf(key, object));
    }
    if (key.group === "" && key.resource === "namespaces") {
      if (object.metadata.deletionTimestamp) this.enqueue(() => this.terminateNamespace(key.name));
      else if (type === "ADDED") this.enqueue(() => this.ensureDefaultServiceAccount(key.name));
    }
  }

  refreshCrds(): void {
    const crds = this.ctx.store.list({ group: "apiextensions.k8s.io", resource: "customresourcedefinitions" });
    this.registry.setCustomResourceDefinitions(crds);
  }

  private enqueue(job: Job): void {
    if (this.stopped) return;
    this.queue.push(job);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.stopped) {
      const job = this.queue.shift();
      try {
        job?.();
      } catch (err) {
        // NotFound and Conflict are races with clients; anything else is reported, never fatal.
        if (!(err instanceof ApiStatusError)) this.onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
    this.scheduled = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private targetOf(key: ObjectKey): Target | undefined {
    const type = this.registry.byPlural(key.group, key.resource);
    return type ? { type, version: type.versions[0] ?? "", namespace: key.namespace } : undefined;
  }

  private deleteKey(key: ObjectKey): void {
    const target = this.targetOf(key);
    if (target) deleteObject(this.ctx, target, key.name, { dryRun: false, propagationPolicy: "Background" });
  }

  /** Background collection: dependents whose owners are all gone go too. */
  private collectDependents(uid: string): void {
    for (const dep of this.ctx.store.dependentsOf(uid)) {
      const owners = dep.object.metadata.ownerReferences ?? [];
      if (owners.every((o) => !this.ctx.store.hasUid(o.uid))) {
        if (!dep.object.metadata.deletionTimestamp) this.deleteKey(dep.key);
        continue;
      }
      const metadata = { ...dep.object.metadata, ownerReferences: owners.filter((o) => o.uid !== uid) };
      this.ctx.store.transaction((w) => w.put(dep.key, { ...dep.object, metadata }, "MODIFIED"));
    }
  }

  private deleteDependentsOf(key: ObjectKey, owner: KubeObject): void {
    const deps = this.ctx.store.dependentsOf(owner.metadata.uid ?? "");
    for (const dep of deps) if (!dep.object.metadata.deletionTimestamp) this.deleteKey(dep.key);
    if (deps.length === 0) this.removeFinalizer(key, FOREGROUND_FINALIZER);
  }

  /** A dependent went away: its foreground-deleting owner may now go. */
  private finishForeground(ownerUid: string): void {
    if (this.ctx.store.dependentsOf(ownerUid).length > 0) return;
    const owner = this.ctx.store.byUid(ownerUid);
    if (!owner?.object.metadata.deletionTimestamp) return;
    if ((owner.object.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER))
      this.removeFinalizer(owner.key, FOREGROUND_FINALIZER);
  }

  private removeFinalizer(key: ObjectKey, finalizer: string): void {
    const live = this.ctx.store.get(key);
    if (!live) return;
    const finalizers = (live.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    const metadata: KubeObject["metadata"] = { ...live.metadata, finalizers };
    if (finalizers.length === 0) delete metadata.finalizers;
    const next = { ...live, metadata };
    this.ctx.store.transaction((w) =>
      finalizers.length === 0 && live.metadata.deletionTimestamp ? w.remove(key, next) : w.put(key, next, "MODIFIED"),
    );
  }

  private terminateNamespace(name: string): void {
    const nsKey: ObjectKey = { group: "", resource: "namespaces", namespace: "", name };
    const ns = this.ctx.store.get(nsKey);
    if (!ns?.metadata.deletionTimestamp) return;
    const contents = this.ctx.store.listNamespace(name);
    for (const item of contents) if (!item.object.metadata.deletionTimestamp) this.deleteKey(item.key);
    if (this.ctx.store.listNamespace(name).length > 0) return;
    this.ctx.store.transaction((w) => w.remove(nsKey, { ...ns, spec: { finalizers: [] } }));
  }

  private ensureDefaultServiceAccount(namespace: string): void {
    const type = this.registry.byPlural("", "serviceaccounts");
    if (!type || this.ctx.store.get({ group: "", resource: "serviceaccounts", namespace, name: "default" })) return;
    const ns = this.ctx.store.get({ group: "", resource: "namespaces", namespace: "", name: namespace });
    if (!ns || ns.metadata.deletionTimestamp) return;
    saveObject(this.ctx, {
      target: { type, version: "v1", namespace },
      before: undefined,
      after: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } },
      manager: "kube-controller-manager",
      dryRun: false,
      checkResourceVersion: false,
    });
  }
}
