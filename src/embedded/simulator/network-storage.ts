// Services get their cluster IP (and node ports) and LoadBalancers an address; Ingresses get the ingress
// controller's address; claims get bound.

import type { KubeObject } from "../../api/index.js";
import { BIND_ANNOTATIONS, boundStatus, needsBinding, volumeNameFor } from "./claim.js";
import type { SimContext } from "./context.js";
import { desiredSlice, sliceCurrent } from "./endpoint-slice.js";
import { isDeleting } from "./fields.js";
import { ingressStatus, loadBalancerStatus, takenLoadBalancerIps } from "./load-balancer.js";
import { allocatedSpec, takenBy } from "./service.js";
import { record } from "./workloads.js";
import { API_SERVER, CONTROLLER_MANAGER, INGRESS_CONTROLLER } from "./writer.js";

const SERVICE_CONTROLLER = { component: "service-controller" };

/** The Service's EndpointSlice: created, kept current with the Pods it selects, deleted when it selects none. */
function syncEndpointSlice(ctx: SimContext, svc: KubeObject): void {
  const namespace = svc.metadata.namespace ?? "";
  const pods = ctx.cache.all("Pod").filter((p) => p.metadata.namespace === namespace);
  const desired = desiredSlice(svc, pods);
  const owned = ctx.cache.ownedBy(svc.metadata.uid, "EndpointSlice");
  for (const stale of owned.filter((s) => s.metadata.name !== desired?.metadata.name))
    ctx.writer.delete("EndpointSlice", stale);
  if (!desired) return;
  const live = owned.find((s) => s.metadata.name === desired.metadata.name);
  if (!live) ctx.writer.create("EndpointSlice", desired, CONTROLLER_MANAGER);
  else if (!sliceCurrent(live, desired))
    ctx.writer.update(
      "EndpointSlice",
      live,
      { ...live, ...desired, metadata: { ...live.metadata, ...desired.metadata } },
      CONTROLLER_MANAGER,
    );
}

export function reconcileService(ctx: SimContext, namespace: string, name: string): number | undefined {
  const svc = ctx.cache.get("Service", namespace, name);
  if (!svc || isDeleting(svc)) return undefined;
  syncEndpointSlice(ctx, svc);
  const spec = allocatedSpec(svc, takenBy(ctx.cache.all("Service")));
  // The spec is written first; the change brings the Service back here for its load balancer.
  if (spec) {
    ctx.writer.update("Service", svc, { ...svc, spec }, API_SERVER);
    return undefined;
  }
  const status = loadBalancerStatus(svc, takenLoadBalancerIps(ctx.cache.all("Service")));
  if (!status) return undefined;
  const ensure = (reason: string, message: string) => ({
    involved: svc,
    type: "Normal" as const,
    reason,
    message,
    source: SERVICE_CONTROLLER,
  });
  record(ctx, [ensure("EnsuringLoadBalancer", "Ensuring load balancer")]);
  ctx.writer.status("Service", svc, status, CONTROLLER_MANAGER);
  record(ctx, [ensure("EnsuredLoadBalancer", "Ensured load balancer")]);
  return undefined;
}

export function reconcileIngress(ctx: SimContext, namespace: string, name: string): number | undefined {
  const ing = ctx.cache.get("Ingress", namespace, name);
  if (!ing || isDeleting(ing)) return undefined;
  const status = ingressStatus(ing);
  if (status) ctx.writer.status("Ingress", ing, status, INGRESS_CONTROLLER);
  return undefined;
}

export function reconcileClaim(ctx: SimContext, namespace: string, name: string): number | undefined {
  let claim = ctx.cache.get("PersistentVolumeClaim", namespace, name);
  if (!claim || isDeleting(claim)) return undefined;
  if (needsBinding(claim)) {
    const spec = { ...(claim.spec as Record<string, unknown>) };
    spec.volumeName ??= volumeNameFor(claim);
    const metadata = { ...claim.metadata, annotations: { ...claim.metadata.annotations, ...BIND_ANNOTATIONS } };
    ctx.writer.update("PersistentVolumeClaim", claim, { ...claim, metadata, spec }, CONTROLLER_MANAGER);
    claim = ctx.cache.get("PersistentVolumeClaim", namespace, name);
    if (!claim) return undefined;
  }
  ctx.writer.status("PersistentVolumeClaim", claim, boundStatus(claim), CONTROLLER_MANAGER);
  return undefined;
}
