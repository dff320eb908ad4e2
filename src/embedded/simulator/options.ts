// What the workload simulator can be told, and its defaults.

import type { Clock } from "../core/clock.js";

export interface SimulatorOptions {
  /** The one simulated Node every pod runs on. Default "bosun-node". */
  nodeName?: string;
  /** How long a pod stays Pending (containers being created) before it runs and is Ready. Default 1000. */
  podReadyDelayMs?: number;
  /**
   * How long a pod annotated `bosun.dev/simulate: slow` runs before it becomes Ready (after it started).
   * Default 10 × podReadyDelayMs.
   */
  slowPodReadyDelayMs?: number;
  /** How long a Job's pod runs before it succeeds. Default 2000. */
  jobDurationMs?: number;
  /**
   * The first crash-loop back-off (a crashing container restarts after it, then after twice as long, …,
   * up to maxCrashLoopBackOffMs); also the Job controller's back-off before it replaces a failed pod.
   * Default 2000 (the kubelet's is 10 s; simulated time runs faster).
   */
  crashLoopBackOffMs?: number;
  /** Default 20000 (the kubelet's is 5 min). */
  maxCrashLoopBackOffMs?: number;
  /** The cluster's notion of now (timestamps, deadlines). Waits still run on real timers. */
  clock?: Clock;
  /** Failures of the simulated controllers (never fatal). Default: a process warning. */
  onError?: (err: Error) => void;
}

export interface SimulatorSettings {
  nodeName: string;
  podReadyDelayMs: number;
  slowPodReadyDelayMs: number;
  jobDurationMs: number;
  crashLoopBackOffMs: number;
  maxCrashLoopBackOffMs: number;
}

export const DEFAULT_NODE_NAME = "bosun-node";

export function simulatorSettings(options: SimulatorOptions = {}): SimulatorSettings {
  const podReadyDelayMs = options.podReadyDelayMs ?? 1000;
  const crashLoopBackOffMs = options.crashLoopBackOffMs ?? 2000;
  return {
    nodeName: options.nodeName ?? DEFAULT_NODE_NAME,
    podReadyDelayMs,
    slowPodReadyDelayMs: options.slowPodReadyDelayMs ?? 10 * podReadyDelayMs,
    jobDurationMs: options.jobDurationMs ?? 2000,
    crashLoopBackOffMs,
    maxCrashLoopBackOffMs: Math.max(crashLoopBackOffMs, options.maxCrashLoopBackOffMs ?? 20_000),
  };
}

/** The back-off before restart number `restarts + 1`: the first, doubled per restart, capped. */
export function crashLoopBackOff(settings: SimulatorSettings, restarts: number): number {
  const doubled = settings.crashLoopBackOffMs * 2 ** Math.max(0, Math.min(restarts - 1, 30));
  return Math.min(doubled, settings.maxCrashLoopBackOffMs);
}
