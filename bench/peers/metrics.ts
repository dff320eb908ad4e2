// Request counts for the fleet benchmark read from Prometheus metrics, the same way for every GitOps tool:
// the API server's apiserver_request_total (every client, watches included) and a Go controller's own
// rest_client_requests_total, plus a process's CPU and memory from /proc.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { KubeClient } from "../../src/cluster/index.js";

export type Counts = Map<string, number>;

/** Sums the samples of one counter by the value of one label (e.g. by verb), from the text format. */
export function sumBy(text: string, metric: string, label: string): Counts {
  const out: Counts = new Map();
  const labelRe = new RegExp(`[{,]${label}="([^"]*)"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${metric}{`)) continue;
    const key = labelRe.exec(line)?.[1] ?? "?";
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) out.set(key, (out.get(key) ?? 0) + value);
  }
  return out;
}

export function diff(after: Counts, before: Counts): Counts {
  const out: Counts = new Map();
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) out.set(k, v - (before.get(k) ?? 0));
  return out;
}

export function add(...all: Counts[]): Counts {
  const out: Counts = new Map();
  for (const counts of all) for (const [k, v] of counts) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

export const totalOf = (c: Counts): number => [...c.values()].reduce((a, b) => a + b, 0);

export const describeCounts = (c: Counts): string =>
  [...c]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

/**
 * apiserver_request_total by verb: every client's requests (controllers, kwok, the bench), watches too.
 * Empty where the server has no such metrics (the embedded target).
 */
export async function apiServerRequests(client: KubeClient): Promise<Counts> {
  try {
    const res = await client.rest.stream({ path: "/metrics" });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return sumBy(Buffer.concat(chunks).toString("utf8"), "apiserver_request_total", "verb");
  } catch {
    return new Map();
  }
}

/** A Go controller's own requests by HTTP method (client-go's rest_client_requests_total) from its metrics. */
export async function controllerRequests(metricsUrl: string): Promise<Counts> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5000) });
  return sumBy(await res.text(), "rest_client_requests_total", "method");
}

let clockTicks: number | undefined;

/** CPU seconds (user + system) a live process has used, from /proc/PID/stat. */
export function cpuSeconds(pid: number | string): number {
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** CPU seconds by thread name (main, V8 workers, libuv's pool, …) of a live process, from /proc/PID/task. */
export function cpuSecondsByThread(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim().replace(/\d+$/, "");
      byName.set(name, (byName.get(name) ?? 0) + cpuSeconds(`${pid}/task/${tid}`));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** Resident memory of a live process in MiB: now (VmRSS) or its peak so far (VmHWM). */
export function rssMiB(pid: number, which: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`^${which}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
