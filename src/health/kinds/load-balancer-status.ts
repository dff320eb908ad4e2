// status.loadBalancer.ingress, shared by Services of type LoadBalancer and Ingresses.
import type { KubeObject } from "../../api/index.js";
import { list, str } from "../fields.js";

/** The addresses (IP or hostname) in status.loadBalancer.ingress, in order. */
export function loadBalancerAddresses(obj: KubeObject): string[] {
  return list(obj, "status", "loadBalancer", "ingress")
    .map((entry) => str(entry, "ip") ?? str(entry, "hostname"))
    .filter((address): address is string => address !== undefined && address !== "");
}
