// The `webhook` Notifier: a versioned JSON body, signed with HMAC-SHA256 as GitHub signs its webhooks. Pure.
import { createHmac } from "node:crypto";
import { NOTIFICATION_BODY_VERSION } from "../../api/index.js";
import type { Notification } from "./notification.js";
import { type OutgoingRequest, USER_AGENT } from "./outgoing.js";

/** The body a webhook receiver gets (README, "Notifications"): its shape is `apiVersion`'s contract. */
export interface WebhookBody {
  apiVersion: typeof NOTIFICATION_BODY_VERSION;
  id: string;
  event: Notification["event"];
  severity: Notification["severity"];
  application: { namespace: string; name: string; project: string };
  revision: string | null;
  message: string;
  time: string;
  source: { repoURL: string; path: string | null };
  /** The Application's page on the dashboard; null when the agent has no `--dashboard-url`. */
  url: string | null;
}

/** The JSON text posted: exactly the bytes the signature covers. */
export function webhookBody(n: Notification): string {
  const body: WebhookBody = {
    apiVersion: NOTIFICATION_BODY_VERSION,
    id: n.id,
    event: n.event,
    severity: n.severity,
    application: { namespace: n.application.namespace, name: n.application.name, project: n.application.project },
    revision: n.revision ?? null,
    message: n.message,
    time: n.time,
    source: { repoURL: n.source.repoURL, path: n.source.path ?? null },
    url: n.url ?? null,
  };
  return JSON.stringify(body);
}

/** `sha256=<hex HMAC-SHA256 of body under key>`: the X-Bosun-Signature header. */
export function webhookSignature(body: string, key: string): string {
  return `sha256=${createHmac("sha256", key).update(body, "utf8").digest("hex")}`;
}

/** The POST to the receiver; signed when a key is given. */
export function webhookRequest(address: string, n: Notification, key: string | undefined): OutgoingRequest {
  const body = webhookBody(n);
  return {
    url: address,
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": USER_AGENT,
      "X-Bosun-Event": n.event,
      "X-Bosun-Delivery": n.id,
      ...(key !== undefined ? { "X-Bosun-Signature": webhookSignature(body, key) } : {}),
    },
    body,
  };
}
