// Running the git CLI: no shell, an argument array, an isolated environment, redacted errors.
import { spawn } from "node:child_process";
import { GitCommandError } from "./errors.js";
import { redactSecrets } from "./redact.js";

export interface RunGitOptions {
  signal: AbortSignal;
  /** The complete environment of the child (see gitEnvironment); nothing is inherited. */
  env: Readonly<Record<string, string>>;
  /** Values to redact from the error (passwords, tokens). */
  secrets?: readonly string[];
  /** Exit codes that are not failures (e.g. 1 for `show-ref` with no refs). */
  okExitCodes?: readonly number[];
  maxOutputBytes?: number;
}

export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const MAX_STDERR_IN_ERROR = 4000;

/** Run `git <args>`; resolves with its output, or rejects with GitCommandError (redacted) or the signal's reason. */
export async function runGit(binary: string, args: readonly string[], options: RunGitOptions): Promise<GitOutput> {
  options.signal.throwIfAborted();
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const secrets = options.secrets ?? [];
  return await new Promise<GitOutput>((resolve, reject) => {
    const child = spawn(binary, [...args], {
      env: { ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      shell: false,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let overflow = false;
    let settled = false;
    const onAbort = (): void => {
      child.kill("SIGTERM");
    };
    options.signal.addEventListener("abort", onAbort, { once: true });
    const collect =
      (into: Buffer[]) =>
      (chunk: Buffer): void => {
        size += chunk.length;
        if (size > max) {
          if (!overflow) child.kill("SIGTERM");
          overflow = true;
          return;
        }
        into.push(chunk);
      };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      fn();
    };
    child.on("error", (error) =>
      finish(() =>
        reject(
          new GitCommandError(redactArgs(args, secrets), null, redactSecrets(error.message, secrets), { cause: error }),
        ),
      ),
    );
    child.on("close", (code) =>
      finish(() => {
        if (options.signal.aborted) {
          reject(options.signal.reason);
          return;
        }
        const stdout = Buffer.concat(out).toString("utf8");
        const stderr = Buffer.concat(err).toString("utf8");
        if (overflow) {
          reject(new GitCommandError(redactArgs(args, secrets), code, `output larger than ${max} bytes`));
          return;
        }
        if (code === 0 || (code !== null && options.okExitCodes?.includes(code))) {
          resolve({ stdout, stderr, exitCode: code });
          return;
        }
        const shown = redactSecrets(stderr.trim(), secrets).slice(-MAX_STDERR_IN_ERROR);
        reject(new GitCommandError(redactArgs(args, secrets), code, shown));
      }),
    );
  });
}

function redactArgs(args: readonly string[], secrets: readonly string[]): string[] {
  return args.map((a) => redactSecrets(a, secrets));
}
