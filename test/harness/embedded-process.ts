// Starts test/harness/embedded-main.ts in a process of its own and waits for its kubeconfig.
import { spawn } from "node:child_process";
import { join } from "node:path";

const MAIN = join(import.meta.dirname, "embedded-main.ts");

export interface EmbeddedProcess {
  pid: number;
  kubeconfig: string;
  /** SIGTERM, and wait for the exit (SIGKILL after 10 s). */
  stop: () => Promise<void>;
}

export async function startEmbeddedProcess(dataDir: string): Promise<EmbeddedProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const ready = /^ready (.+)$/m.exec(output);
      if (ready?.[1]) resolve(ready[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("exit", (code) =>
      reject(new Error(`the embedded server exited (${code}) before it was ready:\n${output}`)),
    );
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { pid: child.pid ?? -1, kubeconfig, stop };
}
