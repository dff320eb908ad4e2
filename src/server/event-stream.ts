// Server-sent events: every open stream gets each change of an Application's view, as it happens.
import type { ServerResponse } from "node:http";

const HEARTBEAT_MS = 15_000;

/** The open `text/event-stream` responses, and what is sent to all of them. */
export class EventStreams {
  private readonly streams = new Set<ServerResponse>();
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
  open(res: ServerResponse, first: { event: string; data: unknown }): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(format(first.event, first.data));
    this.streams.add(res);
    res.on("close", () => this.streams.delete(res));
  }

  send(event: string, data: unknown): void {
    if (this.streams.size > 0) this.write(format(event, data));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private write(text: string): void {
    for (const res of this.streams) res.write(text);
  }
}

export function format(event: string, data: unknown): string {
  // JSON has no raw newlines, so one data line per event is enough.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
