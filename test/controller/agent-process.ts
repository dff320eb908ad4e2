// `bosun agent` as its own process (as users run it), with its JSON log lines collected, so a test can
// kill it for real, read what it logged and wait for a line. Killed with SIGKILL when the test ends.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

const REPO = join(import.meta.dirname, "../..");

export interface AgentProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr, in order. */
  output: () => string;
  /** Waits for a log line matching `pattern` and returns it parsed. */
  waitForLog: (what: string, pattern: RegExp, timeoutMs?: number) => Promise<Record<string, unknown>>;
  /** SIGKILL, and wait for the exit. */
  kill: () => Promise<void>;
}

/** Starts `bosun agent` for the Applications in `ns`, its HTTP API on a free loopback port. */
export function startAgentProcess(
  t: TestContext,
  ns: TestNamespace,
  options: { cacheDir?: string; args?: string[] } = {},
): AgentProcess {
  const ownCacheDir = options.cacheDir ? undefined : mkdtempSync(join(tmpdir(), "bosun-agent-process-"));
  const cacheDir = options.cacheDir ?? (ownCacheDir as string);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "agent",
      "--kubeconfig",
      ns.kubeconfig,
      "--namespace",
      ns.name,
      "--cache-dir",
      cacheDir,
      "--listen",
      "127.0.0.1:0",
      "--allow-file-repos",
      tmpdir(),
      ...(options.args ?? []),
    ],
    { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
  );
  const chunks: string[] = [];
  child.stdout?.on("data", (b: Buffer) => chunks.push(b.toString("utf8")));
  child.stderr?.on("data", (b: Buffer) => chunks.push(b.toString("utf8")));
  const output = () => chunks.join("");
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    if (!running()) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  };
  // Killed before its cache goes: a running agent still writes there.
  t.after(async () => {
    await kill();
    if (ownCacheDir) rmSync(ownCacheDir, { recursive: true, force: true });
  });
  const waitForLog = async (what: string, pattern: RegExp, timeoutMs = 60_000) => {
    let found: Record<string, unknown> | undefined;
    await waitFor(
      what,
      async () => {
        if (!running()) throw new Error(`bosun agent exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
        const line = output()
          .split("\n")
          .find((l) => pattern.test(l));
        if (line) found = JSON.parse(line) as Record<string, unknown>;
        return found !== undefined;
      },
      { timeoutMs, detail: () => output().slice(-3000) },
    );
    return found as Record<string, unknown>;
  };
  return { child, output, waitForLog, kill };
}
