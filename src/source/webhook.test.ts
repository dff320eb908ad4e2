import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { WebhookNotPushError, WebhookPayloadError, WebhookSignatureError } from "./errors.js";
import { repoUrlMatches } from "./repo-url.js";
import { parsePushWebhook } from "./webhook.js";

const SECRET = "It's a Secret to Everybody";
const AFTER = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
const BEFORE = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const hmac = (body: string, secret = SECRET): string => createHmac("sha256", secret).update(body).digest("hex");

// Trimmed but faithful shapes of the providers' push payloads.
const githubPush = JSON.stringify({
  ref: "refs/heads/main",
  before: BEFORE,
  after: AFTER,
  created: false,
  deleted: false,
  forced: false,
  repository: {
    id: 35129377,
    name: "deploy",
    full_name: "acme/deploy",
    private: true,
    html_url: "https://github.com/acme/deploy",
    git_url: "git://github.com/acme/deploy.git",
    ssh_url: "git@github.com:acme/deploy.git",
    clone_url: "https://github.com/acme/deploy.git",
    default_branch: "main",
  },
  pusher: { name: "alice", email: "alice@example.com" },
  sender: { login: "alice", id: 1 },
  head_commit: { id: AFTER, message: "Bump guestbook to 1.4", timestamp: "2024-05-01T10:00:00Z" },
});

const githubTagPush = JSON.stringify({
  ref: "refs/tags/v1.4.0",
  before: "0000000000000000000000000000000000000000",
  after: AFTER,
  created: true,
  deleted: false,
  repository: { clone_url: "https://github.com/acme/deploy.git", ssh_url: "git@github.com:acme/deploy.git" },
});

const githubPing = JSON.stringify({
  zen: "Keep it logically awesome.",
  hook_id: 123,
  hook: { type: "Repository", events: ["push"] },
  repository: { clone_url: "https://github.com/acme/deploy.git" },
});

const gitlabPush = JSON.stringify({
  object_kind: "push",
  event_name: "push",
  before: BEFORE,
  after: AFTER,
  ref: "refs/heads/main",
  checkout_sha: AFTER,
  user_username: "alice",
  project_id: 15,
  project: {
    id: 15,
    name: "deploy",
    web_url: "https://gitlab.example.com/acme/deploy",
    git_ssh_url: "git@gitlab.example.com:acme/deploy.git",
    git_http_url: "https://gitlab.example.com/acme/deploy.git",
    path_with_namespace: "acme/deploy",
    default_branch: "main",
  },
  repository: {
    name: "deploy",
    url: "git@gitlab.example.com:acme/deploy.git",
    homepage: "https://gitlab.example.com/acme/deploy",
    git_http_url: "https://gitlab.example.com/acme/deploy.git",
    git_ssh_url: "git@gitlab.example.com:acme/deploy.git",
  },
  commits: [{ id: AFTER, message: "Bump guestbook", timestamp: "2024-05-01T10:00:00+02:00" }],
  total_commits_count: 1,
});

const gitlabTagPush = JSON.stringify({
  object_kind: "tag_push",
  before: "0000000000000000000000000000000000000000",
  after: AFTER,
  ref: "refs/tags/v2.0.0",
  checkout_sha: AFTER,
  project: {
    git_ssh_url: "git@gitlab.example.com:acme/deploy.git",
    git_http_url: "https://gitlab.example.com/acme/deploy.git",
  },
});

const giteaPush = JSON.stringify({
  ref: "refs/heads/release",
  before: BEFORE,
  after: AFTER,
  compare_url: "https://gitea.example.com/acme/deploy/compare/6113728f27...0d1a26e67d",
  commits: [{ id: AFTER, message: "Release\n", url: "https://gitea.example.com/acme/deploy/commit/0d1a26e67d" }],
  repository: {
    id: 1,
    full_name: "acme/deploy",
    html_url: "https://gitea.example.com/acme/deploy",
    ssh_url: "git@gitea.example.com:acme/deploy.git",
    clone_url: "https://gitea.example.com/acme/deploy.git",
    default_branch: "main",
  },
  pusher: { login: "alice" },
});

describe("GitHub", () => {
  test("a signed push names both clone URLs, the branch and the new commit", () => {
    const event = parsePushWebhook(
      "github",
      {
        "X-GitHub-Event": "push",
        "X-Hub-Signature-256": `sha256=${hmac(githubPush)}`,
        "content-type": "application/json",
      },
      Buffer.from(githubPush),
      SECRET,
    );
    assert.deepEqual(event, {
      provider: "github",
      repoUrls: ["https://github.com/acme/deploy.git", "git@github.com:acme/deploy.git"],
      ref: "refs/heads/main",
      branch: "main",
      after: AFTER,
      deleted: false,
    });
    assert.ok(event.repoUrls.some((u) => repoUrlMatches(u, "https://github.com/ACME/deploy".replace("ACME", "acme"))));
    assert.ok(event.repoUrls.some((u) => repoUrlMatches(u, "ssh://git@github.com/acme/deploy")));
  });

  test("a tag push reports the tag", () => {
    const event = parsePushWebhook(
      "github",
      { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac(githubTagPush)}` },
      githubTagPush,
      SECRET,
    );
    assert.equal(event.tag, "v1.4.0");
    assert.equal(event.branch, undefined);
  });

  test("a wrong, missing or malformed signature is rejected", () => {
    const headers = (sig: string | undefined) => ({ "x-github-event": "push", "x-hub-signature-256": sig });
    for (const sig of [
      `sha256=${hmac(githubPush, "wrong secret")}`,
      undefined,
      hmac(githubPush),
      "sha256=zz",
      `sha256=${hmac(githubPush).slice(0, 63)}`,
    ]) {
      assert.throws(() => parsePushWebhook("github", headers(sig), githubPush, SECRET), WebhookSignatureError);
    }
    // The body is what is signed: one changed byte fails.
    const tampered = githubPush.replace("refs/heads/main", "refs/heads/mail");
    assert.throws(
      () => parsePushWebhook("github", headers(`sha256=${hmac(githubPush)}`), tampered, SECRET),
      WebhookSignatureError,
    );
  });

  test("ping is reported as not a push, after its signature is checked", () => {
    assert.throws(
      () =>
        parsePushWebhook(
          "github",
          { "x-github-event": "ping", "x-hub-signature-256": `sha256=${hmac(githubPing)}` },
          githubPing,
          SECRET,
        ),
      (e: unknown) => e instanceof WebhookNotPushError && e.event === "ping" && e.name === "WebhookNotPushError",
    );
    assert.throws(
      () =>
        parsePushWebhook(
          "github",
          { "x-github-event": "ping", "x-hub-signature-256": "sha256=00" },
          githubPing,
          SECRET,
        ),
      WebhookSignatureError,
    );
  });

  test("malformed JSON with a valid signature is a payload error", () => {
    const body = '{"ref": "refs/heads/main", ';
    assert.throws(
      () =>
        parsePushWebhook(
          "github",
          { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac(body)}` },
          body,
          SECRET,
        ),
      WebhookPayloadError,
    );
    const noRepo = JSON.stringify({ ref: "refs/heads/main", after: AFTER });
    assert.throws(
      () =>
        parsePushWebhook(
          "github",
          { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac(noRepo)}` },
          noRepo,
          SECRET,
        ),
      /no repository/,
    );
  });

  test("form-encoded deliveries are read from their payload field", () => {
    const body = `payload=${encodeURIComponent(githubPush)}`;
    const event = parsePushWebhook(
      "github",
      {
        "x-github-event": "push",
        "x-hub-signature-256": `sha256=${hmac(body)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
      SECRET,
    );
    assert.equal(event.after, AFTER);
  });

  test("a deleted branch is flagged", () => {
    const body = JSON.stringify({
      ref: "refs/heads/feature",
      before: AFTER,
      after: "0000000000000000000000000000000000000000",
      deleted: true,
      repository: { clone_url: "https://github.com/acme/deploy.git" },
    });
    const event = parsePushWebhook(
      "github",
      { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac(body)}` },
      body,
      SECRET,
    );
    assert.equal(event.deleted, true);
  });

  test("without a configured secret nothing is verified; an empty secret refuses everything", () => {
    assert.equal(parsePushWebhook("github", { "x-github-event": "push" }, githubPush, undefined).branch, "main");
    assert.throws(
      () =>
        parsePushWebhook(
          "github",
          { "x-github-event": "push", "x-hub-signature-256": `sha256=${hmac(githubPush, "")}` },
          githubPush,
          "",
        ),
      WebhookSignatureError,
    );
  });
});

describe("GitLab", () => {
  test("a push with the right token names the project's clone URLs once each", () => {
    const event = parsePushWebhook(
      "gitlab",
      { "X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": SECRET },
      gitlabPush,
      SECRET,
    );
    assert.deepEqual(event.repoUrls, [
      "https://gitlab.example.com/acme/deploy.git",
      "git@gitlab.example.com:acme/deploy.git",
    ]);
    assert.equal(event.branch, "main");
    assert.equal(event.after, AFTER);
  });

  test("a tag push hook reports the tag", () => {
    const event = parsePushWebhook(
      "gitlab",
      { "x-gitlab-event": "Tag Push Hook", "x-gitlab-token": SECRET },
      gitlabTagPush,
      SECRET,
    );
    assert.equal(event.tag, "v2.0.0");
  });

  test("a wrong or missing token is rejected, whatever its length", () => {
    for (const token of ["wrong", `${SECRET}x`, SECRET.slice(0, -1), ""]) {
      assert.throws(
        () =>
          parsePushWebhook("gitlab", { "x-gitlab-event": "Push Hook", "x-gitlab-token": token }, gitlabPush, SECRET),
        WebhookSignatureError,
      );
    }
    assert.throws(
      () => parsePushWebhook("gitlab", { "x-gitlab-event": "Push Hook" }, gitlabPush, SECRET),
      /X-Gitlab-Token/,
    );
  });

  test("other events are not pushes", () => {
    assert.throws(
      () =>
        parsePushWebhook(
          "gitlab",
          { "x-gitlab-event": "Merge Request Hook", "x-gitlab-token": SECRET },
          gitlabPush,
          SECRET,
        ),
      (e: unknown) => e instanceof WebhookNotPushError && e.event === "Merge Request Hook",
    );
  });
});

describe("Gitea", () => {
  test("a signed push is parsed", () => {
    const event = parsePushWebhook(
      "gitea",
      { "x-gitea-event": "push", "x-gitea-signature": hmac(giteaPush) },
      giteaPush,
      SECRET,
    );
    assert.deepEqual(event.repoUrls, [
      "https://gitea.example.com/acme/deploy.git",
      "git@gitea.example.com:acme/deploy.git",
    ]);
    assert.equal(event.branch, "release");
  });

  test("a wrong signature, or GitHub's header instead of Gitea's, is rejected", () => {
    assert.throws(
      () =>
        parsePushWebhook(
          "gitea",
          { "x-gitea-event": "push", "x-gitea-signature": hmac(giteaPush, "nope") },
          giteaPush,
          SECRET,
        ),
      WebhookSignatureError,
    );
    assert.throws(
      () =>
        parsePushWebhook(
          "gitea",
          { "x-gitea-event": "push", "x-hub-signature-256": `sha256=${hmac(giteaPush)}` },
          giteaPush,
          SECRET,
        ),
      /X-Gitea-Signature/,
    );
  });

  test("a create event is not a push", () => {
    assert.throws(
      () =>
        parsePushWebhook(
          "gitea",
          { "x-gitea-event": "create", "x-gitea-signature": hmac(giteaPush) },
          giteaPush,
          SECRET,
        ),
      WebhookNotPushError,
    );
  });

  test("several values of the signature header are refused", () => {
    assert.throws(
      () =>
        parsePushWebhook(
          "gitea",
          { "x-gitea-event": "push", "x-gitea-signature": [hmac(giteaPush), hmac(giteaPush)] },
          giteaPush,
          SECRET,
        ),
      WebhookSignatureError,
    );
  });
});
