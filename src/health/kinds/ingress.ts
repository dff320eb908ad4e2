// networking.k8s.io/Ingress. As in Argo CD, an Ingress is Progressing until an ingress controller has
// written the address it serves it at. (Some controllers never write one; such Ingresses stay Progressing:
// in the last wave the sync is done and the Application stays Progressing; a later wave waits on it until
// the timeout, rather than trusting a false Healthy.)
import type { Health, KubeObject } from "../../api/index.js";
import { str } from "../fields.js";
import { healthy, type KindRule, progressing } from "../rule.js";
import { loadBalancerAddresses } from "./load-balancer-status.js";

export function ingressHealth(obj: KubeObject): Health {
  const addresses = loadBalancerAddresses(obj);
  if (addresses.length === 0) {
    const className = str(obj, "spec", "ingressClassName");
    const by = className ? ` (ingressClassName ${className})` : "";
    return progressing(
      `Waiting for an ingress controller${by} to assign an address (status.loadBalancer.ingress is empty)`,
    );
  }
  return healthy(`Served at ${addresses.join(", ")}`);
}

export const ingressRule: KindRule = {
  group: "networking.k8s.io",
  kind: "Ingress",
  tracksGeneration: false,
  check: ingressHealth,
};
