// The pinned helm for tests, isolated: HOME, HELM_{CONFIG,CACHE,DATA}_HOME, HELM_REGISTRY_CONFIG and
// DOCKER_CONFIG under `home` and no kubeconfig, so neither the user's helm setup nor their registry
// credentials are read or written. Only PATH (and TMPDIR) are inherited.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { toolPath } from "../../src/tools/index.js";

export interface HelmRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runHelm(
  args: string[],
  options: { home: string; signal?: AbortSignal; stdin?: string; kubeconfig?: string },
): Promise<HelmRunResult> {
  await mkdir(options.home, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: options.home,
    HELM_CONFIG_HOME: join(options.home, "config"),
    HELM_CACHE_HOME: join(options.home, "cache"),
    HELM_DATA_HOME: join(options.home, "data"),
    HELM_REGISTRY_CONFIG: join(options.home, "registry", "config.json"),
    DOCKER_CONFIG: join(options.home, "docker"),
    KUBECONFIG: options.kubeconfig ?? join(options.home, "no-kubeconfig"),
  };
  return await runProcess(toolPath("helm"), args, {
    env,
    cwd: options.home,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** A process with exactly this environment (TMPDIR added when set), its output collected; never throws on exit codes. */
export async function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; stdin?: string; signal?: AbortSignal },
): Promise<HelmRunResult> {
  const env = { ...options.env, ...(process.env.TMPDIR !== undefined ? { TMPDIR: process.env.TMPDIR } : {}) };
  const child = spawn(command, args, {
    env,
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on("error", () => {});
  child.stdin.end(options.stdin ?? "");
  return await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signalName) =>
      resolve({
        exitCode: code ?? (signalName ? 128 : 1),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
  });
}
