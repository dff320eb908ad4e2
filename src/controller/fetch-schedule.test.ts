import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import { FetchSchedule } from "./analyse.js";
import { beginPass } from "./pass.js";

const app = (generation = 1, annotations: Record<string, string> = {}): Application =>
  ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "a", namespace: "bosun", generation, annotations },
    spec: { source: { repoURL: "file:///r" }, destination: {}, syncPolicy: { interval: "1m" } },
    status: { observedGeneration: 1 },
  }) as Application;

const signal = new AbortController().signal;

test("a pass fetches once its interval passed, accepting any fetch of the repository within it", () => {
  const schedule = new FetchSchedule();
  const t0 = 1_000_000;
  assert.equal(schedule.freshSince(beginPass("bosun/a", app(), signal, t0)), t0 - 60_000, "never fetched");
  schedule.fetched("bosun/a", t0);
  assert.equal(schedule.freshSince(beginPass("bosun/a", app(), signal, t0 + 30_000)), undefined, "within the interval");
  assert.equal(schedule.freshSince(beginPass("bosun/a", app(), signal, t0 + 60_000)), t0);
});

test("a refresh or a sync asked for needs a fetch made after it; a changed spec one within the interval", () => {
  const schedule = new FetchSchedule();
  const t0 = 1_000_000;
  schedule.fetched("bosun/a", t0);
  schedule.force("bosun/a", t0 + 10);
  assert.equal(schedule.freshSince(beginPass("bosun/a", app(), signal, t0 + 20)), t0 + 10);
  schedule.fetched("bosun/a", t0 + 20);
  assert.equal(schedule.freshSince(beginPass("bosun/a", app(), signal, t0 + 30)), undefined, "the force is used up");
  assert.equal(
    schedule.freshSince(beginPass("bosun/a", app(2), signal, t0 + 40)),
    t0 + 40 - 60_000,
    "a new generation: any fetch within the interval",
  );
  const requested = app(1, { "bosun.dev/reconcile-requested-at": "2026-01-01T00:00:00Z" });
  assert.equal(schedule.freshSince(beginPass("bosun/a", requested, signal, t0 + 50)), t0 + 50, "bosun app sync");
});
