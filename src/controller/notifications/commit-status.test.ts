import assert from "node:assert/strict";
import { test } from "node:test";
import { commitState, commitStatusRequest, isCommitSha, repositoryOf } from "./commit-status.js";
import type { Notification } from "./notification.js";

const sha = "0123456789abcdef0123456789abcdef01234567";
const n = (over: Partial<Notification> = {}): Notification => ({
  id: "id-1",
  event: "SyncStarted",
  severity: "Normal",
  application: { namespace: "team", name: "shop", project: "default", uid: "u" },
  revision: sha,
  message: "syncing revision 0123456 (initiated by automated sync)",
  time: "2025-01-01T00:00:00Z",
  source: { repoURL: "https://github.com/acme/deploy.git" },
  ...over,
});

test("repositories of https, ssh and scp-style URLs, without .git", () => {
  assert.deepEqual(repositoryOf("https://github.com/acme/deploy.git"), { host: "github.com", path: "acme/deploy" });
  assert.deepEqual(repositoryOf("https://github.com/acme/deploy/"), { host: "github.com", path: "acme/deploy" });
  assert.deepEqual(repositoryOf("ssh://git@github.com/acme/deploy.git"), { host: "github.com", path: "acme/deploy" });
  assert.deepEqual(repositoryOf("ssh://git@gitea.local:2222/acme/deploy.git"), {
    host: "gitea.local:2222",
    path: "acme/deploy",
  });
  assert.deepEqual(repositoryOf("git@github.com:acme/deploy.git"), { host: "github.com", path: "acme/deploy" });
  assert.deepEqual(repositoryOf("gitlab.com:group/sub/app"), { host: "gitlab.com", path: "group/sub/app" });
  assert.deepEqual(repositoryOf("http://127.0.0.1:8080/acme/shop.git"), { host: "127.0.0.1:8080", path: "acme/shop" });
  assert.equal(repositoryOf("file:///tmp/repo"), undefined);
  assert.equal(repositoryOf("/srv/git/repo"), undefined);
  assert.equal(repositoryOf("https://github.com/only-one"), undefined);
  assert.equal(repositoryOf("https://github.com/acme/../x"), undefined);
});

test("states per provider: pending (GitLab: running) while syncing, success after, failure on failures", () => {
  assert.deepEqual(
    (["SyncStarted", "SyncSucceeded", "SyncFailed", "HealthDegraded", "RolledBack", "DriftDetected"] as const).map(
      (e) => [commitState("github", e), commitState("gitlab", e), commitState("gitea", e)],
    ),
    [
      ["pending", "running", "pending"],
      ["success", "success", "success"],
      ["failure", "failed", "failure"],
      ["failure", "failed", "failure"],
      ["failure", "failed", "failure"],
      [undefined, undefined, undefined],
    ],
  );
});

test("full commit SHAs only", () => {
  assert.equal(isCommitSha(sha), true);
  assert.equal(isCommitSha("a".repeat(64)), true);
  assert.equal(isCommitSha("0123456"), false);
  assert.equal(isCommitSha("main"), false);
  assert.equal(isCommitSha(sha.toUpperCase()), false);
});

test("GitHub: POST {api}/repos/OWNER/REPO/statuses/SHA with a bearer token and GitHub's media type", () => {
  const built = commitStatusRequest("github", { token: "ghp_token" }, n());
  assert.ok("request" in built);
  const r = built.request;
  assert.equal(r.url, `https://api.github.com/repos/acme/deploy/statuses/${sha}`);
  assert.equal(r.method, "POST");
  assert.equal(r.headers.Authorization, "Bearer ghp_token");
  assert.equal(r.headers.Accept, "application/vnd.github+json");
  assert.ok(r.headers["User-Agent"], "GitHub refuses requests without a User-Agent");
  assert.deepEqual(JSON.parse(r.body), {
    state: "pending",
    context: "bosun/team/shop",
    description: "SyncStarted: syncing revision 0123456 (initiated by automated sync)",
  });
  const enterprise = commitStatusRequest("github", { token: "t", address: "https://ghe.example/api/v3/" }, n());
  assert.ok("request" in enterprise);
  assert.equal(enterprise.request.url, `https://ghe.example/api/v3/repos/acme/deploy/statuses/${sha}`);
});

test("a notification with the dashboard's link sets it as each provider's target_url", () => {
  const url = "https://bosun.example/#/apps/team/shop";
  for (const provider of ["github", "gitlab", "gitea"] as const) {
    const built = commitStatusRequest(provider, { token: "t", address: "https://git.example" }, n({ url }));
    assert.ok("request" in built, provider);
    assert.equal(JSON.parse(built.request.body).target_url, url, provider);
  }
});

test("GitLab: POST {base}/api/v4/projects/ENCODED-PATH/statuses/SHA with PRIVATE-TOKEN and a name", () => {
  const built = commitStatusRequest(
    "gitlab",
    { token: "glpat-x" },
    n({ event: "SyncFailed", source: { repoURL: "git@gitlab.com:group/sub/deploy.git" } }),
  );
  assert.ok("request" in built);
  assert.equal(built.request.url, `https://gitlab.com/api/v4/projects/group%2Fsub%2Fdeploy/statuses/${sha}`);
  assert.equal(built.request.headers["PRIVATE-TOKEN"], "glpat-x");
  assert.equal(built.request.headers.Authorization, undefined);
  const body = JSON.parse(built.request.body);
  assert.equal(body.state, "failed");
  assert.equal(body.name, "bosun/team/shop");
  assert.match(body.description, /^SyncFailed: /);
});

test("a self-hosted instance under a path: the repository path below it", () => {
  const built = commitStatusRequest(
    "gitlab",
    { token: "t", address: "https://git.corp/gitlab" },
    n({ source: { repoURL: "https://git.corp/gitlab/team/deploy.git" } }),
  );
  assert.ok("request" in built);
  assert.equal(built.request.url, `https://git.corp/gitlab/api/v4/projects/team%2Fdeploy/statuses/${sha}`);
});

test("Gitea: POST {base}/api/v1/repos/OWNER/REPO/statuses/SHA with `token` authorization", () => {
  const built = commitStatusRequest(
    "gitea",
    { token: "gt", address: "https://gitea.local" },
    n({ event: "SyncSucceeded", source: { repoURL: "ssh://git@gitea.local:2222/acme/deploy.git" } }),
  );
  assert.ok("request" in built);
  assert.equal(built.request.url, `https://gitea.local/api/v1/repos/acme/deploy/statuses/${sha}`);
  assert.equal(built.request.headers.Authorization, "token gt");
  assert.deepEqual(JSON.parse(built.request.body), {
    state: "success",
    context: "bosun/team/shop",
    description: "SyncSucceeded: syncing revision 0123456 (initiated by automated sync)",
  });
});

test("skipped: no revision, no commit, events that set no status, a source not on a host, no base for Gitea", () => {
  const { revision: _r, ...noRevision } = n();
  assert.ok("skip" in commitStatusRequest("github", { token: "t" }, noRevision));
  assert.ok("skip" in commitStatusRequest("github", { token: "t" }, n({ revision: "v1.2.3" })));
  assert.ok("skip" in commitStatusRequest("github", { token: "t" }, n({ event: "DriftDetected" })));
  assert.ok("skip" in commitStatusRequest("github", { token: "t" }, n({ source: { repoURL: "file:///srv/x" } })));
  assert.ok("skip" in commitStatusRequest("gitea", { token: "t" }, n()));
  assert.ok(
    "skip" in commitStatusRequest("github", { token: "t" }, n({ source: { repoURL: "https://github.com/a/b/c" } })),
    "GitHub names repositories OWNER/REPO",
  );
});

test("descriptions are cut to 140 characters", () => {
  const built = commitStatusRequest("github", { token: "t" }, n({ message: "m".repeat(500) }));
  assert.ok("request" in built);
  const { description } = JSON.parse(built.request.body) as { description: string };
  assert.equal(description.length, 140);
  assert.ok(description.endsWith("…"));
});
