// An embedded API server of a test's own: a temp data directory, a free port, the pinned kubectl (run
// asynchronously: the server lives in this process), and bosun's own client. Stopped when the test ends.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { type EmbeddedServer, type EmbeddedServerOptions, startEmbeddedServer } from "../../src/embedded/index.js";
import { toolPath } from "../../src/tools/locate.js";

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface EmbeddedFixture {
  dir: string;
  server: EmbeddedServer;
  client: KubeClient;
  /** Runs the pinned kubectl against the server; rejects when it exits non-zero. */
  kubectl: (args: string[], input?: string) => Promise<string>;
  /** Runs kubectl and returns its exit code and output either way. */
  kubectlResult: (args: string[], input?: string, timeoutMs?: number) => Promise<KubectlResult>;
}

type After = { after: (fn: () => void | Promise<void>) => void };

export function runKubectl(
  kubeconfig: string,
  cacheDir: string,
  args: string[],
  input?: string,
  timeoutMs = 30_000,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      toolPath("kubectl"),
      ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args],
      { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGTERM" },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    child.stdin?.end(input ?? "");
  });
}

/** Starts a server in a fresh data directory (or `dir`, to reopen one), stopped and removed after the test. */
export async function startFixture(
  t: After,
  options: Partial<EmbeddedServerOptions> & { keepDir?: boolean } = {},
): Promise<EmbeddedFixture> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), "bosun-embedded-"));
  if (!options.keepDir) t.after(() => rmSync(dir, { recursive: true, force: true }));
  const controllerErrors: Error[] = [];
  const server = await startEmbeddedServer({
    ...options,
    dataDir: dir,
    onControllerError: (err) => controllerErrors.push(err),
  });
  t.after(async () => {
    await server.close();
    if (controllerErrors.length > 0)
      throw new AggregateError(controllerErrors, "the embedded server's controllers failed");
  });
  const cacheDir = join(dir, "kubectl-cache");
  const client = new KubeClient(loadClusterConfig({ kubeconfig: server.kubeconfigPath }), { retries: 0 });
  const kubectlResult = (args: string[], input?: string, timeoutMs?: number) =>
    runKubectl(server.kubeconfigPath, cacheDir, args, input, timeoutMs);
  const kubectl = async (args: string[], input?: string) => {
    const r = await kubectlResult(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  return { dir, server, client, kubectl, kubectlResult };
}
