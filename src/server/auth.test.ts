import assert from "node:assert/strict";
import { test } from "node:test";
import { type ApiTokens, authenticate, bearerToken, mayAct } from "./auth.js";

const tokens: ApiTokens = { admin: "admin-secret", readonly: "reader-secret", webhookSecret: "hook" };

test("bearerToken reads only the Bearer scheme", () => {
  assert.equal(bearerToken("Bearer abc"), "abc");
  assert.equal(bearerToken("bearer abc "), "abc");
  assert.equal(bearerToken("Basic abc"), undefined);
  assert.equal(bearerToken("Bearer"), undefined);
  assert.equal(bearerToken("Bearer a b"), undefined);
  assert.equal(bearerToken(undefined), undefined);
});

test("authenticate maps each token to its role and refuses the rest", () => {
  assert.deepEqual(authenticate(tokens, "Bearer admin-secret"), { name: "admin", role: "admin" });
  assert.deepEqual(authenticate(tokens, "Bearer reader-secret"), { name: "readonly", role: "readonly" });
  assert.equal(authenticate(tokens, "Bearer admin-secre"), undefined);
  assert.equal(authenticate(tokens, "Bearer hook"), undefined, "the webhook secret is no API token");
  assert.equal(authenticate(tokens, undefined), undefined);
  assert.equal(authenticate({ ...tokens, admin: "" }, "Bearer "), undefined);
});

test("only admins may act", () => {
  assert.equal(mayAct({ name: "admin", role: "admin" }), true);
  assert.equal(mayAct({ name: "readonly", role: "readonly" }), false);
});
