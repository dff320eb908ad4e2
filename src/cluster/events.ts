import { randomBytes } from "node:crypto";
import type { Application, EventReason } from "../api/index.js";
import type { KubeClient } from "./client.js";

export type EventType = "Normal" | "Warning";

/** Records Kubernetes Events on an Application, as `kubectl describe` shows them. Never fails a reconcile. */
export interface EventRecorder {
  record(app: Application, type: EventType, reason: EventReason, message: string): Promise<void>;
}

const MAX_MESSAGE = 1024;

export class KubeEventRecorder implements EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  async record(app: Application, type: EventType, reason: EventReason, message: string): Promise<void> {
    const now = new Date().toISOString();
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${app.metadata.name}.${randomBytes(8).toString("hex")}`, namespace: app.metadata.namespace },
      involvedObject: {
        apiVersion: app.apiVersion,
        kind: app.kind,
        name: app.metadata.name,
        namespace: app.metadata.namespace,
        uid: app.metadata.uid,
        resourceVersion: app.metadata.resourceVersion,
      },
      reason,
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
      type,
      source: { component: "bosun" },
      reportingComponent: "bosun.dev/agent",
      reportingInstance: "bosun",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.client.rest.request({
        method: "POST",
        path: `/api/v1/namespaces/${encodeURIComponent(app.metadata.namespace)}/events`,
        body: event,
      });
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
