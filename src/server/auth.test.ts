import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import {
  type ApiTokens,
  authenticate,
  bearerToken,
  hashToken,
  mayAct,
  maySee,
  projectOf,
  seesProject,
} from "./auth.js";

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

const sha = (t: string) => createHash("sha256").update(t).digest("hex");

test("a token's hash is its hex SHA-256", () => {
  // FIPS 180-2's test vector.
  assert.equal(hashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.match(hashToken("x".repeat(43)), /^[0-9a-f]{64}$/);
});

test("named tokens are matched by their hash and carry their name, role and project", () => {
  const named = [
    { name: "ci", role: "admin" as const, project: "team-a", sha256: sha("ci-secret") },
    { name: "viewer", role: "readonly" as const, sha256: sha("viewer-secret") },
  ];
  assert.deepEqual(authenticate(tokens, "Bearer ci-secret", named), { name: "ci", role: "admin", project: "team-a" });
  assert.deepEqual(authenticate(tokens, "Bearer viewer-secret", named), { name: "viewer", role: "readonly" });
  assert.equal(authenticate(tokens, `Bearer ${sha("ci-secret")}`, named), undefined, "the hash is no token");
  assert.equal(authenticate(tokens, "Bearer ci-secre", named), undefined);
  assert.deepEqual(authenticate(tokens, "Bearer admin-secret", named), { name: "admin", role: "admin" });
});

test("a project-scoped caller sees its project's Applications only; default when an Application names none", () => {
  const app = (project?: string) =>
    ({ metadata: { name: "a", namespace: "bosun" }, spec: { project } }) as unknown as Application;
  const teamA = { name: "ci", role: "admin" as const, project: "team-a" };
  assert.equal(maySee(teamA, app("team-a")), true);
  assert.equal(maySee(teamA, app("team-b")), false);
  assert.equal(maySee(teamA, app()), false);
  assert.equal(maySee({ name: "d", role: "readonly", project: "default" }, app()), true);
  assert.equal(maySee({ name: "admin", role: "admin" }, app("team-b")), true, "unscoped sees all");
  assert.equal(maySee(undefined, app()), false);
});

test("two named tokens with one hash identify nobody", () => {
  const named = [
    { name: "ci", role: "readonly" as const, project: "team-a", sha256: sha("shared") },
    { name: "copy", role: "admin" as const, sha256: sha("shared") },
    { name: "other", role: "admin" as const, sha256: sha("other") },
  ];
  assert.equal(authenticate(tokens, "Bearer shared", named), undefined);
  assert.deepEqual(authenticate(tokens, "Bearer other", named), { name: "other", role: "admin" });
});

test("an Application's project is the one it names, or default", () => {
  const app = (project?: string) => ({ spec: { project } }) as unknown as Application;
  assert.equal(projectOf(app("team-a")), "team-a");
  assert.equal(projectOf(app()), "default");
  assert.equal(projectOf(app("")), "default");
  assert.equal(seesProject({ name: "ci", role: "admin", project: "team-a" }, "team-a"), true);
  assert.equal(seesProject({ name: "ci", role: "admin", project: "team-a" }, "team-ab"), false);
  assert.equal(seesProject({ name: "admin", role: "admin" }, "anything"), true);
});
