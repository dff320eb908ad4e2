// Server-sent events: every open stream gets each change of an Application's view, as it happens.
import type { ServerResponse } from "node:http";

const HEARTBEAT_MS = 15_000;

/** Which Applications a stream may hear of (a project-scoped token hears of its project's only). */
export type StreamFilter = (app: { namespace: string; name: string; project?: string }) => boolean;

/** The open `text/event-stream` responses, and what is sent to each of them. */
export class EventStreams {
  private readonly streams = new Map<ServerResponse, StreamFilter>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps proxies from closing an idle stream.
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Starts a stream on res with a first event; it ends when the client goes or close() is called. */
  open(res: ServerResponse, first: { event: string; data: unknown }, filter: StreamFilter = () => true): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(format(first.event, first.data));
    this.streams.set(res, filter);
    res.on("close", () => this.streams.delete(res));
  }

  /** Sends an event about one Application to every stream that may hear of it. */
  send(event: string, data: unknown, about: Parameters<StreamFilter>[0]): void {
    if (this.streams.size === 0) return;
    const text = format(event, data);
    for (const [res, filter] of this.streams) if (filter(about)) res.write(text);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.streams.keys()) res.end();
    this.streams.clear();
  }

  private write(text: string): void {
    for (const res of this.streams.keys()) res.write(text);
  }
}

export function format(event: string, data: unknown): string {
  // JSON has no raw newlines, so one data line per event is enough.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
