// Services get their cluster IP (and node ports); claims get bound.

import { BIND_ANNOTATIONS, boundStatus, needsBinding, volumeNameFor } from "./claim.js";
import type { SimContext } from "./context.js";
import { isDeleting } from "./fields.js";
import { allocatedSpec, takenBy } from "./service.js";
import { API_SERVER, CONTROLLER_MANAGER } from "./writer.js";

export function reconcileService(ctx: SimContext, namespace: string, name: string): number | undefined {
  const svc = ctx.cache.get("Service", namespace, name);
  if (!svc || isDeleting(svc)) return undefined;
  const spec = allocatedSpec(svc, takenBy(ctx.cache.all("Service")));
  if (spec) ctx.writer.update("Service", svc, { ...svc, spec }, API_SERVER);
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
