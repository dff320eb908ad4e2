// The reconciler's end-to-end tests again, with every agent running as `bosun install`'s ServiceAccount (a
// TokenRequest token and nothing else): the installed RBAC is enough for what the agent does. The files chosen
// use the default Project and the agent's own cluster; tests of Projects without a service account, or of other
// clusters (where the deployer has no binding), expect writes as the agent itself and are left out.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { SHARED_KUBECONFIG_ENV } from "../harness/cluster-fixture.js";
import { kubectlGet } from "../harness/control-plane.js";
import { AGENT_IDENTITY_ENV } from "./agent-harness.js";

const FILES = [
  "gitops-loop.test.ts",
  "waves.test.ts",
  "health-gate.test.ts",
  "sync-options.test.ts",
  "depends-on.test.ts",
  "heal-while-waiting.test.ts",
  "quiet-pass.test.ts",
].map((f) => join(import.meta.dirname, f));

test("the reconciler's end-to-end tests pass with the agent running as the installed ServiceAccount [real]", async () => {
  const kubeconfig = process.env[SHARED_KUBECONFIG_ENV];
  assert.ok(kubeconfig, `${SHARED_KUBECONFIG_ENV} is set by scripts/run-tests.ts`);
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    // Not a subprocess of this run's test runner (NODE_TEST_CONTEXT would make it report to it): a run of its own.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", ...FILES], {
      env: { ...env, [AGENT_IDENTITY_ENV]: "installed" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => chunks.push(b));
    child.stderr.on("data", (b: Buffer) => chunks.push(b));
    child.on("close", (c) => resolve({ code: c ?? 1, output: Buffer.concat(chunks).toString("utf8") }));
  });
  const failures = output
    .split("\n")
    .filter((l) => /^\s*not ok /.test(l))
    .join("\n");
  assert.equal(code, 0, `failed as the installed ServiceAccount:\n${failures}\n${output.slice(-8000)}`);
  const passed = Number(/^# pass (\d+)$/m.exec(output)?.[1] ?? 0);
  assert.ok(passed >= FILES.length, `expected the files' tests to run, saw ${passed} passing`);
  assert.match(output, /^# fail 0$/m);
  // Each file's agents ran as an installed identity: bosun install's agent bindings were made for them.
  const bindings = kubectlGet<{
    items: Array<{ metadata: { name: string; managedFields?: Array<{ manager: string }> } }>;
  }>(kubeconfig, ["clusterrolebindings", "--show-managed-fields"]);
  const installedForTests = (bindings?.items ?? []).filter(
    (b) =>
      b.metadata.name.endsWith("-agent") && (b.metadata.managedFields ?? []).some((m) => m.manager === "bosun-test"),
  );
  assert.ok(installedForTests.length >= FILES.length, `${installedForTests.length} installed agent identities`);
});
