// The server's event stream, read with fetch() so the token travels in the Authorization header (an
// EventSource cannot send one, and a token in a URL ends up in logs). Reconnects with backoff.

export interface ServerEvent {
  event: string;
  data: string;
}

/**
 * Splits a `text/event-stream` body, fed in chunks of any size, into its events. Lines end in LF or
 * CRLF (bosun writes LF); comments (`: keep-alive`) and the `id`/`retry` fields are ignored.
 */
export class EventStreamParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  push(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    const lines = this.buffer.split("\n");
    // The last piece has no line end yet: keep it for the next chunk.
    this.buffer = lines.pop() ?? "";
    const events: ServerEvent[] = [];
    for (const raw of lines) {
      const event = this.line(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return undefined;
  }

  private dispatch(): ServerEvent | undefined {
    const event = this.data.length > 0 ? { event: this.event || "message", data: this.data.join("\n") } : undefined;
    this.event = "";
    this.data = [];
    return event;
  }
}

/** How long to wait before reconnect number `attempt` (0-based): 1 s doubling to 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempt, 15));
}

export type StreamState = "connecting" | "live" | "retrying";

export interface StreamOptions {
  url: string;
  token: string;
  signal: AbortSignal;
  onEvent: (event: ServerEvent) => void;
  onState: (state: StreamState) => void;
  /** The token was refused: the stream stops. */
  onUnauthorized: () => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Reads one connection to its end; "unauthorized" when the token was refused. */
async function readOnce(options: StreamOptions, onOpen: () => void): Promise<"ended" | "unauthorized"> {
  const res = await fetch(options.url, {
    headers: { authorization: `Bearer ${options.token}`, accept: "text/event-stream" },
    cache: "no-store",
    signal: options.signal,
  });
  if (res.status === 401) return "unauthorized";
  if (!res.ok || !res.body) throw new Error(`the event stream answered ${res.status}`);
  onOpen();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return "ended";
    for (const event of parser.push(decoder.decode(value, { stream: true }))) options.onEvent(event);
  }
}

/** Follows the stream until the signal aborts or the token is refused, reconnecting after each loss. */
export async function followEventStream(options: StreamOptions): Promise<void> {
  let attempt = 0;
  while (!options.signal.aborted) {
    options.onState(attempt === 0 ? "connecting" : "retrying");
    try {
      const outcome = await readOnce(options, () => {
        attempt = 0;
        options.onState("live");
      });
      if (outcome === "unauthorized") {
        options.onUnauthorized();
        return;
      }
    } catch {
      // A lost connection or a server that is restarting: try again after the backoff.
    }
    if (options.signal.aborted) return;
    options.onState("retrying");
    await sleep(reconnectDelayMs(attempt), options.signal);
    attempt++;
  }
}
