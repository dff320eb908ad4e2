// The Notifier resource (bosun.dev/v1alpha1): where bosun tells what happened to Applications (a signed
// webhook, Slack, or commit statuses on GitHub, GitLab or Gitea). Honoured only in the agent's namespace.
import { GROUP } from "./names.js";
import type { NamespacedMeta } from "./object.js";

export const NOTIFIER_API_VERSION = `${GROUP}/v1alpha1`;
export const NOTIFIER_KIND = "Notifier";
export const NOTIFIER_PLURAL = "notifiers";

/** What a Notifier delivers to. */
export const NOTIFIER_TYPES = ["webhook", "slack", "github", "gitlab", "gitea"] as const;
export type NotifierType = (typeof NOTIFIER_TYPES)[number];

/** What a Notifier can be told of; each comes from an Event bosun records on an Application. */
export const NOTIFICATION_EVENTS = [
  "SyncStarted",
  "SyncSucceeded",
  "SyncFailed",
  "HealthDegraded",
  "DriftDetected",
  "RolledBack",
  "ClusterUnreachable",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** The `apiVersion` of the JSON body a `webhook` Notifier posts; a change that breaks receivers bumps it. */
export const NOTIFICATION_BODY_VERSION = "bosun.dev/notification/v1";

export interface NotifierSpec {
  type: NotifierType;
  /**
   * webhook, slack: the URL posted to (slack: or the Secret's `address` key). github, gitlab, gitea: the API's
   * base URL (https://api.github.com and https://gitlab.com by default; required for gitea).
   */
  address?: string;
  /**
   * A Secret in the agent's namespace: the API token (github, gitlab, gitea), the HMAC key that signs the
   * body (webhook), or the incoming-webhook URL (slack). `key` defaults to `token` (`address` for slack).
   */
  secretRef?: { name: string; key?: string };
  /** The events delivered; all when absent or empty. */
  events?: NotificationEvent[];
  /** Globs over `NAMESPACE/NAME` or `NAME` of Applications; all when absent or empty. */
  applications?: string[];
  /** Deliver nothing while true (what happens meanwhile is not delivered later). */
  suspend?: boolean;
}

/** The last delivery a Notifier made (or gave up on). */
export interface NotifierDelivery {
  /** The notification's id (the webhook's X-Bosun-Delivery). */
  id: string;
  event: NotificationEvent;
  /** NAMESPACE/NAME of the Application. */
  application: string;
  /** When it ended. */
  time: string;
  /** Delivered; Failed (given up after `attempts`); Interrupted (the agent stopped while sending; not resent). */
  result: "Delivered" | "Failed" | "Interrupted";
  attempts: number;
  /** Why it failed (never a credential). */
  message?: string;
}

export interface NotifierCondition {
  type: "Ready";
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface NotifierStatus {
  observedGeneration?: number;
  conditions?: NotifierCondition[];
  lastDelivery?: NotifierDelivery;
  /** The last delivery that failed or was interrupted. */
  lastFailure?: NotifierDelivery;
  /** Deliveries made, given up on, and cut short by a stop of the agent (not resent), since it was created. */
  delivered?: number;
  failed?: number;
  interrupted?: number;
}

export interface Notifier {
  apiVersion: typeof NOTIFIER_API_VERSION;
  kind: typeof NOTIFIER_KIND;
  metadata: NamespacedMeta;
  spec: NotifierSpec;
  status?: NotifierStatus;
}
