// GET over HTTP(S) for chart repositories and OCI registries: a CA and client certificate per request (the
// repository's, from its Secret), redirects followed with the Authorization header dropped when they leave
// the origin, a size limit on the body and a time limit on the whole exchange.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

export interface TlsMaterial {
  /** PEM of the CA(s) the server's certificate must chain to, instead of the system's. */
  caCert?: string;
  /** PEM client certificate and key, for servers that ask for one. */
  clientCert?: string;
  clientKey?: string;
}

export interface HttpGetOptions {
  headers?: Record<string, string>;
  tls?: TlsMaterial;
  /** The body may be at most this many bytes (the request fails beyond). */
  maxBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The exchange failed before any HTTP status: DNS, connection, TLS, timeout, size. */
export class HttpTransportError extends Error {
  override readonly name = "HttpTransportError";
  constructor(
    readonly kind: "unreachable" | "tls" | "timeout" | "too-large" | "redirects",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MAX_REDIRECTS = 5;
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpResponse> {
  let current = new URL(url);
  let headers = { ...options.headers };
  const origin = current.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await once(current, headers, options);
    const location = response.headers.location;
    if (response.status < 300 || response.status >= 400 || response.status === 304 || location === undefined) {
      return response;
    }
    const next = new URL(location, current);
    if (next.protocol !== "https:" && next.protocol !== "http:") {
      throw new HttpTransportError("redirects", `redirect to an unsupported scheme ${next.protocol}`);
    }
    if (current.protocol === "https:" && next.protocol === "http:") {
      throw new HttpTransportError("redirects", `refused a redirect from https to plain http (${next.host})`);
    }
    // Credentials are for the repository's own origin only (blob stores hand out signed URLs).
    if (next.origin !== origin) {
      const { authorization: _dropped, Authorization: _alsoDropped, ...rest } = headers;
      headers = rest;
    }
    current = next;
  }
  throw new HttpTransportError("redirects", `more than ${MAX_REDIRECTS} redirects from ${url}`);
}

function once(url: URL, headers: Record<string, string>, options: HttpGetOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    const tls = options.tls ?? {};
    const common = { method: "GET", headers: { "user-agent": "bosun", ...headers }, signal };
    const onResponse = (res: IncomingMessage) => {
      const declared = Number(res.headers["content-length"] ?? "0");
      if (declared > options.maxBytes) {
        res.destroy();
        reject(tooLarge(url, options.maxBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          res.destroy();
          reject(tooLarge(url, options.maxBytes));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (err) => reject(transportError(err, url, signal, options.signal)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    };
    const req =
      url.protocol === "https:"
        ? httpsRequest(
            url,
            {
              ...common,
              ...(tls.caCert ? { ca: tls.caCert } : {}),
              ...(tls.clientCert ? { cert: tls.clientCert } : {}),
              ...(tls.clientKey ? { key: tls.clientKey } : {}),
            },
            onResponse,
          )
        : httpRequest(url, common, onResponse);
    req.on("error", (err) => reject(transportError(err, url, signal, options.signal)));
    req.end();
  });
}

function tooLarge(url: URL, maxBytes: number): HttpTransportError {
  return new HttpTransportError("too-large", `${url.host}${url.pathname} is larger than ${maxBytes} bytes`);
}

function transportError(err: Error, url: URL, signal: AbortSignal, callerSignal: AbortSignal): Error {
  if (callerSignal.aborted) return callerSignal.reason instanceof Error ? callerSignal.reason : err;
  if (signal.aborted) return new HttpTransportError("timeout", `${url.host} did not answer in time`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code ?? "";
  if (TLS_CODES.test(code)) {
    return new HttpTransportError("tls", `TLS with ${url.host} failed: ${code}`, { cause: err });
  }
  return new HttpTransportError("unreachable", `${url.host}: ${code || err.message}`, { cause: err });
}
