// The pull side of the OCI distribution API, as far as charts need it: list tags, read a manifest, read a
// blob, each verified against its digest. Authenticates as registries ask (WWW-Authenticate): HTTP basic,
// or a bearer token from the registry's token service for the repository's pull scope.
import { createHash } from "node:crypto";
import { FetchError } from "./errors.js";
import { type HttpResponse, HttpTransportError, httpGet, type TlsMaterial } from "./http-get.js";

export interface RegistryAuth {
  username?: string;
  password?: string;
}

export interface OciRepositoryRef {
  protocol: "https:" | "http:";
  host: string;
  repository: string;
  display: string;
}

export interface OciManifest {
  digest: string;
  config?: { mediaType?: string };
  layers: Array<{ mediaType: string; digest: string; size: number }>;
}

export const HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
export const HELM_CHART_CONFIG = "application/vnd.cncf.helm.config.v1+json";
const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TAGS_PAGES = 100;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface OciClientOptions {
  auth?: RegistryAuth;
  tls?: TlsMaterial;
  timeoutMs: number;
}

export class OciClient {
  /** Bearer tokens by scope; a registry answering Basic never has one. */
  readonly #tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly options: OciClientOptions) {}

  async tags(ref: OciRepositoryRef, signal: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${ref.repository}/tags/list?n=1000`;
    for (let page = 0; path !== undefined && page < MAX_TAGS_PAGES; page++) {
      const res = await this.#get(ref, path, { accept: "application/json", maxBytes: MAX_MANIFEST_BYTES }, signal);
      const body = parseJson(res.body, `${ref.display} tags`) as { tags?: unknown };
      if (Array.isArray(body.tags)) for (const t of body.tags) if (typeof t === "string") tags.push(t);
      const link = res.headers.link;
      path = nextPage(Array.isArray(link) ? link[0] : link);
    }
    return tags;
  }

  async manifest(ref: OciRepositoryRef, reference: string, signal: AbortSignal): Promise<OciManifest> {
    const res = await this.#get(
      ref,
      `/v2/${ref.repository}/manifests/${encodeURIComponent(reference)}`,
      { accept: MANIFEST_TYPES.join(", "), maxBytes: MAX_MANIFEST_BYTES },
      signal,
    );
    const digest = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    const declared = res.headers["docker-content-digest"];
    if (typeof declared === "string" && DIGEST.test(declared) && declared !== digest) {
      throw new FetchError(ref.display, "other", `the manifest of ${reference} does not match its digest ${declared}`);
    }
    if (reference.startsWith("sha256:") && reference !== digest) {
      throw new FetchError(ref.display, "other", `the manifest ${reference} does not match its digest`);
    }
    const body = parseJson(res.body, `${ref.display} manifest`) as { config?: unknown; layers?: unknown };
    const layers = Array.isArray(body.layers)
      ? body.layers.flatMap((l: unknown) => {
          const { mediaType, digest: d, size } = (l ?? {}) as Record<string, unknown>;
          return typeof mediaType === "string" && typeof d === "string" && DIGEST.test(d)
            ? [{ mediaType, digest: d, size: typeof size === "number" ? size : 0 }]
            : [];
        })
      : [];
    const configType = (body.config as { mediaType?: unknown } | undefined)?.mediaType;
    return { digest, layers, ...(typeof configType === "string" ? { config: { mediaType: configType } } : {}) };
  }

  /** A blob, verified against its digest. */
  async blob(ref: OciRepositoryRef, digest: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
    if (!DIGEST.test(digest)) throw new FetchError(ref.display, "other", `unsupported digest ${digest}`);
    const res = await this.#get(ref, `/v2/${ref.repository}/blobs/${digest}`, { maxBytes }, signal);
    const actual = `sha256:${createHash("sha256").update(res.body).digest("hex")}`;
    if (actual !== digest) throw new FetchError(ref.display, "other", `blob ${digest} arrived as ${actual}`);
    return res.body;
  }

  async #get(
    ref: OciRepositoryRef,
    path: string,
    options: { accept?: string; maxBytes: number },
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const url = `${ref.protocol}//${ref.host}${path}`;
    const scope = `repository:${ref.repository}:pull`;
    const send = async (authorization: string | undefined) =>
      await this.#request(ref, url, { ...options, ...(authorization ? { authorization } : {}) }, signal);
    const cached = this.#tokens.get(`${ref.host} ${scope}`);
    let res = await send(cached && cached.until > Date.now() ? `Bearer ${cached.token}` : undefined);
    if (res.status === 401) {
      const challenge = String(res.headers["www-authenticate"] ?? "");
      res = await send(await this.#authorization(ref, challenge, scope, signal));
    }
    if (res.status === 200) return res;
    throw statusError(ref, res, path);
  }

  async #request(
    ref: OciRepositoryRef,
    url: string,
    options: { accept?: string; authorization?: string; maxBytes: number },
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (options.accept) headers.accept = options.accept;
    if (options.authorization) headers.authorization = options.authorization;
    try {
      return await httpGet(url, {
        headers,
        maxBytes: options.maxBytes,
        timeoutMs: this.options.timeoutMs,
        signal,
        ...(this.options.tls ? { tls: this.options.tls } : {}),
      });
    } catch (err) {
      throw transportFailure(ref, err);
    }
  }

  /** The Authorization header a 401's challenge asks for. */
  async #authorization(ref: OciRepositoryRef, challenge: string, scope: string, signal: AbortSignal): Promise<string> {
    const auth = this.options.auth;
    const basic =
      auth?.username !== undefined && auth.password !== undefined
        ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`
        : undefined;
    if (/^basic\b/i.test(challenge)) {
      if (basic === undefined)
        throw new FetchError(ref.display, "auth", "the registry asks for credentials and none were given");
      return basic;
    }
    if (!/^bearer\b/i.test(challenge)) {
      throw new FetchError(ref.display, "auth", "the registry refused the request without saying how to authenticate");
    }
    const params = challengeParams(challenge);
    const realm = params.realm;
    if (realm === undefined)
      throw new FetchError(ref.display, "auth", "the registry's bearer challenge names no realm");
    const tokenUrl = new URL(realm);
    if (tokenUrl.protocol !== "https:" && !(tokenUrl.protocol === "http:" && ref.protocol === "http:")) {
      throw new FetchError(ref.display, "auth", `refused to send credentials to the token service ${tokenUrl.origin}`);
    }
    if (params.service) tokenUrl.searchParams.set("service", params.service);
    tokenUrl.searchParams.set("scope", params.scope ?? scope);
    const res = await this.#request(
      ref,
      tokenUrl.toString(),
      { accept: "application/json", maxBytes: 1024 * 1024, ...(basic ? { authorization: basic } : {}) },
      signal,
    );
    if (res.status !== 200) throw statusError(ref, res, "token service");
    const body = parseJson(res.body, `${ref.display} token`) as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
    };
    const token = typeof body.token === "string" ? body.token : body.access_token;
    if (typeof token !== "string" || token === "") {
      throw new FetchError(ref.display, "auth", "the registry's token service answered without a token");
    }
    const seconds = typeof body.expires_in === "number" ? body.expires_in : 60;
    this.#tokens.set(`${ref.host} ${scope}`, { token, until: Date.now() + Math.max(0, seconds - 10) * 1000 });
    return `Bearer ${token}`;
  }
}

function challengeParams(challenge: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of challenge.replace(/^\w+\s+/, "").matchAll(/(\w+)="([^"]*)"/g)) {
    if (m[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

function nextPage(link: string | undefined): string | undefined {
  const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  if (!m?.[1]) return undefined;
  const url = new URL(m[1], "http://registry.invalid");
  return url.pathname.startsWith("/v2/") ? `${url.pathname}${url.search}` : undefined;
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (typeof value !== "object" || value === null) throw new Error("not an object");
    return value;
  } catch (err) {
    throw new FetchError(what, "other", `the answer is not JSON: ${(err as Error).message}`);
  }
}

function statusError(ref: OciRepositoryRef, res: HttpResponse, what: string): FetchError {
  const detail = registryErrorDetail(res.body);
  if (res.status === 401 || res.status === 403) {
    return new FetchError(ref.display, "auth", `the registry refused the credentials (HTTP ${res.status})${detail}`);
  }
  if (res.status === 404) {
    return new FetchError(ref.display, "not-found", `${what}: not found (HTTP 404)${detail}`);
  }
  return new FetchError(ref.display, "other", `${what}: HTTP ${res.status}${detail}`);
}

/** The registry's own error codes (`{"errors":[{"code":"NAME_UNKNOWN","message":…}]}`), never its body verbatim. */
function registryErrorDetail(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { errors?: Array<{ code?: unknown }> };
    const codes = (parsed.errors ?? []).map((e) => e.code).filter((c): c is string => typeof c === "string");
    return codes.length > 0 ? `: ${codes.join(", ")}` : "";
  } catch {
    return "";
  }
}

export function transportFailure(ref: { display: string }, err: unknown): unknown {
  if (!(err instanceof HttpTransportError)) return err;
  const reason = err.kind === "unreachable" || err.kind === "timeout" ? "unreachable" : "other";
  return new FetchError(ref.display, reason, err.message, { cause: err });
}
