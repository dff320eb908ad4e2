import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, retryAfterMs } from "./backoff.js";
import type { ClusterConfig } from "./config.js";
import { ApiError, ConnectionError, type KubeStatus } from "./errors.js";
import { abortableSleep, TokenBucket } from "./rate-limit.js";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const CONTENT_TYPES = {
  json: "application/json",
  apply: "application/apply-patch+yaml",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  jsonPatch: "application/json-patch+json",
} as const;

export interface RestRequest {
  method: Method;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export interface RestResponse<T> {
  code: number;
  body: T;
}

/** Observes every finished request (for metrics): verb, final status code (0 when no answer), attempts. */
export type RequestObserver = (info: {
  /** The API server asked (the agent talks to several clusters). */
  server: string;
  method: Method;
  path: string;
  query: RestRequest["query"];
  code: number;
  attempts: number;
  durationMs: number;
}) => void;

/**
 * Who requests are made as, through Kubernetes impersonation (the caller must be allowed to `impersonate`).
 * A service account's groups need not be given: the API server adds them.
 */
export interface Impersonation {
  user: string;
  groups?: readonly string[];
}

/** The user name Kubernetes gives a service account. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export interface RestClientOptions {
  /** Client-side rate limit, as client-go: 50 requests a second, bursts of 100. */
  qps?: number;
  burst?: number;
  /** Retries after the first attempt for 429, 5xx and connection errors. */
  retries?: number;
  backoff?: BackoffPolicy;
  observe?: RequestObserver;
  impersonate?: Impersonation;
  /**
   * Each attempt of a request (not a watch stream) is abandoned after this long, a connection error like
   * any other: a server that accepts connections and never answers must not hold the caller forever.
   */
  requestTimeoutMs?: number;
}

/** What the views of one client share: the rate limit and the pooled connections. */
interface Transport {
  bucket: TokenBucket;
  /**
   * The server paces its clients itself (API Priority and Fairness answered): without a qps set, the
   * client-side limit is off from then on and 429 + Retry-After pace the client (as controller-runtime).
   */
  serverPaces: boolean;
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

const RETRYABLE_NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
]);
const IDEMPOTENT: ReadonlySet<Method> = new Set(["GET", "PUT", "PATCH", "DELETE"]);

function buildQuery(query: RestRequest["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

function parseStatus(text: string): KubeStatus | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && (parsed as { kind?: unknown }).kind === "Status")
      return parsed as KubeStatus;
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/**
 * A small REST client for the Kubernetes API: JSON in and out, a token-bucket rate limit, and retries with
 * backoff and jitter on 429, 5xx and connection errors that honour Retry-After. Non-idempotent requests
 * (POST) are retried only when the server cannot have acted on them (429, connection refused).
 */
/**
 * Idle connections stay open this long. Node's global agent closes them after 5 s, so an agent that
 * reconciles every few seconds paid a TLS handshake (and a new secure context) for nearly every request.
 */
const IDLE_CONNECTION_MS = 60_000;

export class RestClient {
  private readonly transport: Transport;
  private readonly retries: number;
  private readonly backoff: BackoffPolicy;

  constructor(
    readonly config: ClusterConfig,
    private readonly options: RestClientOptions = {},
    shared?: Transport,
  ) {
    this.transport = shared ?? {
      bucket: new TokenBucket(options.qps ?? 50, options.burst ?? 100),
      serverPaces: false,
      httpAgent: new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
      // TLS material still comes with each request: the agent pools connections per CA, certificate and key.
      httpsAgent: new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS }),
    };
    this.retries = options.retries ?? 5;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Who this client's requests are made as; undefined for the configured identity itself. */
  get impersonation(): Impersonation | undefined {
    return this.options.impersonate;
  }

  /** A view of this client whose requests are made as `who`; it shares the rate limit and the connections. */
  impersonating(who: Impersonation): RestClient {
    return new RestClient(this.config, { ...this.options, impersonate: who }, this.transport);
  }

  async request<T>(req: RestRequest): Promise<RestResponse<T>> {
    const started = Date.now();
    let attempt = 0;
    for (;;) {
      await this.paced(req.signal);
      try {
        const res = await this.once(req);
        if (res.code < 400) {
          this.options.observe?.({
            server: this.config.server,
            method: req.method,
            path: req.path,
            query: req.query,
            code: res.code,
            attempts: attempt + 1,
            durationMs: Date.now() - started,
          });
          return { code: res.code, body: (res.text ? JSON.parse(res.text) : undefined) as T };
        }
        const retryable = res.code === 429 || (res.code >= 500 && IDEMPOTENT.has(req.method) && res.code !== 501);
        if (!retryable || attempt >= this.retries) {
          this.options.observe?.({
            server: this.config.server,
            method: req.method,
            path: req.path,
            query: req.query,
            code: res.code,
            attempts: attempt + 1,
            durationMs: Date.now() - started,
          });
          throw this.apiError(req, res.code, res.text);
        }
        const hinted = retryAfterMs(res.retryAfter, Date.now(), this.backoff.maxMs);
        await abortableSleep(hinted ?? backoffDelay(attempt, this.backoff), req.signal);
      } catch (err) {
        if (err instanceof ApiError || req.signal?.aborted) throw err;
        const code = (err as NodeJS.ErrnoException).code ?? "";
        const retryable = RETRYABLE_NETWORK.has(code) && (IDEMPOTENT.has(req.method) || code === "ECONNREFUSED");
        if (!retryable || attempt >= this.retries) {
          this.options.observe?.({
            server: this.config.server,
            method: req.method,
            path: req.path,
            query: req.query,
            code: 0,
            attempts: attempt + 1,
            durationMs: Date.now() - started,
          });
          throw new ConnectionError(
            `${req.method} ${this.config.server}${req.path}: ${(err as Error).message}`,
            this.config.server,
            { cause: err },
          );
        }
        await abortableSleep(backoffDelay(attempt, this.backoff), req.signal);
      }
      attempt++;
    }
  }

  /** Opens a streaming GET (a watch) and returns the response once headers arrived; errors as request(). */
  async stream(req: Omit<RestRequest, "method" | "body">): Promise<IncomingMessage> {
    await this.paced(req.signal);
    const res = await this.send({ ...req, method: "GET" });
    if ((res.statusCode ?? 0) >= 400) {
      const text = await readAll(res);
      throw this.apiError({ ...req, method: "GET" }, res.statusCode ?? 0, text);
    }
    return res;
  }

  private apiError(req: RestRequest, code: number, text: string): ApiError {
    const status = parseStatus(text);
    const message = status?.message ?? (text.trim().slice(0, 500) || `HTTP ${code}`);
    return new ApiError(code, status?.reason ?? "", req.method, req.path, message, status);
  }

  /** Whether requests wait for the client-side limit (off once the server paces, unless a qps was set). */
  get clientSideLimit(): boolean {
    return !(this.transport.serverPaces && this.options.qps === undefined);
  }

  /** The client-side limit: 50 requests a second (burst 100) unless set, off when the server paces itself. */
  private async paced(signal: AbortSignal | undefined): Promise<void> {
    if (this.clientSideLimit) await this.transport.bucket.take(signal);
  }

  private async once(req: RestRequest): Promise<{ code: number; text: string; retryAfter?: string }> {
    const limit = this.options.requestTimeoutMs;
    if (limit !== undefined) {
      const timeout = AbortSignal.timeout(limit);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      try {
        return await this.answer({ ...req, signal });
      } catch (err) {
        if (!timeout.aborted || req.signal?.aborted) throw err;
        throw Object.assign(new Error(`no answer within ${limit} ms`), { code: "ETIMEDOUT" });
      }
    }
    return await this.answer(req);
  }

  private async answer(req: RestRequest): Promise<{ code: number; text: string; retryAfter?: string }> {
    const res = await this.send(req);
    if (res.headers["x-kubernetes-pf-flowschema-uid"]) this.transport.serverPaces = true;
    const text = await readAll(res);
    const retryAfter = res.headers["retry-after"];
    return { code: res.statusCode ?? 0, text, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter };
  }

  /**
   * Sends a request; one the server refused (401) is sent once more when the credentials turn out to have
   * changed (a rotated token), whatever the method: the server acts on nothing it could not authenticate.
   */
  private async send(req: RestRequest): Promise<IncomingMessage> {
    const res = await this.sendOnce(req);
    if (res.statusCode !== 401 || !(await this.config.refreshCredentials?.())) return res;
    res.resume();
    return await this.sendOnce(req);
  }

  private async sendOnce(req: RestRequest): Promise<IncomingMessage> {
    const url = new URL(`${this.config.server}${req.path}${buildQuery(req.query)}`);
    const base: RequestOptions = await this.config.requestOptions();
    const payload =
      req.body === undefined ? undefined : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string | string[]> = {
      ...(base.headers as Record<string, string> | undefined),
      accept: "application/json",
      "user-agent": "bosun",
    };
    const who = this.options.impersonate;
    if (who) {
      headers["impersonate-user"] = who.user;
      if (who.groups?.length) headers["impersonate-group"] = [...who.groups];
    }
    if (payload !== undefined) {
      headers["content-type"] = req.contentType ?? CONTENT_TYPES.json;
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    const plain = url.protocol === "http:";
    const send = plain ? httpRequest : httpsRequest;
    const agent = plain ? this.transport.httpAgent : this.transport.httpsAgent;
    return await new Promise((resolve, reject) => {
      const r = send(url, { ...base, agent, method: req.method, headers, signal: req.signal }, resolve);
      r.on("error", reject);
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
