// Sends one delivery's request and says how it went: delivered, refused (known not taken: tried again), or
// unknown (sent, no answer: it may have arrived, so it is not sent again). I/O.
import { errorMessage } from "../../api/index.js";
import type { OutgoingRequest } from "./outgoing.js";

export type SendOutcome =
  | { type: "delivered"; code: number }
  | { type: "refused"; message: string }
  | { type: "unknown"; message: string };

/** Connection failures before any byte of the request left: the receiver certainly did not get it. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
]);

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** `text` with every secret replaced: what a receiver answers may echo what it was sent. */
function masked(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.replaceAll(s, "***");
  return out;
}

/** The first line or so of what the receiver answered, as a reason (GitHub's `{"message":"Bad credentials"}`). */
async function answerOf(res: Response, secrets: readonly string[]): Promise<string> {
  let text = "";
  try {
    text = (await res.text()).replace(/\s+/g, " ").trim();
  } catch {
    // the reason phrase will do
  }
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
  return text ? `${status}: ${masked(text.length > 200 ? `${text.slice(0, 200)}…` : text, secrets)}` : status;
}

/**
 * POSTs the request (redirects are not followed: a receiver that moved is refused). `secrets` are masked in
 * every message; no message names the URL (a Slack URL is itself a secret).
 */
export async function send(
  request: OutgoingRequest,
  options: { timeoutMs: number; signal: AbortSignal; secrets: readonly string[] },
): Promise<SendOutcome> {
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal,
    });
  } catch (err) {
    const code = codeOf(err);
    if (code && NOT_SENT.has(code)) return { type: "refused", message: `could not connect (${code})` };
    if (signal.aborted && !options.signal.aborted)
      return { type: "unknown", message: `no answer within ${Math.round(options.timeoutMs / 1000)}s` };
    return {
      type: "unknown",
      message: masked(code ? `${errorMessage(err)} (${code})` : errorMessage(err), options.secrets),
    };
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => undefined);
    return { type: "delivered", code: res.status };
  }
  return { type: "refused", message: await answerOf(res, options.secrets) };
}
