// Errors of a render. Each names the file (relative to the repository root) and the line where there is one;
// none carries a Secret's values (YAML errors are reported by position and code, never with the source text).

export interface RenderErrorOptions {
  /** The file at fault, relative to the repository root (posix separators). */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  cause?: unknown;
}

/** A render failed. Nothing of a failed render is returned. */
export class RenderError extends Error {
  override readonly name: string = "RenderError";
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The message without the `file:line: ` prefix. */
  readonly detail: string;

  constructor(detail: string, options: RenderErrorOptions = {}) {
    super(`${locationPrefix(options)}${detail}`, { cause: options.cause });
    this.detail = detail;
    this.file = options.file;
    this.line = options.line;
  }
}

function locationPrefix(options: RenderErrorOptions): string {
  if (options.file === undefined) return "";
  return options.line === undefined ? `${options.file}: ` : `${options.file}:${options.line}: `;
}

/** A path, symlink or reference resolves outside the repository root. Nothing outside is ever read. */
export class PathEscapeError extends RenderError {
  override readonly name: string = "PathEscapeError";
  /** The path as written (a reference in a file, the app path, or a symlink's location). */
  readonly reference: string;
  constructor(reference: string, detail: string, options: RenderErrorOptions = {}) {
    super(detail, options);
    this.reference = reference;
  }
}

/** A kustomization reaches for a remote (URL or git) base or file while remote bases are not allowed. */
export class RemoteReferenceError extends RenderError {
  override readonly name: string = "RemoteReferenceError";
  readonly reference: string;
  constructor(reference: string, detail: string, options: RenderErrorOptions = {}) {
    super(detail, options);
    this.reference = reference;
  }
}

/** A file a render needs (a value file, a kustomization's resource or patch) does not exist. */
export class MissingFileError extends RenderError {
  override readonly name: string = "MissingFileError";
  readonly reference: string;
  constructor(reference: string, detail: string, options: RenderErrorOptions = {}) {
    super(detail, options);
    this.reference = reference;
  }
}

/** A Helm chart declares a dependency that is not vendored under `charts/` (it would have to be downloaded). */
export class ChartDependencyError extends RenderError {
  override readonly name: string = "ChartDependencyError";
  readonly dependency: string;
  constructor(dependency: string, detail: string, options: RenderErrorOptions = {}) {
    super(detail, options);
    this.dependency = dependency;
  }
}

/** helm or kustomize exited non-zero or timed out; `stderr` is what it said (trimmed). */
export class ToolFailedError extends RenderError {
  override readonly name: string = "ToolFailedError";
  readonly tool: "helm" | "kustomize";
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(
    tool: "helm" | "kustomize",
    detail: string,
    options: RenderErrorOptions & { exitCode: number | null; stderr: string },
  ) {
    super(detail, options);
    this.tool = tool;
    this.exitCode = options.exitCode;
    this.stderr = options.stderr;
  }
}
