// core/Service. Only a LoadBalancer Service waits for something: the cloud (or MetalLB, …) to give it an
// address. Every other type works as soon as it exists.
import type { Health, KubeObject } from "../../api/index.js";
import { str } from "../fields.js";
import { healthy, type KindRule, progressing } from "../rule.js";
import { loadBalancerAddresses } from "./load-balancer-status.js";

export function serviceHealth(obj: KubeObject): Health {
  const type = str(obj, "spec", "type") ?? "ClusterIP";
  if (type === "LoadBalancer") {
    const addresses = loadBalancerAddresses(obj);
    if (addresses.length === 0)
      return progressing("Waiting for a load balancer to be provisioned (status.loadBalancer.ingress is empty)");
    return healthy(`Load balancer ready at ${addresses.join(", ")}`);
  }
  if (type === "ExternalName") return healthy(`ExternalName Service for ${str(obj, "spec", "externalName") ?? "?"}`);
  const clusterIP = str(obj, "spec", "clusterIP");
  if (clusterIP === "None") return healthy("Headless Service");
  return healthy(clusterIP ? `${type} Service at ${clusterIP}` : `${type} Service`);
}

export const serviceRule: KindRule = { group: "", kind: "Service", tracksGeneration: false, check: serviceHealth };
