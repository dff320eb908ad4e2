import assert from "node:assert/strict";
import { test } from "node:test";
import type { Notification } from "./notification.js";
import { webhookBody, webhookRequest, webhookSignature } from "./webhook.js";

const n: Notification = {
  id: "0123456789abcdef0123456789abcdef",
  event: "SyncFailed",
  severity: "Warning",
  application: { namespace: "team", name: "shop", project: "payments", uid: "u-1" },
  revision: "b".repeat(40),
  message: 'apply failed: Deployment "web" is invalid',
  time: "2025-01-02T03:04:05Z",
  source: { repoURL: "https://git.example/org/deploy.git", path: "envs/prod" },
};

test("the signature is GitHub's: sha256= and the hex HMAC-SHA256 of the body (GitHub's documented example)", () => {
  assert.equal(
    webhookSignature("Hello, World!", "It's a Secret to Everybody"),
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
  );
  assert.notEqual(
    webhookSignature("Hello, World!", "another key"),
    webhookSignature("Hello, World!", "It's a Secret to Everybody"),
  );
});

test("the body is the documented v1 shape, without the Application's uid", () => {
  assert.deepEqual(JSON.parse(webhookBody(n)), {
    apiVersion: "bosun.dev/notification/v1",
    id: n.id,
    event: "SyncFailed",
    severity: "Warning",
    application: { namespace: "team", name: "shop", project: "payments" },
    revision: "b".repeat(40),
    message: 'apply failed: Deployment "web" is invalid',
    time: "2025-01-02T03:04:05Z",
    source: { repoURL: "https://git.example/org/deploy.git", path: "envs/prod" },
    url: null,
  });
  const linked = JSON.parse(webhookBody({ ...n, url: "https://bosun.example/#/apps/team/shop" }));
  assert.equal(linked.url, "https://bosun.example/#/apps/team/shop");
  const { revision: _r, ...noRevision } = n;
  const bare = JSON.parse(webhookBody({ ...noRevision, source: { repoURL: "https://git.example/x.git" } }));
  assert.equal(bare.revision, null);
  assert.equal(bare.source.path, null);
});

test("the request: JSON, event and delivery headers, and the signature over exactly the bytes sent", () => {
  const r = webhookRequest("https://hooks.example/bosun", n, "hmac-key");
  assert.equal(r.url, "https://hooks.example/bosun");
  assert.equal(r.method, "POST");
  assert.equal(r.headers["Content-Type"], "application/json");
  assert.equal(r.headers["X-Bosun-Event"], "SyncFailed");
  assert.equal(r.headers["X-Bosun-Delivery"], n.id);
  assert.equal(r.headers["X-Bosun-Signature"], webhookSignature(r.body, "hmac-key"));
  assert.ok(!JSON.stringify(r).includes("hmac-key"), "the key is nowhere in the request");
  const unsigned = webhookRequest("https://hooks.example/bosun", n, undefined);
  assert.equal(unsigned.headers["X-Bosun-Signature"], undefined, "no Secret: no signature");
});
