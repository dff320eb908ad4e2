import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { hashToken } from "./auth.js";
import { namedTokenOf, namedTokenSecret, projectNameProblem, tokenNameProblem } from "./named-token-secret.js";

test("a token's name is a DNS-1123 label that is not a built-in's", () => {
  for (const ok of ["ci", "ci-deploy", "a", "0team", "x".repeat(63)]) assert.equal(tokenNameProblem(ok), undefined, ok);
  for (const bad of ["", "CI", "ci_deploy", "-ci", "ci-", "ci.deploy", "c i", "x".repeat(64)])
    assert.match(tokenNameProblem(bad) ?? "", /is not a valid token name: a DNS-1123 label/, bad);
  assert.match(tokenNameProblem("admin") ?? "", /"admin" is a built-in token's name/);
  assert.match(tokenNameProblem("readonly") ?? "", /built-in/);
});

test("a token's project is named like a Kubernetes object", () => {
  for (const ok of ["team-a", "default", "team.a"]) assert.equal(projectNameProblem(ok), undefined, ok);
  for (const bad of ["", "Team", "team_a", "team..a", ".team", "x".repeat(254)])
    assert.match(projectNameProblem(bad) ?? "", /not a valid project name/, bad);
});

const token = "q7W4cLr3pX0_uG5mD2sV9kNe8bTa1yZiHjOfRwQlE-s";
const entry = { name: "ci", role: "admin" as const, project: "team-a", sha256: hashToken(token) };

test("a named token's Secret holds its hash, role, project and creation time, labelled for the watch", () => {
  const secret = namedTokenSecret("bosun", { ...entry, created: "2026-01-02T03:04:05.000Z" });
  assert.equal(secret.metadata.name, "bosun-token-ci");
  assert.equal(secret.metadata.namespace, "bosun");
  assert.deepEqual(secret.metadata.labels, {
    "bosun.dev/secret-type": "api-token",
    "app.kubernetes.io/part-of": "bosun",
  });
  const data = secret.data as Record<string, string>;
  const decoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
  assert.deepEqual(decoded, {
    name: "ci",
    role: "admin",
    project: "team-a",
    sha256: hashToken(token),
    created: "2026-01-02T03:04:05.000Z",
  });
  assert.deepEqual(namedTokenOf(secret), { ...entry, created: "2026-01-02T03:04:05.000Z" });
  const unscoped = namedTokenSecret("bosun", { name: "viewer", role: "readonly", sha256: hashToken("v") });
  assert.equal("project" in (unscoped.data as object), false);
  assert.deepEqual(namedTokenOf(unscoped), { name: "viewer", role: "readonly", sha256: hashToken("v") });
});

test("a Secret that is not a well-formed named token's grants nothing", () => {
  const good = namedTokenSecret("bosun", entry);
  const edit = (f: (s: KubeObject & { data: Record<string, string> }) => void) => {
    const copy = structuredClone(good) as KubeObject & { data: Record<string, string> };
    f(copy);
    return namedTokenOf(copy);
  };
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  assert.ok(
    edit(() => undefined),
    "the unedited Secret is a token",
  );
  assert.equal(
    edit((s) => {
      s.metadata.labels = {};
    }),
    undefined,
    "unlabelled",
  );
  assert.equal(
    edit((s) => {
      s.metadata.name = "bosun-token-other";
    }),
    undefined,
    "named unlike its data",
  );
  assert.equal(
    edit((s) => {
      s.metadata.name = "bosun-token-admin";
      s.data.name = b64("admin");
    }),
    undefined,
    "a built-in's name",
  );
  assert.equal(
    edit((s) => {
      s.data.role = b64("root");
    }),
    undefined,
    "an unknown role",
  );
  assert.equal(
    edit((s) => {
      s.data.sha256 = b64(token);
    }),
    undefined,
    "a plaintext token where the hash belongs",
  );
  assert.equal(
    edit((s) => {
      s.data.project = b64("Team A");
    }),
    undefined,
    "an invalid project",
  );
  assert.equal(
    edit((s) => {
      s.data = {};
    }),
    undefined,
    "no data",
  );
});
