// Server-sent events: every open stream gets each change of the view of an Application it may see, as it happens.
import type { ServerResponse } from "node:http";

const HEARTBEAT_MS = 15_000;

/** Who a stream is for: which projects' Applications it may hear of, and the caller that opened it. */
export interface StreamAudience {
  /** Whether the stream may hear of an Application of this project. */
  sees: (project: string) => boolean;
  /** The caller's name (a named token's, or a built-in's). */
  caller?: string;
}

const EVERYONE: StreamAudience = { sees: () => true };

/** The open `text/event-stream` responses, and what is sent to each of them. */
export class EventStreams {
  private readonly streams = new Map<ServerResponse, StreamAudience>();
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
  open(res: ServerResponse, first: { event: string; data: unknown }, audience: StreamAudience = EVERYONE): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(format(first.event, first.data));
    this.streams.set(res, audience);
    res.on("close", () => this.streams.delete(res));
  }

  /** Sends an event to every stream whose audience `to` accepts (e.g. those that may hear of its project). */
  send(event: string, data: unknown, to: (audience: StreamAudience) => boolean): void {
    if (this.streams.size === 0) return;
    const text = format(event, data);
    for (const [res, audience] of this.streams) if (to(audience)) res.write(text);
  }

  /** Ends the streams whose audience `which` picks (those a revoked token opened); their clients may reconnect. */
  end(which: (audience: StreamAudience) => boolean): void {
    for (const [res, audience] of this.streams)
      if (which(audience)) {
        this.streams.delete(res);
        res.end();
      }
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
