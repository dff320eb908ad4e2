import assert from "node:assert/strict";
import { test } from "node:test";
import type { Notification } from "./notification.js";
import { slackEscape, slackMessage, slackRequest } from "./slack.js";

const n: Notification = {
  id: "id-1",
  event: "SyncSucceeded",
  severity: "Normal",
  application: { namespace: "team", name: "shop", project: "default", uid: "u" },
  revision: "0123456789abcdef0123456789abcdef01234567",
  message: "synced revision 0123456 (3 objects <applied> & healthy)",
  time: "2025-01-01T00:00:00Z",
  source: { repoURL: "https://git.example/org/deploy.git", path: "envs/prod" },
};

test("Slack's control characters are escaped", () => {
  assert.equal(slackEscape("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
});

test("an incoming-webhook message: text for notifications, a section and a context block", () => {
  const m = slackMessage(n);
  assert.equal(
    m.text,
    ":white_check_mark: *SyncSucceeded* team/shop: synced revision 0123456 (3 objects &lt;applied&gt; &amp; healthy)",
  );
  assert.equal(m.blocks.length, 2);
  assert.deepEqual(m.blocks[0], {
    type: "section",
    text: {
      type: "mrkdwn",
      text: ":white_check_mark: *SyncSucceeded* team/shop\nsynced revision 0123456 (3 objects &lt;applied&gt; &amp; healthy)",
    },
  });
  const context = m.blocks[1] as { type: string; elements: Array<{ type: string; text: string }> };
  assert.equal(context.type, "context");
  assert.equal(context.elements[0]?.type, "mrkdwn");
  assert.match(
    context.elements[0]?.text ?? "",
    /project \*default\* · revision `0123456` · source https:\/\/git\.example\/org\/deploy\.git \(envs\/prod\)/,
  );
});

test("with a dashboard URL the context links to the Application's page, its `|` and `>` kept out of Slack's link syntax", () => {
  const linkOf = (url: string) =>
    (slackMessage({ ...n, url }).blocks[1] as { elements: Array<{ text: string }> }).elements[0]?.text ?? "";
  assert.match(
    linkOf("https://bosun.example/#/apps/team/shop"),
    / · <https:\/\/bosun\.example\/#\/apps\/team\/shop\|open in bosun>$/,
  );
  assert.match(
    linkOf("https://bosun.example/a|b>c#/apps/team/shop"),
    /<https:\/\/bosun\.example\/a%7Cb&gt;c#\/apps\/team\/shop\|open in bosun>$/,
  );
  assert.doesNotMatch(linkOf(""), /open in bosun/);
});

test("long messages are cut to what a section takes", () => {
  const m = slackMessage({ ...n, message: "x".repeat(5000) });
  assert.ok(m.text.length <= 3000);
  assert.ok(m.text.endsWith("…"));
});

test("the request posts the message as JSON to the incoming-webhook URL", () => {
  const r = slackRequest("https://hooks.slack.com/services/T0/B0/XXXX", n);
  assert.equal(r.url, "https://hooks.slack.com/services/T0/B0/XXXX");
  assert.equal(r.headers["Content-Type"], "application/json");
  assert.deepEqual(JSON.parse(r.body), slackMessage(n));
});
