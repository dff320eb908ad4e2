// Running helm and kustomize: execFile (no shell), an AbortSignal, a timeout, bounded output. A runner is a
// function so tests can wrap it (to count runs) and the controller can bound concurrency around it.
import { execFile } from "node:child_process";
import { ToolMissingError, toolPath } from "../tools/index.js";
import { RenderError, ToolFailedError } from "./errors.js";

export type RenderBinary = "helm" | "kustomize";

export interface ToolInvocation {
  tool: RenderBinary;
  args: string[];
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface ToolOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one tool invocation to completion; rejects only when it could not run, timed out or was aborted. */
export type ToolRunner = (invocation: ToolInvocation) => Promise<ToolOutput>;

const MAX_STDOUT_BYTES = 256 * 1024 * 1024;

function binaryOf(tool: RenderBinary, binaries: Partial<Record<RenderBinary, string>>): string {
  const configured = binaries[tool];
  if (configured !== undefined) return configured;
  try {
    return toolPath(tool);
  } catch (error) {
    if (error instanceof ToolMissingError) throw new RenderError(error.message, { cause: error });
    throw error;
  }
}

/** The runner of the pinned binaries (or of the given ones). */
export function execToolRunner(options: { binaries?: Partial<Record<RenderBinary, string>> } = {}): ToolRunner {
  const binaries = options.binaries ?? {};
  return async (invocation) => {
    invocation.signal.throwIfAborted();
    const binary = binaryOf(invocation.tool, binaries);
    return await new Promise<ToolOutput>((resolve, reject) => {
      execFile(
        binary,
        invocation.args,
        {
          cwd: invocation.cwd,
          env: invocation.env,
          signal: invocation.signal,
          timeout: invocation.timeoutMs,
          killSignal: "SIGKILL",
          maxBuffer: MAX_STDOUT_BYTES,
          encoding: "utf8",
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve({ exitCode: 0, stdout, stderr });
            return;
          }
          if (invocation.signal.aborted) {
            reject(invocation.signal.reason);
            return;
          }
          const failure = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
          if (typeof failure.code === "number") {
            resolve({ exitCode: failure.code, stdout, stderr });
            return;
          }
          const detail = failure.killed
            ? `timed out after ${invocation.timeoutMs} ms`
            : failure.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER"
              ? `printed more than ${MAX_STDOUT_BYTES} bytes`
              : `could not run ${binary}: ${failure.message}`;
          reject(
            new ToolFailedError(invocation.tool, `${invocation.tool} ${detail}`, {
              exitCode: null,
              stderr: stderr.trim(),
              cause: error,
            }),
          );
        },
      );
    });
  };
}
