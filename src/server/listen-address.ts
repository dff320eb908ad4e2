// Where the HTTP server listens, from `--listen`. Pure.

export const DEFAULT_LISTEN = "127.0.0.1:8080";
const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_PORT = 8080;

/** `HOST:PORT`, `[IPV6]:PORT`, `HOST` (port 8080), `:PORT` or `PORT` (127.0.0.1); undefined when malformed. */
export function parseListenAddress(value: string): { host: string; port: number } | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return portOk(DEFAULT_HOST, Number(text));
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*))(?::(\d+))?$/.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? "";
  return portOk(host === "" ? DEFAULT_HOST : host, match[3] === undefined ? DEFAULT_PORT : Number(match[3]));
}

function portOk(host: string, port: number): { host: string; port: number } | undefined {
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? { host, port } : undefined;
}
