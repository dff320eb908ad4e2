// What every reconciler of the simulator works with: the cache, the writer, the settings and the time.

import type { ObjectCache } from "./cache.js";
import type { SimulatorSettings } from "./options.js";
import type { ClusterWriter } from "./writer.js";

export interface SimContext {
  cache: ObjectCache;
  writer: ClusterWriter;
  settings: SimulatorSettings;
  /** The cluster clock, in ms since the epoch (timestamps, deadlines). */
  now(): number;
  /** The cluster clock as the API server stamps it. */
  stamp(): string;
  /** Real elapsed time in ms (how long a simulated pod has been starting). */
  elapsed(): number;
  /** Per pod uid: the kubelet stage it is in and since when (elapsed ms). */
  stages: Map<string, { key: string; since: number }>;
}

/** A reconciler looks at one object; it returns in how many ms to look again, if it should. */
export type Reconciler = (ctx: SimContext, namespace: string, name: string) => number | undefined;

/** Milliseconds from now until `at` (cluster clock), or undefined. */
export function delayUntil(ctx: SimContext, at: number | undefined): number | undefined {
  return at === undefined ? undefined : Math.max(0, at - ctx.now());
}
