// Kubernetes Events on SealedSecrets, with Bitnami's reasons (Unsealed, ErrUnsealFailed, ErrUpdateFailed).
// Messages are built from errors that carry no values; recording never fails a reconcile.
import { randomBytes } from "node:crypto";
import type { KubeObject } from "../../api/index.js";
import type { KubeClient } from "../../cluster/index.js";

export type SealedSecretEventReason = "Unsealed" | "ErrUnsealFailed" | "ErrUpdateFailed";

const MAX_MESSAGE = 1024;
/** Bitnami's event source component, kept so existing event filters still match. */
export const EVENT_COMPONENT = "sealed-secrets";

export async function recordEvent(
  client: KubeClient,
  object: KubeObject,
  event: { type: "Normal" | "Warning"; reason: SealedSecretEventReason; message: string },
  signal?: AbortSignal,
): Promise<void> {
  const namespace = object.metadata.namespace ?? "default";
  const now = new Date().toISOString();
  const message = event.message.length > MAX_MESSAGE ? `${event.message.slice(0, MAX_MESSAGE - 1)}…` : event.message;
  await client.rest.request({
    method: "POST",
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    body: {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${object.metadata.name ?? "sealedsecret"}.${randomBytes(8).toString("hex")}`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid,
        resourceVersion: object.metadata.resourceVersion,
      },
      reason: event.reason,
      message,
      type: event.type,
      source: { component: EVENT_COMPONENT },
      reportingComponent: "bosun.dev/sealed-secrets-controller",
      reportingInstance: "bosun",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    },
    signal,
  });
}
