// Kubernetes Events on SealedSecrets, with Bitnami's reasons (Unsealed, ErrUnsealFailed, ErrUpdateFailed).
// Messages are built from errors that carry no values; recording never fails a reconcile.
import type { KubeObject } from "../../api/index.js";
import { recordEvent as createEvent, type KubeClient } from "../../cluster/index.js";

export type SealedSecretEventReason = "Unsealed" | "ErrUnsealFailed" | "ErrUpdateFailed";

/** Bitnami's event source component, kept so existing event filters still match. */
export const EVENT_COMPONENT = "sealed-secrets";

export async function recordEvent(
  client: KubeClient,
  object: KubeObject,
  event: { type: "Normal" | "Warning"; reason: SealedSecretEventReason; message: string },
  signal?: AbortSignal,
): Promise<void> {
  await createEvent(
    client,
    object,
    event,
    { component: EVENT_COMPONENT, reportingComponent: "bosun.dev/sealed-secrets-controller" },
    signal,
  );
}
