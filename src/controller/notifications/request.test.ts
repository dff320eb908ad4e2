import assert from "node:assert/strict";
import { test } from "node:test";
import type { NotifierSpec } from "../../api/index.js";
import type { Notification } from "./notification.js";
import { buildRequest, notifierSpecProblem, secretKeyOf } from "./request.js";
import { webhookSignature } from "./webhook.js";

const n: Notification = {
  id: "id-1",
  event: "SyncSucceeded",
  severity: "Normal",
  application: { namespace: "team", name: "shop", project: "default", uid: "u" },
  revision: "c".repeat(40),
  message: "synced",
  time: "2025-01-01T00:00:00Z",
  source: { repoURL: "https://github.com/acme/deploy.git" },
};

test("spec problems: a missing address or Secret, a URL that is not http(s) or carries credentials", () => {
  const problem = (spec: Partial<NotifierSpec>) => notifierSpecProblem(spec as NotifierSpec);
  assert.equal(problem({ type: "webhook", address: "https://h.example/x" }), undefined);
  assert.match(problem({ type: "webhook" }) ?? "", /needs spec.address/);
  assert.match(problem({ type: "webhook", address: "ftp://h.example" }) ?? "", /http or https/);
  assert.match(problem({ type: "webhook", address: "not a url" }) ?? "", /not a URL/);
  assert.match(problem({ type: "webhook", address: "https://u:p@h.example" }) ?? "", /credentials/);
  assert.match(problem({ type: "slack" }) ?? "", /address or a spec.secretRef/);
  assert.equal(problem({ type: "slack", secretRef: { name: "slack" } }), undefined);
  assert.match(problem({ type: "github" }) ?? "", /secretRef/);
  assert.equal(problem({ type: "github", secretRef: { name: "gh" } }), undefined);
  assert.match(problem({ type: "gitea", secretRef: { name: "g" } }) ?? "", /needs spec.address/);
  assert.match(problem({ type: "email" as NotifierSpec["type"] }) ?? "", /spec.type must be one of/);
});

test("the Secret's key: secretRef.key, else address for slack and token for the others", () => {
  assert.equal(secretKeyOf({ type: "github", secretRef: { name: "gh" } }), "token");
  assert.equal(secretKeyOf({ type: "webhook", secretRef: { name: "k", key: "hmac" } }), "hmac");
  assert.equal(secretKeyOf({ type: "slack", secretRef: { name: "s" } }), "address");
});

test("webhook: signed with the Secret's value when there is one", () => {
  const built = buildRequest({ type: "webhook", address: "https://h.example/x", secretRef: { name: "k" } }, n, "key");
  assert.ok("request" in built);
  assert.equal(built.request.headers["X-Bosun-Signature"], webhookSignature(built.request.body, "key"));
});

test("slack: the URL from the spec, or from the Secret", () => {
  const fromSpec = buildRequest({ type: "slack", address: "https://hooks.slack.com/services/A" }, n, undefined);
  assert.ok("request" in fromSpec);
  assert.equal(fromSpec.request.url, "https://hooks.slack.com/services/A");
  const fromSecret = buildRequest({ type: "slack", secretRef: { name: "s" } }, n, "https://hooks.slack.com/services/B");
  assert.ok("request" in fromSecret);
  assert.equal(fromSecret.request.url, "https://hooks.slack.com/services/B");
  const bad = buildRequest({ type: "slack", secretRef: { name: "s" } }, n, "javascript:alert(1)");
  assert.ok("invalid" in bad);
  assert.ok(!bad.invalid.includes("javascript"), "the Secret's value is not repeated");
});

test("commit statuses need the token; an invalid spec is invalid, not skipped", () => {
  assert.ok("invalid" in buildRequest({ type: "github", secretRef: { name: "gh" } }, n, undefined));
  assert.ok("invalid" in buildRequest({ type: "gitea", secretRef: { name: "g" } }, n, "t"));
  const built = buildRequest({ type: "github", secretRef: { name: "gh" } }, n, "tok");
  assert.ok("request" in built);
  assert.equal(built.request.headers.Authorization, "Bearer tok");
  assert.ok(
    "skip" in buildRequest({ type: "github", secretRef: { name: "gh" } }, { ...n, event: "DriftDetected" }, "t"),
  );
});
