// Kubernetes Events, as `kubectl describe` and `kubectl get events` show them. Recording never fails the
// work it reports on: a failure goes to onError.
import { randomBytes } from "node:crypto";
import type { Application, EventReason, KubeObject } from "../api/index.js";
import type { KubeClient } from "./client.js";

export type EventType = "Normal" | "Warning";

/** Records Events on an Application. */
export interface EventRecorder {
  record(app: Application, type: EventType, reason: EventReason, message: string): Promise<void>;
}

const MAX_MESSAGE = 1024;

/** Who reports an Event: `source.component` (what event filters match) and the reporting controller. */
export interface EventSource {
  component: string;
  reportingComponent: string;
}

/** Creates one Event about `involved`. Throws what the API server answered. */
export async function recordEvent(
  client: KubeClient,
  involved: { apiVersion: string; kind: string; metadata: KubeObject["metadata"] },
  event: { type: EventType; reason: string; message: string },
  source: EventSource,
  signal?: AbortSignal,
): Promise<void> {
  const namespace = involved.metadata.namespace ?? "default";
  const now = new Date().toISOString();
  const { message } = event;
  await client.create(
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${involved.metadata.name ?? "object"}.${randomBytes(8).toString("hex")}`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason: event.reason,
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
      type: event.type,
      source: { component: source.component },
      reportingComponent: source.reportingComponent,
      reportingInstance: "bosun",
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    },
    { signal },
  );
}

const AGENT_SOURCE: EventSource = { component: "bosun", reportingComponent: "bosun.dev/agent" };

export class KubeEventRecorder implements EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  async record(app: Application, type: EventType, reason: EventReason, message: string): Promise<void> {
    try {
      await recordEvent(this.client, app, { type, reason, message }, AGENT_SOURCE);
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
