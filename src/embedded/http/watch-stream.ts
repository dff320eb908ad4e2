// A watch over HTTP: newline-delimited JSON events, BOOKMARKs on an interval when asked for, ended by
// timeoutSeconds, by the client going away, or by the server stopping.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmbeddedApi } from "../core/embedded-api.js";
import type { WatchEvent } from "../core/reads.js";
import type { Target } from "../core/target.js";
import { toTable } from "./table.js";

export interface WatchStreamOptions {
  api: EmbeddedApi;
  target: Target;
  query: URLSearchParams;
  table: boolean;
  bookmarkIntervalMs: number;
  /** Fires when the server stops, so open watches end. */
  shutdown: AbortSignal;
}

/**
 * Encoded events, shared: every watcher of a change gets the same Buffer (written, not copied, to each
 * socket), so a large object watched N times is encoded once and held once while the sockets drain.
 * Watchers of one change are notified together, so a few recent entries are enough.
 */
const ENCODED_MAX = 32;
const encoded = new Map<string, Buffer>();

function encodedEvent(e: WatchEvent): Buffer {
  const meta = (e.object as { apiVersion?: string; metadata?: { uid?: string; resourceVersion?: string } }) ?? {};
  const uid = meta.metadata?.uid;
  const rv = meta.metadata?.resourceVersion;
  const key = uid && rv ? `${e.type}\0${meta.apiVersion}\0${uid}\0${rv}` : undefined;
  const cached = key ? encoded.get(key) : undefined;
  if (cached) return cached;
  const buffer = Buffer.from(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
  if (key && e.type !== "BOOKMARK" && e.type !== "ERROR") {
    encoded.set(key, buffer);
    if (encoded.size > ENCODED_MAX) encoded.delete(encoded.keys().next().value as string);
  }
  return buffer;
}

/** How much of an event is handed to a socket at a time: TLS encrypts what it is given, once per socket. */
const SLICE = 64 * 1024;

/**
 * Writes shared Buffers to one response in slices, each only once the socket has taken the one before, so a
 * watcher holds at most a slice of encrypted output beside references to the shared plaintext.
 */
class PacedWriter {
  private readonly queue: Buffer[] = [];
  private offset = 0;
  private waiting = false;

  constructor(private readonly res: ServerResponse) {
    res.on("drain", () => {
      this.waiting = false;
      this.pump();
    });
  }

  write(buffer: Buffer): void {
    this.queue.push(buffer);
    if (!this.waiting) this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.res.writableEnded) {
      const head = this.queue[0] as Buffer;
      const slice = head.subarray(this.offset, this.offset + SLICE);
      this.offset += slice.length;
      if (this.offset >= head.length) {
        this.queue.shift();
        this.offset = 0;
      }
      if (!this.res.write(slice)) {
        this.waiting = true;
        return;
      }
    }
  }
}

export function serveWatch(req: IncomingMessage, res: ServerResponse, options: WatchStreamOptions): void {
  const { api, target, query } = options;
  const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "1800");
  let stop: () => void = () => undefined;
  let bookmarks: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    stop();
    clearInterval(bookmarks);
    clearTimeout(timer);
    options.shutdown.removeEventListener("abort", end);
    if (!res.writableEnded) res.end();
  };
  const out = new PacedWriter(res);
  const write = (e: WatchEvent) => {
    if (res.writableEnded) return;
    if (options.table && e.type !== "ERROR" && e.type !== "BOOKMARK") {
      const table = toTable(target.type, [e.object as never], "", new Date());
      out.write(Buffer.from(`${JSON.stringify({ type: e.type, object: table })}\n`));
      return;
    }
    out.write(encodedEvent(e));
  };
  // Errors in the request itself (bad selector, bad version) throw here, before any header is sent.
  const pending: WatchEvent[] = [];
  let started = false;
  stop = api.watch(
    target,
    {
      resourceVersion: query.get("resourceVersion") ?? undefined,
      labelSelector: query.get("labelSelector") ?? undefined,
      fieldSelector: query.get("fieldSelector") ?? undefined,
      sendInitialEvents: query.get("sendInitialEvents") === "true",
    },
    (e) => {
      if (started) write(e);
      else pending.push(e);
    },
  );
  res.writeHead(200, {
    "content-type": "application/json",
    "cache-control": "no-cache, private",
    "transfer-encoding": "chunked",
  });
  started = true;
  res.flushHeaders();
  for (const e of pending) write(e);
  if (pending.some((e) => e.type === "ERROR")) {
    end();
    return;
  }
  if (query.get("allowWatchBookmarks") === "true") {
    bookmarks = setInterval(() => {
      write({
        type: "BOOKMARK",
        object: {
          kind: target.type.kind,
          apiVersion: target.type.group ? `${target.type.group}/${target.version}` : target.version,
          metadata: { resourceVersion: String(api.store.revision()) },
        },
      });
    }, options.bookmarkIntervalMs);
  }
  if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) timer = setTimeout(end, timeoutSeconds * 1000);
  req.on("close", end);
  req.on("error", end);
  res.on("close", end);
  res.on("error", end);
  options.shutdown.addEventListener("abort", end, { once: true });
}
