// The one simulated Node: registered Ready, as a kubelet registers itself, with addresses pods report as
// their hostIP. Pod IPs come from the node's pod CIDR, derived from the pod's uid.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { stableNumber } from "./template-hash.js";

export const NODE_IP = "10.89.0.2";
export const POD_CIDR = "10.244.0.0/16";
const KUBELET_VERSION = "v1.36.3";

export function nodeObject(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": "bosun-simulated",
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: { podCIDR: POD_CIDR, podCIDRs: [POD_CIDR] },
  };
}

const RESOURCES = { cpu: "8", "ephemeral-storage": "100Gi", memory: "32Gi", pods: "250" };

function condition(type: string, status: string, reason: string, message: string, now: string): JsonRecord {
  return { type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message };
}

/** The status a kubelet reports for a healthy node. */
export function nodeStatus(name: string, now: string): JsonRecord {
  return {
    capacity: RESOURCES,
    allocatable: RESOURCES,
    conditions: [
      condition(
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
        now,
      ),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status (simulated by bosun)", now),
    ],
    addresses: [
      { type: "InternalIP", address: NODE_IP },
      { type: "Hostname", address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      architecture: "amd64",
      bootID: "",
      containerRuntimeVersion: "bosun-simulated://1.0.0",
      kernelVersion: "bosun-simulated",
      kubeProxyVersion: KUBELET_VERSION,
      kubeletVersion: KUBELET_VERSION,
      machineID: "",
      operatingSystem: "linux",
      osImage: "bosun simulated node",
      systemUUID: "",
    },
    phase: "Running",
  };
}

/** Whether a node's Ready condition is True. */
export function nodeIsReady(node: KubeObject | undefined): boolean {
  const status = node?.status as { conditions?: unknown } | undefined;
  const list = Array.isArray(status?.conditions) ? status.conditions : [];
  return list.some((c) => typeof c === "object" && c !== null && c.type === "Ready" && c.status === "True");
}

/** A pod's IP in the node's pod CIDR, stable for its uid (10.244.0.0/16, never .0 or .255 in the last octet). */
export function podIPFor(uid: string): string {
  const n = stableNumber(uid);
  return `10.244.${(n >>> 8) & 0xff}.${1 + (n % 254)}`;
}
