// What the API server's allocators give a Service: a cluster IP from 10.96.0.0/12 (not for headless
// `clusterIP: None` or ExternalName Services) and node ports from 30000-32767 for NodePort and
// LoadBalancer Services. The embedded defaults (core/defaults.ts) leave these out, so the simulator fills
// them in right after the Service is created.

import type { KubeObject } from "../../api/index.js";
import { cloneJson, isRecord, type JsonRecord } from "../../api/index.js";
import { arr, num, str } from "./fields.js";
import { stableNumber } from "./template-hash.js";

const RANGE_START = (10 << 24) | (96 << 16); // 10.96.0.0
const RANGE_SIZE = 1 << 20; // /12
const NODE_PORT_MIN = 30000;
const NODE_PORT_COUNT = 2768;

function ipString(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join(".");
}

function needsClusterIP(svc: KubeObject): boolean {
  const type = str(svc, "spec", "type") ?? "ClusterIP";
  if (type === "ExternalName") return false;
  const ip = str(svc, "spec", "clusterIP");
  return ip === undefined || ip === "";
}

function needsNodePorts(svc: KubeObject): boolean {
  const type = str(svc, "spec", "type") ?? "ClusterIP";
  if (type !== "NodePort" && type !== "LoadBalancer") return false;
  return arr(svc, "spec", "ports").some((p) => num(p, "nodePort") === undefined);
}

function headlessWithoutFamilies(svc: KubeObject): boolean {
  return str(svc, "spec", "clusterIP") === "None" && arr(svc, "spec", "clusterIPs").length === 0;
}

/** A free address of the range, probing from a point chosen by `seed` (.0 and 10.96.0.1, the API server's, are skipped). */
export function allocateClusterIP(used: ReadonlySet<string>, seed: string): string {
  const start = stableNumber(seed) % RANGE_SIZE;
  for (let i = 0; i < RANGE_SIZE; i++) {
    const offset = (start + i) % RANGE_SIZE;
    if (offset < 2 || offset === RANGE_SIZE - 1) continue;
    const ip = ipString(RANGE_START + offset);
    if (!used.has(ip)) return ip;
  }
  throw new Error("the service IP range 10.96.0.0/12 is full");
}

function allocateNodePort(used: Set<number>, seed: string): number {
  const start = stableNumber(seed) % NODE_PORT_COUNT;
  for (let i = 0; i < NODE_PORT_COUNT; i++) {
    const port = NODE_PORT_MIN + ((start + i) % NODE_PORT_COUNT);
    if (!used.has(port)) {
      used.add(port);
      return port;
    }
  }
  throw new Error("the node port range 30000-32767 is full");
}

/** Addresses and node ports taken by these Services. */
export function takenBy(services: readonly KubeObject[]): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const svc of services) {
    for (const ip of arr(svc, "spec", "clusterIPs")) if (typeof ip === "string") ips.add(ip);
    const ip = str(svc, "spec", "clusterIP");
    if (ip) ips.add(ip);
    for (const p of arr(svc, "spec", "ports")) {
      const port = num(p, "nodePort");
      if (port !== undefined) ports.add(port);
    }
  }
  return { ips, ports };
}

/** The Service's spec with what the allocators add, or undefined when it lacks nothing. */
export function allocatedSpec(
  svc: KubeObject,
  taken: { ips: Set<string>; ports: Set<number> },
): JsonRecord | undefined {
  if (!needsClusterIP(svc) && !needsNodePorts(svc) && !headlessWithoutFamilies(svc)) return undefined;
  const spec = cloneJson(isRecord(svc.spec) ? svc.spec : {});
  const seed = svc.metadata.uid ?? `${svc.metadata.namespace}/${svc.metadata.name}`;
  if (needsClusterIP(svc)) {
    const ip = allocateClusterIP(taken.ips, seed);
    taken.ips.add(ip);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    spec.ipFamilies ??= ["IPv4"];
    spec.ipFamilyPolicy ??= "SingleStack";
  } else if (headlessWithoutFamilies(svc)) {
    spec.clusterIPs ??= ["None"];
    spec.ipFamilies ??= ["IPv4"];
    spec.ipFamilyPolicy ??= "SingleStack";
  }
  if (needsNodePorts(svc)) {
    spec.ports = arr(spec, "ports").map((p) =>
      isRecord(p) && num(p, "nodePort") === undefined
        ? { ...p, nodePort: allocateNodePort(taken.ports, `${seed}/${str(p, "name") ?? num(p, "port")}`) }
        : p,
    );
    spec.externalTrafficPolicy ??= "Cluster";
  }
  return spec;
}
