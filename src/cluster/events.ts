// Kubernetes Events, as `kubectl describe` and `kubectl get events` show them. Recording never fails the
// work it reports on: a failure goes to onError.
import { randomBytes } from "node:crypto";
import type { Application, EventReason, KubeObject } from "../api/index.js";
import type { KubeClient } from "./client.js";
import { apiErrorOf } from "./errors.js";

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

/** An Event this client created, by what makes two Events the same: where the next one adds to its count. */
interface Series {
  name: string;
  count: number;
}

/** Series remembered per client (the oldest forgotten first), as client-go's event correlator keeps an LRU. */
const MAX_SERIES = 4096;
const seriesByClient = new WeakMap<KubeClient, Map<string, Series>>();

function seriesOf(client: KubeClient): Map<string, Series> {
  let series = seriesByClient.get(client);
  if (!series) {
    series = new Map();
    seriesByClient.set(client, series);
  }
  return series;
}

function remember(series: Map<string, Series>, key: string, entry: Series): void {
  series.delete(key);
  series.set(key, entry);
  if (series.size > MAX_SERIES) series.delete(series.keys().next().value as string);
}

/**
 * Records an Event about `involved`. The same Event again (same object, type, reason, message and source)
 * raises the count and lastTimestamp of the one already recorded, as client-go's recorder does, instead of
 * making another; when that one is gone (Events expire), a new one starts at 1. Throws what the API server
 * answered.
 */
export async function recordEvent(
  client: KubeClient,
  involved: { apiVersion: string; kind: string; metadata: KubeObject["metadata"] },
  event: { type: EventType; reason: string; message: string },
  source: EventSource,
  signal?: AbortSignal,
): Promise<void> {
  const namespace = involved.metadata.namespace ?? "default";
  const now = new Date().toISOString();
  const message = event.message.length > MAX_MESSAGE ? `${event.message.slice(0, MAX_MESSAGE - 1)}…` : event.message;
  const { apiVersion, kind, metadata } = involved;
  const key = JSON.stringify([
    apiVersion,
    kind,
    namespace,
    metadata.name,
    metadata.uid,
    event.type,
    event.reason,
    message,
    source.component,
  ]);
  const series = seriesOf(client);
  const seen = series.get(key);
  if (seen) {
    try {
      const patch = { count: seen.count + 1, lastTimestamp: now };
      await client.mergePatch({ apiVersion: "v1", kind: "Event", namespace, name: seen.name }, patch, { signal });
      remember(series, key, { name: seen.name, count: seen.count + 1 });
      return;
    } catch (err) {
      if (!apiErrorOf(err)?.isNotFound) throw err;
      series.delete(key);
    }
  }
  const name = `${metadata.name ?? "object"}.${randomBytes(8).toString("hex")}`;
  await client.create(
    {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        apiVersion,
        kind,
        name: metadata.name,
        namespace,
        uid: metadata.uid,
        resourceVersion: metadata.resourceVersion,
      },
      reason: event.reason,
      message,
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
  remember(series, key, { name, count: 1 });
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
