// `bosun up` as a process of its own, as a user runs it: its output collected, its banner parsed.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { kubectl } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";

const REPO = join(import.meta.dirname, "../..");

export interface UpProcess {
  child: ChildProcess;
  output: () => string;
  kubeconfig: string;
  dashboardUrl: string;
  adminToken: string;
  kubectl: (args: string[], input?: string) => string;
  /** Resolves with the exit code (or the signal) once the process ended. */
  exited: Promise<number | NodeJS.Signals>;
}

export async function startUp(t: TestContext, dataDir: string, args: string[] = []): Promise<UpProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "up", "--data-dir", dataDir, "--port", "0", "--ui-port", "0", ...args],
    { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
  );
  const chunks: string[] = [];
  child.stdout?.on("data", (b: Buffer) => chunks.push(b.toString("utf8")));
  child.stderr?.on("data", (b: Buffer) => chunks.push(b.toString("utf8")));
  const output = () => chunks.join("");
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  let banner: RegExpExecArray | null = null;
  await waitFor(
    "bosun up to print its banner",
    async () => {
      if (child.exitCode !== null) throw new Error(`bosun up exited (${child.exitCode}):\n${output()}`);
      banner = /API server\s+\S+\s+\(kubeconfig (\S+)\)\n\s+dashboard\s+(\S+)\s+\(admin token (\S+)\)/.exec(output());
      return banner !== null;
    },
    { timeoutMs: 120_000, detail: output },
  );
  const [, kubeconfig = "", dashboardUrl = "", adminToken = ""] = banner as unknown as string[];
  return {
    child,
    output,
    kubeconfig,
    dashboardUrl,
    adminToken,
    kubectl: (a, input) => kubectl(kubeconfig, a, input),
    exited,
  };
}
