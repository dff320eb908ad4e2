// What a Notifier's spec asks for, checked, and the request one notification makes through it. Pure.
import { NOTIFIER_TYPES, type NotifierSpec } from "../../api/index.js";
import { commitStatusRequest, DEFAULT_API_BASE, isCommitStatusProvider } from "./commit-status.js";
import type { Notification } from "./notification.js";
import type { OutgoingRequest } from "./outgoing.js";
import { slackRequest } from "./slack.js";
import { webhookRequest } from "./webhook.js";

/** The key of the Secret a Notifier reads: `secretRef.key`, else `address` for slack and `token` for the others. */
export function secretKeyOf(spec: NotifierSpec): string {
  return spec.secretRef?.key || (spec.type === "slack" ? "address" : "token");
}

/** Why `text` is not an http(s) URL without credentials (`what` names it); undefined when it is one. */
export function httpUrlProblem(text: string, what: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${what} is not a URL`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `${what} must be an http or https URL`;
  if (url.username || url.password) return `${what} must not carry credentials (put them in the Secret)`;
  return undefined;
}

/** What is wrong with a Notifier's spec (its Secret aside); undefined when nothing is. */
export function notifierSpecProblem(spec: NotifierSpec): string | undefined {
  if (!(NOTIFIER_TYPES as readonly string[]).includes(spec.type))
    return `spec.type must be one of ${NOTIFIER_TYPES.join(", ")}`;
  if (spec.address !== undefined && spec.address !== "") {
    const problem = httpUrlProblem(spec.address, "spec.address");
    if (problem) return problem;
  }
  if (spec.type === "webhook" && !spec.address) return "a webhook Notifier needs spec.address";
  if (spec.type === "slack" && !spec.address && !spec.secretRef)
    return "a slack Notifier needs spec.address or a spec.secretRef holding the incoming-webhook URL";
  if (isCommitStatusProvider(spec.type)) {
    if (!spec.address && !DEFAULT_API_BASE[spec.type]) return `a ${spec.type} Notifier needs spec.address`;
    if (!spec.secretRef) return `a ${spec.type} Notifier needs spec.secretRef naming its API token`;
  }
  return undefined;
}

export type BuiltRequest =
  | { request: OutgoingRequest }
  /** Nothing to send for this notification through this Notifier (not a failure). */
  | { skip: string }
  /** The Notifier cannot send it (a failure that retrying does not heal). */
  | { invalid: string };

/**
 * The request that delivers `n` through a Notifier with this spec; `secret` is the value of its Secret's key
 * (undefined when it names none). The secret goes into headers or the signature, never into a message.
 */
export function buildRequest(spec: NotifierSpec, n: Notification, secret: string | undefined): BuiltRequest {
  const problem = notifierSpecProblem(spec);
  if (problem) return { invalid: problem };
  if (spec.type === "webhook") return { request: webhookRequest(spec.address as string, n, secret) };
  if (spec.type === "slack") {
    const address = spec.address || secret;
    if (!address) return { invalid: "no incoming-webhook URL" };
    if (!spec.address && httpUrlProblem(address, "the Secret's URL"))
      return { invalid: "the Secret's incoming-webhook URL is not an http or https URL" };
    return { request: slackRequest(address, n) };
  }
  if (!isCommitStatusProvider(spec.type)) return { invalid: `unknown type ${spec.type}` };
  if (!secret) return { invalid: "the Secret holds no token" };
  return commitStatusRequest(spec.type, { address: spec.address, token: secret }, n);
}
