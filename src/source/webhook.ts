// Push webhooks from GitHub, GitLab and Gitea: verify, then read which repository moved to what. Pure.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { WebhookNotPushError, WebhookPayloadError, WebhookSignatureError } from "./errors.js";

export type WebhookProvider = "github" | "gitlab" | "gitea";

/** Request headers as node's http module gives them (names in any case). */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface PushEvent {
  provider: WebhookProvider;
  /** Every clone URL the payload names (https and ssh), for matching with repoUrlMatches. */
  repoUrls: string[];
  /** The full ref that was pushed (`refs/heads/main`). */
  ref: string;
  /** The branch pushed to, when the ref is a branch. */
  branch?: string;
  /** The tag pushed, when the ref is a tag. */
  tag?: string;
  /** The commit the ref points to now (all zeros when it was deleted). */
  after: string;
  /** True when the push deleted the ref. */
  deleted: boolean;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;
const GITLAB_PUSH_EVENTS = new Set(["Push Hook", "Tag Push Hook", "System Hook"]);

/**
 * Verify and parse a push webhook. `secret` is the shared webhook secret; `undefined` means the caller
 * has chosen to accept unsigned webhooks (an empty string rejects every request). Throws
 * WebhookSignatureError, WebhookNotPushError (e.g. GitHub's `ping`) or WebhookPayloadError.
 */
export function parsePushWebhook(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  secret: string | undefined,
): PushEvent {
  const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : Buffer.from(rawBody);
  const header = headerReader(headers);
  if (secret !== undefined) verify(provider, header, body, secret);
  checkEvent(provider, header);
  const payload = parseBody(provider, header, body);
  return provider === "gitlab" ? readGitLab(payload) : readGitHubLike(provider, payload);
}

function headerReader(headers: WebhookHeaders): (name: string) => string | undefined {
  const lower = new Map<string, string | readonly string[] | undefined>();
  for (const [k, v] of Object.entries(headers)) lower.set(k.toLowerCase(), v);
  return (name) => {
    const v = lower.get(name);
    if (v === undefined || typeof v === "string") return v;
    // Several values of one header are refused rather than guessed between.
    return v.length === 1 ? v[0] : undefined;
  };
}

function verify(
  provider: WebhookProvider,
  header: (name: string) => string | undefined,
  body: Buffer,
  secret: string,
): void {
  const problem = signatureProblem(provider, header, body, secret);
  if (problem !== undefined) throw new WebhookSignatureError(provider, problem);
}

/** Why the request is not authentic, or undefined when it is. */
function signatureProblem(
  provider: WebhookProvider,
  header: (name: string) => string | undefined,
  body: Buffer,
  secret: string,
): string | undefined {
  if (secret === "") return "no webhook secret is configured";
  switch (provider) {
    case "github": {
      const sig = header("x-hub-signature-256");
      if (sig === undefined) return "no X-Hub-Signature-256 header";
      if (!sig.startsWith("sha256=")) return "X-Hub-Signature-256 is not sha256=<hex>";
      return hmacMatches(sig.slice("sha256=".length), body, secret) ? undefined : "signature does not match";
    }
    case "gitea": {
      const sig = header("x-gitea-signature");
      if (sig === undefined) return "no X-Gitea-Signature header";
      return hmacMatches(sig, body, secret) ? undefined : "signature does not match";
    }
    case "gitlab": {
      const token = header("x-gitlab-token");
      if (token === undefined) return "no X-Gitlab-Token header";
      // Hash both sides so the comparison takes the same time whatever the lengths.
      const a = createHash("sha256").update(token, "utf8").digest();
      const b = createHash("sha256").update(secret, "utf8").digest();
      return timingSafeEqual(a, b) ? undefined : "token does not match";
    }
  }
}

function hmacMatches(hex: string, body: Buffer, secret: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}

function checkEvent(provider: WebhookProvider, header: (name: string) => string | undefined): void {
  const name = { github: "x-github-event", gitea: "x-gitea-event", gitlab: "x-gitlab-event" }[provider];
  const event = header(name) ?? "";
  const isPush = provider === "gitlab" ? GITLAB_PUSH_EVENTS.has(event) : event === "push";
  if (!isPush) throw new WebhookNotPushError(provider, event);
}

function parseBody(
  provider: WebhookProvider,
  header: (name: string) => string | undefined,
  body: Buffer,
): Record<string, unknown> {
  let text = body.toString("utf8");
  if (provider !== "gitlab" && (header("content-type") ?? "").startsWith("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(text).get("payload");
    if (form === null) throw new WebhookPayloadError(provider, "form body without a payload field");
    text = form;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WebhookPayloadError(provider, "body is not JSON", { cause: error });
  }
  if (!isRecord(parsed)) throw new WebhookPayloadError(provider, "body is not a JSON object");
  return parsed;
}

function readGitHubLike(provider: "github" | "gitea", payload: Record<string, unknown>): PushEvent {
  const repository = payload.repository;
  if (!isRecord(repository)) throw new WebhookPayloadError(provider, "no repository object");
  const urls = stringsOf(repository, ["clone_url", "ssh_url"]);
  return pushEvent(provider, payload, urls, payload.deleted === true);
}

function readGitLab(payload: Record<string, unknown>): PushEvent {
  const kind = payload.object_kind;
  if (kind !== "push" && kind !== "tag_push") throw new WebhookNotPushError("gitlab", String(kind ?? ""));
  const urls: string[] = [];
  for (const key of ["project", "repository"]) {
    const part = payload[key];
    if (isRecord(part)) urls.push(...stringsOf(part, ["git_http_url", "git_ssh_url"]));
  }
  return pushEvent("gitlab", payload, urls, false);
}

function pushEvent(
  provider: WebhookProvider,
  payload: Record<string, unknown>,
  urls: string[],
  deletedFlag: boolean,
): PushEvent {
  const { ref, after } = payload;
  if (typeof ref !== "string" || !ref.startsWith("refs/")) throw new WebhookPayloadError(provider, "no ref");
  if (typeof after !== "string" || !SHA.test(after)) throw new WebhookPayloadError(provider, "no after commit SHA");
  const repoUrls = [...new Set(urls)];
  if (repoUrls.length === 0) throw new WebhookPayloadError(provider, "no clone URL in the repository");
  const event: PushEvent = { provider, repoUrls, ref, after, deleted: deletedFlag || ZERO.test(after) };
  if (ref.startsWith("refs/heads/")) event.branch = ref.slice("refs/heads/".length);
  else if (ref.startsWith("refs/tags/")) event.tag = ref.slice("refs/tags/".length);
  return event;
}

function stringsOf(record: Record<string, unknown>, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const v = record[key];
    if (typeof v === "string" && v !== "") out.push(v);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
