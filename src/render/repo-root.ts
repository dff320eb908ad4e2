// Path safety. Every path a render reads is resolved (symlinks included, with realpath) and must stay inside the
// repository root; a path that leaves it is a PathEscapeError before anything outside is opened.
import type { Stats } from "node:fs";
import { lstat, readlink, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { MissingFileError, PathEscapeError, RenderError } from "./errors.js";

/** Where a reference was written, for error messages. */
export interface ReferenceSite {
  /** What the reference is, e.g. `resource`, `value file`, `patch`. */
  what: string;
  /** The file holding the reference, relative to the root. */
  file?: string;
  line?: number;
  /** Appended to messages, e.g. how a nested kustomization was reached. */
  note?: string;
}

export interface ResolvedPath {
  /** The real path (symlinks resolved); inside the root. */
  real: string;
  isDirectory: boolean;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}

export class RepoRoot {
  private constructor(
    readonly real: string,
    /** The render's signal: every resolution checks it first. */
    readonly signal: AbortSignal,
  ) {}

  /** The root directory, resolved; `signal` is the render's. */
  static async open(dir: string, options: { signal: AbortSignal }): Promise<RepoRoot> {
    options.signal.throwIfAborted();
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      throw new RenderError(`repository root ${dir} cannot be read: ${(error as Error).message}`, { cause: error });
    }
    if (!(await stat(real)).isDirectory()) throw new RenderError(`repository root ${dir} is not a directory`);
    return new RepoRoot(real, options.signal);
  }

  /** The same root for work running under another signal (a render shared between callers). */
  withSignal(signal: AbortSignal): RepoRoot {
    return new RepoRoot(this.real, signal);
  }

  /** A path below the root as messages show it: relative, with `/` separators ("." for the root itself). */
  display(path: string): string {
    const rel = relative(this.real, path);
    if (rel === "") return ".";
    return sep === "/" ? rel : rel.split(sep).join("/");
  }

  /**
   * Resolve `reference` (relative to the real directory `fromDir`, which is inside the root) to a real path
   * inside the root. Throws PathEscapeError when it leaves the root, as written or through a symlink, and
   * MissingFileError when it does not exist.
   */
  async resolve(fromDir: string, reference: string, site: ReferenceSite): Promise<ResolvedPath> {
    const found = await this.tryResolve(fromDir, reference, site);
    if (found === undefined) {
      throw new MissingFileError(
        reference,
        `${site.what} "${reference}" does not exist (${this.display(resolve(fromDir, reference))})${site.note ?? ""}`,
        site,
      );
    }
    return found;
  }

  /** Like resolve, but a path that does not exist (and is not a symlink out of the root) gives undefined. */
  async tryResolve(fromDir: string, reference: string, site: ReferenceSite): Promise<ResolvedPath | undefined> {
    this.signal.throwIfAborted();
    const lexical = resolve(fromDir, reference);
    if (!isInside(this.real, lexical)) {
      throw new PathEscapeError(
        reference,
        `${site.what} "${reference}" is outside the repository${site.note ?? ""}`,
        site,
      );
    }
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (error) {
      if (!isErrno(error, "ENOENT") && !isErrno(error, "ENOTDIR")) throw error;
      await this.#refuseDanglingEscape(lexical, reference, site);
      return undefined;
    }
    if (!isInside(this.real, real)) {
      throw new PathEscapeError(
        reference,
        `${site.what} "${reference}" resolves outside the repository through a symlink (to ${real})${site.note ?? ""}`,
        site,
      );
    }
    const info: Stats = await stat(real);
    return { real, isDirectory: info.isDirectory() };
  }

  /** A dangling symlink that points out of the root is reported as an escape, not as a missing file. */
  async #refuseDanglingEscape(lexical: string, reference: string, site: ReferenceSite): Promise<void> {
    const info = await lstat(lexical).catch(() => undefined);
    if (!info?.isSymbolicLink()) return;
    const target = resolve(dirname(lexical), await readlink(lexical));
    if (!isInside(this.real, target)) {
      throw new PathEscapeError(
        reference,
        `${site.what} "${reference}" is a symlink to ${target}, outside the repository${site.note ?? ""}`,
        site,
      );
    }
  }
}
