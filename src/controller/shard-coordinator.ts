// Shards over coordination.k8s.io/v1 Leases: `<prefix>-shard-K` says who reconciles shard K, and each replica
// renews `<prefix>-member-<identity>` so the others know how many replicas share the work. Every retry period a
// replica lists the Leases (one request), renews what it holds, and takes a free shard or gives one back until
// it holds its fair share. Timings and safety are leader election's (leader-election.ts): expiry is measured on
// the observer's clock from the last change it saw, a holder that could not renew for the renew deadline stops
// before anyone may take its shard, and every write is conditional on the Lease's resourceVersion.
import type { KubeObject } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { heldLeaseSpec, type LeaseSpec, lostLeaseRound, releasedLeaseSpec, sleep } from "./leader-election.js";
import type { Logger } from "./reconciler.js";
import { isLive, type LeaseView, planShards } from "./shards.js";

const LEASE_API = "coordination.k8s.io/v1";
/** Label of every Lease of one sharded agent; its value is the prefix (`bosun-agent`). */
export const SHARD_LEASE_LABEL = "bosun.dev/agent-lease";

export interface ShardCoordinatorOptions {
  client: KubeClient;
  namespace: string;
  /** Leases are `<prefix>-shard-K` and `<prefix>-member-<identity>`. */
  prefix: string;
  shards: number;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** This replica now holds shard k; `term` aborts the moment it stops holding it. */
  onStarted: (k: number, term: AbortSignal) => void;
  onStopped?: (k: number) => void;
  log?: Pick<Logger, "info" | "warn">;
  now?: () => number;
}

interface Held {
  term: AbortController;
  lastRenewMs: number;
}

/** A Lease name part from a replica's identity: lower case, only [a-z0-9.-]. */
export function memberNamePart(identity: string): string {
  const cleaned = identity
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  return (cleaned || "replica").slice(0, 200);
}

export class ShardCoordinator {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;
  private readonly held = new Map<number, Held>();
  /** Each Lease's record as last seen (holder and renew time) and when, on this clock, it last changed. */
  private readonly seen = new Map<string, { holder: string; renewTime: string; view: LeaseView }>();

  constructor(private readonly options: ShardCoordinatorOptions) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.now = options.now ?? Date.now;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error("the renew deadline must be shorter than the lease duration");
    if (!Number.isInteger(options.shards) || options.shards < 1) throw new Error("shards must be at least 1");
  }

  /** The signal of this replica's term on shard k, while it holds it. */
  termOf(k: number): AbortSignal | undefined {
    const held = this.held.get(k);
    return held && !held.term.signal.aborted ? held.term.signal : undefined;
  }

  heldShards(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  shardLease(k: number): string {
    return `${this.options.prefix}-shard-${k}`;
  }

  private memberLease(): string {
    return `${this.options.prefix}-member-${memberNamePart(this.options.identity)}`;
  }

  /** Rounds every retry period until `signal` aborts; then gives every shard back and leaves. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.round(signal);
      } catch (err) {
        if (!signal.aborted) this.options.log?.warn({ error: (err as Error).message }, "shard round failed");
      }
      this.dropExpired();
      await sleep(this.retryPeriodMs, signal);
    }
    await this.leave();
  }

  /** One round: observe every Lease, renew membership and held shards, then take or give back one shard. */
  async round(signal: AbortSignal): Promise<void> {
    const listed = await this.options.client.list(LEASE_API, "Lease", {
      namespace: this.options.namespace,
      labelSelector: `${SHARD_LEASE_LABEL}=${this.options.prefix}`,
      signal,
    });
    const byName = new Map(listed.items.map((l) => [l.metadata.name ?? "", l]));
    for (const name of this.seen.keys()) if (!byName.has(name)) this.seen.delete(name); // deleted: a replica left
    for (const lease of listed.items) this.observe(lease);
    await this.forgetGoneMembers(signal);
    await this.write(this.memberLease(), byName.get(this.memberLease()), "member", signal);
    for (const k of this.heldShards()) {
      const lease = byName.get(this.shardLease(k));
      const holder = (lease as { spec?: LeaseSpec } | undefined)?.spec?.holderIdentity;
      if (!lease || holder !== this.options.identity) {
        this.stop(k, `the Lease ${this.shardLease(k)} is ${holder ? `held by ${holder}` : "not held"} now`);
        continue;
      }
      const renewed = await this.write(this.shardLease(k), lease, "shard", signal);
      const held = this.held.get(k);
      if (renewed && held) {
        held.lastRenewMs = this.now();
        byName.set(this.shardLease(k), renewed); // a release below must name the renewed resourceVersion
      }
    }
    const plan = planShards({
      shards: this.options.shards,
      identity: this.options.identity,
      nowMs: this.now(),
      leases: this.shardViews(),
      held: this.heldShards(),
      liveReplicas: this.liveReplicas(),
    });
    if (plan.release !== undefined) {
      const k = plan.release;
      this.stop(k, "more than a fair share: giving it to another replica");
      await this.releaseLease(byName.get(this.shardLease(k)));
    } else if (plan.acquire !== undefined) {
      const k = plan.acquire;
      if (await this.write(this.shardLease(k), byName.get(this.shardLease(k)), "shard", signal)) this.start(k);
    }
  }

  /** Memberships of replicas gone for ten Lease durations (killed, never released): deleted by whoever sees them. */
  private async forgetGoneMembers(signal: AbortSignal): Promise<void> {
    const prefix = `${this.options.prefix}-member-`;
    for (const [name, seen] of this.seen) {
      if (!name.startsWith(prefix) || name === this.memberLease()) continue;
      if (seen.view.changedAtMs + 10 * seen.view.durationMs > this.now()) continue;
      this.seen.delete(name);
      await this.options.client
        .delete({ apiVersion: LEASE_API, kind: "Lease", namespace: this.options.namespace, name }, { signal })
        .catch(() => false);
    }
  }

  private shardViews(): Map<number, LeaseView> {
    const views = new Map<number, LeaseView>();
    for (let k = 0; k < this.options.shards; k++) {
      const seen = this.seen.get(this.shardLease(k));
      if (seen) views.set(k, seen.view);
    }
    return views;
  }

  private liveReplicas(): number {
    const prefix = `${this.options.prefix}-member-`;
    let live = 1; // this one
    for (const [name, seen] of this.seen)
      if (name.startsWith(prefix) && name !== this.memberLease() && isLive(seen.view, this.now())) live++;
    return live;
  }

  private observe(lease: KubeObject): void {
    const spec = ((lease as { spec?: LeaseSpec }).spec ?? {}) as LeaseSpec;
    const name = lease.metadata.name ?? "";
    const holder = spec.holderIdentity ?? "";
    const renewTime = spec.renewTime ?? "";
    const before = this.seen.get(name);
    const changed = !before || before.holder !== holder || before.renewTime !== renewTime;
    const durationMs = spec.leaseDurationSeconds ? spec.leaseDurationSeconds * 1000 : this.leaseDurationMs;
    this.seen.set(name, {
      holder,
      renewTime,
      view: { holder, durationMs, changedAtMs: changed ? this.now() : (before?.view.changedAtMs ?? this.now()) },
    });
  }

  /** Creates, takes or renews a Lease for this replica: the Lease written, or undefined when another holds it or the write lost a race. */
  private async write(
    name: string,
    live: KubeObject | undefined,
    role: "member" | "shard",
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    const now = this.now();
    const { identity } = this.options;
    const previous = (live as { spec?: LeaseSpec } | undefined)?.spec;
    const spec = heldLeaseSpec(previous, identity, now, this.leaseDurationMs);
    try {
      if (!live) {
        const created = await this.options.client.create(
          {
            apiVersion: LEASE_API,
            kind: "Lease",
            metadata: {
              name,
              namespace: this.options.namespace,
              labels: { [SHARD_LEASE_LABEL]: this.options.prefix, "bosun.dev/lease-role": role },
            },
            spec,
          } as KubeObject,
          { signal },
        );
        this.observe(created.object);
        return created.object;
      }
      // Someone else's and alive (as this replica saw it): not this replica's to take.
      const seen = this.seen.get(name);
      if (previous?.holderIdentity && previous.holderIdentity !== identity && isLive(seen?.view, now)) return undefined;
      const updated = await this.options.client.update({ ...live, spec } as KubeObject, signal);
      this.observe(updated);
      return updated;
    } catch (err) {
      if (signal.aborted || lostLeaseRound(err)) return undefined;
      throw err;
    }
  }

  private start(k: number): void {
    const held: Held = { term: new AbortController(), lastRenewMs: this.now() };
    this.held.set(k, held);
    this.options.log?.info({ shard: k, identity: this.options.identity }, "holding shard");
    this.options.onStarted(k, held.term.signal);
  }

  private stop(k: number, why: string): void {
    const held = this.held.get(k);
    if (!held) return;
    this.held.delete(k);
    held.term.abort(new Error(`shard ${k}: ${why}`));
    this.options.log?.info({ shard: k, identity: this.options.identity, why }, "no longer holding shard");
    this.options.onStopped?.(k);
  }

  /** A shard not renewed within the renew deadline stops before any other replica may take it. */
  private dropExpired(): void {
    for (const [k, held] of this.held)
      if (this.now() - held.lastRenewMs >= this.renewDeadlineMs) this.stop(k, "could not renew within the deadline");
  }

  /** Empty holder, 1 s duration: another replica takes it at its next round. */
  private async releaseLease(live: KubeObject | undefined): Promise<void> {
    const spec = (live as { spec?: LeaseSpec } | undefined)?.spec;
    if (!live || spec?.holderIdentity !== this.options.identity) return;
    try {
      const updated = await this.options.client.update({
        ...live,
        spec: releasedLeaseSpec(spec, this.now()),
      } as KubeObject);
      this.observe(updated);
    } catch {
      // Not released: another replica takes it when it expires.
    }
  }

  /** Stopping: every shard given back at once, and this replica's membership removed. */
  private async leave(): Promise<void> {
    const names = this.heldShards().map((k) => this.shardLease(k));
    for (const k of this.heldShards()) this.stop(k, "stopping");
    const lease = (name: string) => ({ apiVersion: LEASE_API, kind: "Lease", namespace: this.options.namespace, name });
    await Promise.all(
      names.map(async (name) => this.releaseLease(await this.options.client.get(lease(name)).catch(() => undefined))),
    );
    await this.options.client.delete(lease(this.memberLease())).catch(() => false);
  }
}
