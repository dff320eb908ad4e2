import { spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";

export interface StartedProcess {
  name: string;
  pid: number;
  /** Absolute path of the binary, checked against /proc/PID/cmdline before a signal is sent. */
  binary: string;
  args: string[];
  log: string;
}

/** Start a long-running component detached from this process (it outlives `testcluster up`), output to its log. */
export function startDetached(name: string, binary: string, args: string[], log: string): StartedProcess {
  const fd = openSync(log, "a");
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", fd, fd] });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${binary})`);
  child.unref();
  return { name, pid: child.pid, binary, args, log };
}

/** True when PID is alive and is still the binary we started (PIDs are recycled). */
export function isOurs(proc: StartedProcess): boolean {
  try {
    const argv0 = readFileSync(`/proc/${proc.pid}/cmdline`, "utf8").split("\0")[0];
    return argv0 === proc.binary;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after graceMs; only ever signals PIDs that are still ours. */
export async function stopProcess(proc: StartedProcess, graceMs = 10_000): Promise<void> {
  if (!isOurs(proc)) return;
  process.kill(proc.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurs(proc)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isOurs(proc)) process.kill(proc.pid, "SIGKILL");
  while (isOurs(proc)) await new Promise((r) => setTimeout(r, 50));
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
