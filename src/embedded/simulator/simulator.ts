// The workload simulator: what kube-controller-manager, kube-scheduler and a kubelet would do, in the
// embedded server's process. It hears every committed change, keeps the objects it acts on in a cache,
// and works off a queue of objects to look at; each look is idempotent and writes only what changed, so
// starting over a database left mid-rollout (even by a kill -9) simply converges from there.

import { performance } from "node:perf_hooks";
import { describeRef, errorMessage, type KubeObject } from "../../api/index.js";
import { type Clock, timestamp } from "../core/clock.js";
import type { InProcessCluster } from "../core/in-process.js";
import { ApiStatusError } from "../errors.js";
import type { Change } from "../store/sqlite-store.js";
import { idOf, KIND_NAMES, KINDS, type KindName, kindOfKey, ObjectCache, parseId } from "./cache.js";
import type { Reconciler, SimContext } from "./context.js";
import { selects, serviceSelector } from "./endpoint-slice.js";
import { reconcileClaim, reconcileIngress, reconcileService } from "./network-storage.js";
import { reconcileNode, reconcilePod } from "./node-agent.js";
import { type SimulatorOptions, type SimulatorSettings, simulatorSettings } from "./options.js";
import { controllerOf } from "./owners.js";
import { WorkQueue } from "./work-queue.js";
import {
  reconcileAutoscaler,
  reconcileDaemonSet,
  reconcileDeployment,
  reconcileJob,
  reconcileReplicaSet,
  reconcileStatefulSet,
} from "./workloads.js";
import { ClusterWriter } from "./writer.js";

const RECONCILERS: Readonly<Record<KindName, Reconciler>> = {
  Node: reconcileNode,
  Pod: reconcilePod,
  Service: reconcileService,
  PersistentVolumeClaim: reconcileClaim,
  ReplicaSet: reconcileReplicaSet,
  Deployment: reconcileDeployment,
  StatefulSet: reconcileStatefulSet,
  DaemonSet: reconcileDaemonSet,
  Job: reconcileJob,
  Ingress: reconcileIngress,
  HorizontalPodAutoscaler: reconcileAutoscaler,
  // A slice is its Service's business: a change of one (or its deletion) brings the Service back (its owner).
  EndpointSlice: () => undefined,
};

/** Retries after a failed look: 100 ms, doubling, at most 10 s. */
function retryDelay(failures: number): number {
  return Math.min(100 * 2 ** Math.min(failures - 1, 10), 10_000);
}

export class WorkloadSimulator {
  readonly settings: SimulatorSettings;
  private readonly cache = new ObjectCache();
  private readonly queue: WorkQueue;
  private readonly ctx: SimContext;
  private readonly failures = new Map<string, number>();
  private readonly onError: (err: Error) => void;
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private stopped = false;

  constructor(
    private readonly cluster: InProcessCluster,
    options: SimulatorOptions = {},
  ) {
    this.settings = simulatorSettings(options);
    const clock: Clock = options.clock ?? (() => new Date());
    this.onError = options.onError ?? ((err) => process.emitWarning(err));
    this.ctx = {
      cache: this.cache,
      writer: new ClusterWriter(cluster),
      settings: this.settings,
      now: () => clock().getTime(),
      stamp: () => timestamp(clock),
      elapsed: () => performance.now(),
      stages: new Map(),
    };
    this.queue = new WorkQueue({ process: (id) => this.process(id) });
  }

  /** Loads every object it acts on, then looks at each of them (and at the node) and follows changes. */
  start(): void {
    if (this.stopped) throw new SimulatorError("a stopped workload simulator does not start again; make a new one");
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.cluster.subscribe((c) => this.onChange(c));
    for (const kind of KIND_NAMES) {
      const target = this.ctx.writer.target(kind, "");
      for (const obj of this.cluster.list(target).items) this.cache.put(kind, obj);
    }
    this.queue.add(idOf("Node", "", this.settings.nodeName));
    for (const kind of KIND_NAMES)
      for (const obj of this.cache.all(kind))
        this.queue.add(idOf(kind, obj.metadata.namespace ?? "", obj.metadata.name ?? ""));
  }

  /** Stops following changes and clears every timer; nothing of the simulator is left pending. */
  stop(): void {
    this.running = false;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queue.stop();
    this.cache.clear();
    this.ctx.stages.clear();
    this.failures.clear();
  }

  /** Resolves once nothing is queued (waits that run on timers may still be ahead). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Timers set for later looks (none once stopped). */
  pendingTimers(): number {
    return this.queue.timerCount();
  }

  private enqueue(kind: KindName, namespace: string, name: string): void {
    this.queue.add(idOf(kind, namespace, name));
  }

  private enqueueOwner(obj: KubeObject): void {
    const owner = controllerOf(obj);
    const kind = owner ? KIND_NAMES.find((k) => k === owner.kind) : undefined;
    if (owner && kind) this.enqueue(kind, obj.metadata.namespace ?? "", owner.name);
  }

  private onChange(change: Change): void {
    const kind = kindOfKey(change.key);
    if (!kind) return;
    const { namespace, name } = change.key;
    if (change.type === "DELETED") {
      this.cache.remove(kind, namespace, name);
      if (kind === "Pod") this.ctx.stages.delete(change.object.metadata.uid ?? "");
    } else {
      this.cache.put(kind, change.object);
    }
    this.enqueue(kind, namespace, name);
    this.enqueueOwner(change.object);
    if (kind === "Node") this.nodeChanged();
    if (kind === "Pod") this.servicesOf(change);
  }

  /** The Services that select a Pod (before or after the change) look again: their EndpointSlices list it. */
  private servicesOf(change: Change): void {
    const versions = [change.object, change.previous].filter((o): o is KubeObject => o !== undefined);
    for (const svc of this.cache.all("Service")) {
      if (svc.metadata.namespace !== change.key.namespace) continue;
      const selector = serviceSelector(svc);
      if (selector && versions.some((pod) => selects(selector, pod)))
        this.enqueue("Service", change.key.namespace, svc.metadata.name ?? "");
    }
  }

  /** DaemonSets and pods waiting for a node look again when the node changes. */
  private nodeChanged(): void {
    for (const ds of this.cache.all("DaemonSet"))
      this.enqueue("DaemonSet", ds.metadata.namespace ?? "", ds.metadata.name ?? "");
    for (const pod of this.cache.all("Pod"))
      if (!(pod.spec as { nodeName?: unknown } | undefined)?.nodeName)
        this.enqueue("Pod", pod.metadata.namespace ?? "", pod.metadata.name ?? "");
  }

  private process(id: string): number | undefined {
    const parsed = parseId(id);
    if (!parsed || !this.running) return undefined;
    try {
      const again = RECONCILERS[parsed.kind](this.ctx, parsed.namespace, parsed.name);
      this.failures.delete(id);
      return again;
    } catch (err) {
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      // Conflicts, NotFound and AlreadyExists are races with other writers; the next look sorts them out.
      // A namespace being terminated (403) refuses new objects until it is gone, and them with it.
      const race = err instanceof ApiStatusError && [403, 404, 409].includes(err.code);
      if (!race || failures > 5) this.onError(this.describe(parsed, err));
      return retryDelay(failures);
    }
  }

  private describe(ref: { kind: KindName; namespace: string; name: string }, err: unknown): Error {
    const message = errorMessage(err);
    const described = describeRef({ group: KINDS[ref.kind].group, ...ref });
    return new SimulatorError(`the workload simulator could not reconcile ${described}: ${message}`, { cause: err });
  }
}

export class SimulatorError extends Error {
  override readonly name = "SimulatorError";
}
