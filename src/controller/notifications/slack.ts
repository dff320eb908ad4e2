// The `slack` Notifier: a message in the shape of Slack's incoming webhooks (`text`, and Block Kit
// `blocks` for the richer view; `text` is what notifications and older clients show). Pure.
import { shortRevision } from "../../api/index.js";
import type { Notification } from "./notification.js";
import { type OutgoingRequest, USER_AGENT } from "./outgoing.js";

const ICONS: Record<Notification["event"], string> = {
  SyncStarted: ":arrows_counterclockwise:",
  SyncSucceeded: ":white_check_mark:",
  SyncFailed: ":x:",
  HealthDegraded: ":warning:",
  DriftDetected: ":mag:",
  RolledBack: ":rewind:",
  ClusterUnreachable: ":electric_plug:",
};

/** Slack's three control characters, escaped as its formatting rules ask. */
export function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

/** Slack allows 3000 characters in a section's text. */
const SECTION_MAX = 3000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function slackMessage(n: Notification): SlackMessage {
  const app = `${n.application.namespace}/${n.application.name}`;
  const headline = `${ICONS[n.event]} *${n.event}* ${slackEscape(app)}`;
  const text = `${headline}: ${slackEscape(n.message)}`;
  const facts = [
    `project *${slackEscape(n.application.project)}*`,
    ...(n.revision ? [`revision \`${shortRevision(n.revision)}\``] : []),
    ...(n.source.repoURL
      ? [`source ${slackEscape(n.source.repoURL)}${n.source.path ? ` (${slackEscape(n.source.path)})` : ""}`]
      : []),
    ...(n.url ? [`<${slackEscape(n.url).replaceAll("|", "%7C")}|open in bosun>`] : []),
  ];
  return {
    text: clip(text, SECTION_MAX),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: clip(`${headline}\n${slackEscape(n.message)}`, SECTION_MAX) } },
      { type: "context", elements: [{ type: "mrkdwn", text: clip(facts.join(" · "), SECTION_MAX) }] },
    ],
  };
}

export function slackRequest(address: string, n: Notification): OutgoingRequest {
  return {
    url: address,
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": USER_AGENT },
    body: JSON.stringify(slackMessage(n)),
  };
}
