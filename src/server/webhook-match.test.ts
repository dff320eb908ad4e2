import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import type { PushEvent } from "../source/index.js";
import { appsForPush, revisionMayMove } from "./webhook-match.js";

const push = (ref: string): PushEvent => ({
  provider: "github",
  repoUrls: ["https://git.example/org/deploy.git"],
  ref,
  branch: ref.startsWith("refs/heads/") ? ref.slice(11) : undefined,
  tag: ref.startsWith("refs/tags/") ? ref.slice(10) : undefined,
  after: "c".repeat(40),
  deleted: false,
});

test("a branch push moves that branch and HEAD, nothing else", () => {
  const main = push("refs/heads/main");
  assert.equal(revisionMayMove("main", main), true);
  assert.equal(revisionMayMove("refs/heads/main", main), true);
  assert.equal(revisionMayMove(undefined, main), true);
  assert.equal(revisionMayMove("HEAD", main), true);
  assert.equal(revisionMayMove("develop", main), false);
  assert.equal(revisionMayMove("a".repeat(40), main), false);
  assert.equal(revisionMayMove(">=1.2 <2", main), false);
});

test("a tag push moves that tag and any semver range", () => {
  const tag = push("refs/tags/v1.3.0");
  assert.equal(revisionMayMove("v1.3.0", tag), true);
  assert.equal(revisionMayMove(">=1.2 <2", tag), true);
  assert.equal(revisionMayMove("1.x", tag), true);
  assert.equal(revisionMayMove("v1.2.0", tag), false);
  assert.equal(revisionMayMove("main", tag), false);
});

const app = (name: string, repoURL: string, revision?: string): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name, namespace: "bosun" },
  spec: { source: { repoURL, revision }, destination: {} },
});

test("appsForPush keeps the Applications of that repository whose revision may have moved", () => {
  const apps = [
    app("on-main", "https://git.example/org/deploy", "main"),
    app("on-head", "https://git.example/org/deploy.git"),
    app("on-develop", "https://git.example/org/deploy.git", "develop"),
    app("elsewhere", "https://git.example/org/other.git", "main"),
  ];
  const same = (a: string, b: string) => a.replace(/\.git$/, "") === b.replace(/\.git$/, "");
  assert.deepEqual(appsForPush(apps, push("refs/heads/main"), same), ["bosun/on-main", "bosun/on-head"]);
});

test("a push to any source of an Application with several sources concerns it", () => {
  const multi: Application = {
    ...app("chart-and-values", "https://charts.example/"),
    spec: {
      source: { repoURL: "https://charts.example/", chart: "web" },
      sources: [
        { repoURL: "https://charts.example/", chart: "web" },
        { repoURL: "https://git.example/org/deploy.git", revision: "main", ref: "values" },
      ],
      destination: {},
    },
  };
  const same = (a: string, b: string) => a.replace(/\.git$/, "") === b.replace(/\.git$/, "");
  assert.deepEqual(appsForPush([multi], push("refs/heads/main"), same), ["bosun/chart-and-values"]);
  assert.deepEqual(appsForPush([multi], push("refs/heads/develop"), same), []);
});
