// A notification: one Event bosun recorded on an Application, as every Notifier is told of it. Pure.
import { createHash } from "node:crypto";
import {
  type Application,
  type ApplicationSource,
  applicationSources,
  type EventReason,
  type NotificationEvent,
  rendersObjects,
} from "../../api/index.js";
import { redactUrl } from "../../source/index.js";
import type { AppNotice } from "../pass.js";

/** The Event reasons that are notified, and as what; the others are not. */
const EVENTS_BY_REASON: Partial<Record<EventReason, NotificationEvent>> = {
  SyncStarted: "SyncStarted",
  Synced: "SyncSucceeded",
  SyncFailed: "SyncFailed",
  HealthDegraded: "HealthDegraded",
  DriftDetected: "DriftDetected",
  RolledBack: "RolledBack",
  ClusterUnreachable: "ClusterUnreachable",
};

/** The notification event of an Event reason; undefined when that reason is not notified. */
export function notificationEventOf(reason: EventReason): NotificationEvent | undefined {
  return EVENTS_BY_REASON[reason];
}

export interface Notification {
  /** Deterministic from the notice: the same notice published twice is the same notification. */
  id: string;
  event: NotificationEvent;
  severity: "Normal" | "Warning";
  application: { namespace: string; name: string; project: string; uid: string };
  /** The commit it is about; absent when the Event names none. */
  revision?: string;
  /** The Event's message, masked as it was recorded. */
  message: string;
  /** When the Event was recorded (ISO 8601). */
  time: string;
  /** The Application's (primary) source, its URL without credentials. */
  source: { repoURL: string; path?: string };
  /** The Application's page on the dashboard, when the agent was told where the dashboard is. */
  url?: string;
}

/**
 * The Application's page on a dashboard served at `base` (`--dashboard-url`): the dashboard's own route,
 * `#/apps/NAMESPACE/NAME` (src/ui/hash-route.ts reads it; a test holds the two together).
 */
export function dashboardLink(base: string, app: { namespace: string; name: string }): string {
  const root = new URL(base);
  root.hash = "";
  return `${root.href}#/apps/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
}

function primarySource(app: Application): ApplicationSource | undefined {
  const sources = applicationSources(app);
  return app.spec.source ?? sources.find(rendersObjects) ?? sources[0];
}

/** The id of a notice: a hash of the Application's uid, the reason, the revision, the time and the message. */
export function noticeId(notice: AppNotice): string {
  const app = notice.app.metadata;
  const parts = [
    app.uid ?? `${app.namespace}/${app.name}`,
    notice.reason,
    notice.revision ?? "",
    notice.at,
    notice.message,
  ];
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

/** The notification of a notice; undefined when its reason is not notified. */
export function notificationOf(notice: AppNotice, options: { dashboardUrl?: string } = {}): Notification | undefined {
  const event = notificationEventOf(notice.reason);
  if (!event) return undefined;
  const { app } = notice;
  const source = primarySource(app);
  return {
    id: noticeId(notice),
    event,
    severity: notice.type,
    application: {
      namespace: app.metadata.namespace,
      name: app.metadata.name,
      project: app.spec.project || "default",
      uid: app.metadata.uid ?? "",
    },
    ...(notice.revision ? { revision: notice.revision } : {}),
    message: notice.message,
    time: notice.at,
    source: {
      repoURL: source ? redactUrl(source.repoURL) : "",
      ...(source?.path ? { path: source.path } : {}),
    },
    ...(options.dashboardUrl
      ? { url: dashboardLink(options.dashboardUrl, { namespace: app.metadata.namespace, name: app.metadata.name }) }
      : {}),
  };
}
