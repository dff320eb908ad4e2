import assert from "node:assert/strict";
import { test } from "node:test";
import { driftLine, sourceOf } from "./app-commands.js";
import { UsageError } from "./output.js";

test("bosun app get shows a drift record on one line: each field Git → live, then fields without values", () => {
  const line = driftLine({
    resource: "Deployment.apps/shop/web",
    fields: ["/spec/replicas", "/spec/paused", "/spec/template/spec/containers/0/image"],
    changes: [
      { path: "/spec/replicas", from: "1", to: "3" },
      { path: "/spec/paused", to: "true" },
    ],
    manager: "kubectl",
    at: new Date().toISOString(),
    corrected: false,
  });
  assert.match(
    line,
    /^Drift: +Deployment\.apps\/shop\/web by kubectl \d+s ago \(not corrected\): \/spec\/replicas 1 → 3, \/spec\/paused \(not set\) → true, \/spec\/template\/spec\/containers\/0\/image$/,
  );
});

test("a drift record of an older agent (no values) lists its fields", () => {
  const line = driftLine({ resource: "r", fields: ["/data/a"], manager: "m", at: "", corrected: true });
  assert.match(line, /\(reverted\): \/data\/a$/);
});

test("a drift record says what the drift policy did, and which rule said so", () => {
  const record = { resource: "r", fields: ["/spec/replicas"], manager: "m", at: "", corrected: false };
  assert.match(driftLine({ ...record, action: "allow", rule: 0 }), /\(allowed, driftPolicy\[0\]\): /);
  assert.match(driftLine({ ...record, action: "detect" }), /\(detected only\): /);
  assert.match(
    driftLine({ ...record, corrected: true, action: "revert", rule: 2 }),
    /\(reverted, driftPolicy\[2\]\): /,
  );
});

test("app create refuses an interval under a second and a destination namespace no API server accepts", async () => {
  const { buildProgram } = await import("./program.js");
  const { UsageError } = await import("./output.js");
  const run = async (...args: string[]) =>
    await buildProgram({ out: () => undefined, err: () => undefined }).parseAsync([
      "node",
      "bosun",
      "app",
      "create",
      "shop",
      "--repo",
      "https://git.example/x.git",
      "--kubeconfig",
      "/nonexistent",
      ...args,
    ]);
  await assert.rejects(
    run("--interval", "1ms"),
    (e: unknown) => e instanceof UsageError && /--interval 1ms is shorter than 1s/.test(e.message),
  );
  await assert.rejects(
    run("--dest-namespace", "Bad_NS"),
    (e: unknown) => e instanceof UsageError && /"Bad_NS" is not a valid namespace name/.test(e.message),
  );
});

test("app create --chart makes a chart source: no path, the revision only when given, insecure and credentials", () => {
  const opts = { repo: "oci://127.0.0.1:5000/charts", path: "", revision: "HEAD", chart: "web", insecure: true };
  assert.deepEqual(sourceOf({ ...opts, credentials: "registry" }, { helmValues: [], directory: undefined }), {
    repoURL: "oci://127.0.0.1:5000/charts",
    chart: "web",
    insecure: true,
    credentialsRef: { name: "registry" },
  });
  assert.equal(sourceOf({ ...opts, revision: "1.x" }, { helmValues: [], directory: undefined }).revision, "1.x");
  assert.throws(
    () => sourceOf({ ...opts, path: "envs/prod" }, { helmValues: [], directory: undefined }),
    (e: unknown) => e instanceof UsageError && /--chart names the chart/.test(e.message),
  );
  assert.throws(
    () => sourceOf({ ...opts, chart: undefined }, { helmValues: [], directory: undefined }),
    (e: unknown) => e instanceof UsageError && /--insecure is for chart repositories/.test(e.message),
  );
});
