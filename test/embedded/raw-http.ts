// Plain HTTPS requests to the embedded server, for asserting status codes and bodies exactly.

import { request } from "node:https";
import { createInterface } from "node:readline";
import type { EmbeddedServer } from "../../src/embedded/index.js";

export interface RawResponse {
  code: number;
  body: unknown;
  text: string;
}

export interface RawOptions {
  body?: unknown;
  contentType?: string;
  token?: string | null;
  accept?: string;
}

export function raw(
  server: EmbeddedServer,
  method: string,
  path: string,
  options: RawOptions = {},
): Promise<RawResponse> {
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    accept: options.accept ?? "application/json",
    "user-agent": "raw-test/1.0",
  };
  const token = options.token === undefined ? server.token : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers["content-type"] = options.contentType ?? "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers, ca: server.certificate }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ code: res.statusCode ?? 0, body, text });
      });
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface WatchLine {
  type: string;
  object: unknown;
}

/** Opens a watch and collects its events until `until` says stop (or the server ends it). */
export function watchLines(
  server: EmbeddedServer,
  path: string,
  until: (events: WatchLine[]) => boolean,
  onOpen?: () => void,
): Promise<WatchLine[]> {
  return new Promise((resolve, reject) => {
    const events: WatchLine[] = [];
    const req = request(
      `${server.url}${path}`,
      { headers: { authorization: `Bearer ${server.token}` }, ca: server.certificate },
      (res) => {
        res.on("error", () => undefined);
        const lines = createInterface({ input: res });
        lines.on("error", () => undefined);
        onOpen?.();
        lines.on("line", (line) => {
          if (!line.trim()) return;
          events.push(JSON.parse(line) as WatchLine);
          if (until(events)) {
            req.destroy();
            resolve(events);
          }
        });
        res.on("end", () => resolve(events));
      },
    );
    req.on("error", (err) => (req.destroyed ? resolve(events) : reject(err)));
    req.end();
  });
}

/** Reads a dotted path (`metadata.name`, `items.0.metadata.name`) from a JSON value. */
export function at(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split(".")) {
    if (Array.isArray(node)) node = node[Number(part)];
    else if (typeof node === "object" && node !== null) node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}
