// Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does it: a
// candidate takes the Lease when it is free or its holder has not renewed it for leaseDuration (measured
// on the candidate's own clock, from when it last saw the record change, so clocks need not agree), the
// holder renews every retryPeriod and gives up leading when it could not renew for renewDeadline (before
// any other candidate may take the Lease), and a holder that stops releases the Lease so a standby takes
// over at once. Every write is conditional on the Lease's resourceVersion.

import type { KubeObject } from "../api/index.js";
import { apiErrorOf, type KubeClient } from "../cluster/index.js";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  /** The Lease's name (`bosun-agent`). */
  name: string;
  /** Who this candidate is: the Pod's name, or host and PID outside a Pod. */
  identity: string;
  /** client-go's defaults: 15 s, 10 s, 2 s. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Leading began; `leading` aborts the moment leadership is lost or given up. */
  onStartedLeading: (leading: AbortSignal) => void;
  /** Leading ended (lost, or released at stop). */
  onStoppedLeading?: () => void;
  /** Someone (maybe this candidate) holds the Lease now. */
  onNewLeader?: (identity: string) => void;
  now?: () => number;
}

/** A Lease time as the API server's MicroTime wants it: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Whether a candidate may take the Lease now: it is free, its own, or not renewed for its duration. */
export function mayAcquire(
  spec: LeaseSpec,
  identity: string,
  observedAtMs: number,
  nowMs: number,
  leaseDurationMs: number,
): boolean {
  if (!spec.holderIdentity || spec.holderIdentity === identity) return true;
  const duration = spec.leaseDurationSeconds ? spec.leaseDurationSeconds * 1000 : leaseDurationMs;
  return observedAtMs + duration <= nowMs;
}

/**
 * The record a candidate writes to take or renew a Lease, as client-go writes it: the acquire time kept while
 * it holds the Lease, a transition counted when the holder changes (also after a release).
 */
export function heldLeaseSpec(
  previous: LeaseSpec | undefined,
  identity: string,
  nowMs: number,
  leaseDurationMs: number,
): LeaseSpec {
  const same = previous?.holderIdentity === identity;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
    acquireTime: same && previous?.acquireTime ? previous.acquireTime : microTime(nowMs),
    renewTime: microTime(nowMs),
    leaseTransitions: (previous?.leaseTransitions ?? 0) + (previous && !same ? 1 : 0),
  };
}

/** The record a holder writes when it stops: no holder, a 1 s duration, so another takes the Lease at once. */
export function releasedLeaseSpec(previous: LeaseSpec, nowMs: number): LeaseSpec {
  return { ...previous, holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime(nowMs) };
}

/** A Lease write that lost a race (409) or got no answer: this round fails, the renew deadline decides. */
export function lostLeaseRound(err: unknown): boolean {
  const code = apiErrorOf(err)?.code;
  return code === 409 || code === undefined || code >= 500;
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;
  /** The record as last seen, and when (this candidate's clock) it last changed. */
  private observed: LeaseSpec | undefined;
  private observedAt = 0;
  private leading: AbortController | undefined;
  private lastHolder: string | undefined;

  constructor(private readonly options: LeaderElectionOptions) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.now = options.now ?? Date.now;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error("the renew deadline must be shorter than the lease duration");
  }

  get isLeader(): boolean {
    return this.leading !== undefined && !this.leading.signal.aborted;
  }

  /** Campaigns, leads, and campaigns again after a loss, until `signal` aborts; then releases the Lease if held. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!this.isLeader) {
        if (await this.tryAcquireOrRenew(signal)) this.startLeading();
        else await sleep(this.retryPeriodMs, signal);
        continue;
      }
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) break;
      await this.renew(signal);
    }
    await this.release();
  }

  /** Renews until it succeeds or the renew deadline passes (then leading stops). */
  private async renew(signal: AbortSignal): Promise<void> {
    const deadline = this.now() + this.renewDeadlineMs;
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal)) return;
      if (this.now() >= deadline) {
        this.stopLeading();
        return;
      }
      await sleep(Math.min(this.retryPeriodMs, Math.max(0, deadline - this.now())), signal);
    }
  }

  private startLeading(): void {
    this.leading = new AbortController();
    this.options.onStartedLeading(this.leading.signal);
  }

  private stopLeading(): void {
    if (!this.leading) return;
    this.leading.abort(new Error("leadership lost"));
    this.leading = undefined;
    this.options.onStoppedLeading?.();
  }

  private address() {
    return {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      namespace: this.options.namespace,
      name: this.options.name,
    };
  }

  /** One round: take or renew the Lease; false when another holds it or a write lost a race. */
  async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.now();
    const { identity } = this.options;
    const desired = (previous?: LeaseSpec): LeaseSpec => heldLeaseSpec(previous, identity, now, this.leaseDurationMs);
    try {
      const live = await this.options.client.get(this.address(), signal);
      if (!live) {
        const created = await this.options.client.create(
          {
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { name: this.options.name, namespace: this.options.namespace },
            spec: desired(),
          } as KubeObject,
          { signal },
        );
        this.observe(created.object);
        return true;
      }
      this.observe(live);
      const spec = this.observed ?? {};
      if (!mayAcquire(spec, identity, this.observedAt, now, this.leaseDurationMs)) return false;
      const updated = await this.options.client.update({ ...live, spec: desired(spec) } as KubeObject, signal);
      this.observe(updated);
      return true;
    } catch (err) {
      if (signal.aborted || lostLeaseRound(err)) return false;
      throw err;
    }
  }

  private observe(lease: KubeObject): void {
    const spec = ((lease as { spec?: LeaseSpec }).spec ?? {}) as LeaseSpec;
    const changed =
      !this.observed ||
      this.observed.holderIdentity !== spec.holderIdentity ||
      this.observed.renewTime !== spec.renewTime;
    if (changed) this.observedAt = this.now();
    this.observed = spec;
    const holder = spec.holderIdentity ?? "";
    if (holder !== this.lastHolder) {
      this.lastHolder = holder;
      if (holder) this.options.onNewLeader?.(holder);
    }
  }

  /** Gives the Lease up (a holder stopping): empty holder, 1 s duration, so a standby takes it at once. */
  private async release(): Promise<void> {
    if (!this.isLeader) return;
    this.stopLeading();
    try {
      const live = await this.options.client.get(this.address());
      const spec = ((live as { spec?: LeaseSpec } | undefined)?.spec ?? {}) as LeaseSpec;
      if (!live || spec.holderIdentity !== this.options.identity) return;
      await this.options.client.update({
        ...live,
        spec: releasedLeaseSpec(spec, this.now()),
      } as KubeObject);
    } catch {
      // Not released: the standby takes over when the Lease expires.
    }
  }
}
