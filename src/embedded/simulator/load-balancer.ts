// What a cloud's load balancer controller and an ingress controller write: a LoadBalancer Service gets an
// address of 198.51.100.0/24 (TEST-NET-2, documentation only: never routed), an Ingress gets the
// simulated ingress controller's address, 198.51.100.1. Pure: the statuses to write.

import type { JsonRecord, KubeObject } from "../../api/index.js";
import { arr, str } from "./fields.js";
import { stableNumber } from "./template-hash.js";

export const INGRESS_CONTROLLER_IP = "198.51.100.1";
const LB_PREFIX = "198.51.100.";
/** .2 to .254: .0, .1 (the ingress controller) and .255 are not handed out. */
const LB_FIRST = 2;
const LB_COUNT = 253;

function ingressIps(obj: KubeObject): string[] {
  return arr(obj, "status", "loadBalancer", "ingress").flatMap((i) => {
    const ip = str(i, "ip");
    return ip ? [ip] : [];
  });
}

/** Addresses LoadBalancer Services already hold. */
export function takenLoadBalancerIps(services: readonly KubeObject[]): Set<string> {
  return new Set(services.flatMap(ingressIps));
}

/** The status of a LoadBalancer Service that has no address yet, or undefined. */
export function loadBalancerStatus(svc: KubeObject, taken: ReadonlySet<string>): JsonRecord | undefined {
  if (str(svc, "spec", "type") !== "LoadBalancer" || ingressIps(svc).length > 0) return undefined;
  // A loadBalancerClass names another implementation: the default controller leaves the Service alone.
  if (str(svc, "spec", "loadBalancerClass") !== undefined) return undefined;
  const start = stableNumber(svc.metadata.uid ?? `${svc.metadata.namespace}/${svc.metadata.name}`) % LB_COUNT;
  for (let i = 0; i < LB_COUNT; i++) {
    const ip = `${LB_PREFIX}${LB_FIRST + ((start + i) % LB_COUNT)}`;
    if (!taken.has(ip))
      return { ...((svc.status as JsonRecord | undefined) ?? {}), loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } };
  }
  return undefined;
}

/**
 * The classes the simulated ingress controller serves, beside Ingresses that name none (it is the default
 * class): those of the controllers charts most often name.
 */
export const SERVED_INGRESS_CLASSES: readonly string[] = ["nginx", "traefik", "bosun"];

/** The status of an Ingress the simulated controller serves but has not published its address on, or undefined. */
export function ingressStatus(ing: KubeObject): JsonRecord | undefined {
  const className = str(ing, "spec", "ingressClassName") ?? ing.metadata.annotations?.["kubernetes.io/ingress.class"];
  if (className !== undefined && !SERVED_INGRESS_CLASSES.includes(className)) return undefined;
  if (ingressIps(ing).includes(INGRESS_CONTROLLER_IP)) return undefined;
  return { loadBalancer: { ingress: [{ ip: INGRESS_CONTROLLER_IP }] } };
}
