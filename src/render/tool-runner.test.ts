// The runner itself, with /bin/sh standing in for a tool.
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { test } from "node:test";
import { ToolFailedError } from "./errors.js";
import { toolMessage } from "./tool-message.js";
import { execToolRunner, type ToolInvocation } from "./tool-runner.js";

const run = execToolRunner({ binaries: { kustomize: "/bin/sh" } });
const invocation = (script: string, extra: Partial<ToolInvocation> = {}): ToolInvocation => ({
  tool: "kustomize",
  args: ["-c", script],
  cwd: tmpdir(),
  env: { ONLY: "this" },
  timeoutMs: 10_000,
  signal: new AbortController().signal,
  ...extra,
});

test("output and exit code come back; the environment is exactly the one given", async () => {
  const ok = await run(invocation('printf "%s|%s|" "$ONLY" "$HOME"; echo warn >&2'));
  assert.deepEqual(ok, { exitCode: 0, stdout: "this||", stderr: "warn\n" });
  const failed = await run(invocation("echo 'Error: no' >&2; exit 3"));
  assert.deepEqual(failed, { exitCode: 3, stdout: "", stderr: "Error: no\n" });
});

test("a run that takes too long is killed and fails as a timeout", async () => {
  await assert.rejects(
    run(invocation("sleep 5", { timeoutMs: 200 })),
    (e: unknown) => e instanceof ToolFailedError && e.message === "kustomize timed out after 200 ms",
  );
});

test("an aborted run rejects with the signal's reason", async () => {
  const controller = new AbortController();
  const pending = run(invocation("sleep 5", { signal: controller.signal }));
  setTimeout(() => controller.abort(new Error("shutting down")), 50);
  await assert.rejects(pending, /shutting down/);
});

test("a binary that cannot run is a ToolFailedError", async () => {
  const missing = execToolRunner({ binaries: { helm: "/nonexistent/helm" } });
  await assert.rejects(missing({ ...invocation(""), tool: "helm" }), /helm could not run \/nonexistent\/helm/);
});

test("tool messages lose the Error: prefix, the --debug hint and the temporary paths", () => {
  const stderr =
    "Error: execution error at (web/templates/a.yaml:3:4): x is required\n\nUse --debug flag to render out invalid YAML\n";
  assert.equal(toolMessage(stderr, []), "execution error at (web/templates/a.yaml:3:4): x is required");
  assert.equal(
    toolMessage("Error: accumulating resources from '/srv/checkout/base': boom in /srv/checkout", ["/srv/checkout"]),
    "accumulating resources from 'base': boom in .",
  );
  assert.equal(toolMessage("  \n", []), "(no message)");
  assert.equal(toolMessage("x".repeat(5000), []).length, 4001);
});
