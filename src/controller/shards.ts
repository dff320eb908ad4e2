// Sharding Applications across replicas: which shard an Application is in, and what one replica does next
// with the shard Leases it sees. Pure: the I/O is in shard-coordinator.ts.

/** An Application pins itself to a shard with this annotation (an integer from 0 to shards - 1). */
export const SHARD_ANNOTATION = "bosun.dev/shard";

/** FNV-1a, 32 bits: stable across processes and versions (unlike a language's own string hash). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export interface ShardedObject {
  metadata: { namespace?: string; name?: string; annotations?: Record<string, string> };
}

/** The pinned shard when the annotation names a valid one; else the hash of namespace/name. */
export function shardOf(app: ShardedObject, shards: number): number {
  const pinned = app.metadata.annotations?.[SHARD_ANNOTATION];
  if (pinned !== undefined && /^\d+$/.test(pinned.trim())) {
    const k = Number(pinned.trim());
    if (k < shards) return k;
  }
  return fnv1a32(`${app.metadata.namespace ?? ""}/${app.metadata.name ?? ""}`) % shards;
}

/** Why an Application's shard annotation is not used, or undefined (absent or valid). */
export function shardAnnotationProblem(app: ShardedObject, shards: number): string | undefined {
  const pinned = app.metadata.annotations?.[SHARD_ANNOTATION];
  if (pinned === undefined) return undefined;
  if (/^\d+$/.test(pinned.trim()) && Number(pinned.trim()) < shards) return undefined;
  return `${SHARD_ANNOTATION}: ${JSON.stringify(pinned)} is not a shard from 0 to ${shards - 1}; the hash of its name decides`;
}

/** The most shards one replica should hold: an even split over the replicas alive. */
export function fairShare(shards: number, liveReplicas: number): number {
  return Math.ceil(shards / Math.max(1, liveReplicas));
}

/** A Lease as one replica last saw it: who holds it and when (on this replica's clock) its record last changed. */
export interface LeaseView {
  holder: string;
  changedAtMs: number;
  durationMs: number;
}

/** Held and renewed: its holder changed the record within the Lease's duration (as observed here). */
export function isLive(view: LeaseView | undefined, nowMs: number): boolean {
  return view !== undefined && view.holder !== "" && view.changedAtMs + view.durationMs > nowMs;
}

export interface ShardPlanInput {
  shards: number;
  identity: string;
  nowMs: number;
  /** The shard Leases by shard number; absent when the Lease does not exist yet. */
  leases: ReadonlyMap<number, LeaseView>;
  /** Shards this replica holds and renews. */
  held: readonly number[];
  /** Replicas alive, this one included. */
  liveReplicas: number;
}

/** What to do this round: give up one shard above the fair share, or take one free shard below it. */
export function planShards(input: ShardPlanInput): { release?: number; acquire?: number } {
  const target = fairShare(input.shards, input.liveReplicas);
  const held = [...input.held].sort((a, b) => a - b);
  if (held.length > target) return { release: held[held.length - 1] };
  if (held.length >= target) return {};
  // Start where this replica's name points, so replicas starting together reach for different shards.
  const start = fnv1a32(input.identity) % input.shards;
  for (let i = 0; i < input.shards; i++) {
    const k = (start + i) % input.shards;
    if (held.includes(k)) continue;
    const view = input.leases.get(k);
    if (!view || view.holder === input.identity || !isLive(view, input.nowMs)) return { acquire: k };
  }
  return {};
}
