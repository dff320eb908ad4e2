// file:// repositories: which local paths a GitSource hands to git. Only paths inside the allowed roots
// (symlinks followed), and never anything inside the GitSource's own cache (mirrors fetched with other
// callers' credentials, checkouts), nor a directory holding that cache, whatever the policy says.

import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { errorMessage } from "../api/index.js";
import { FileRepoNotAllowedError } from "./errors.js";
import type { RepoUrl } from "./repo-url.js";

/** Where `file://` repositories may be read from: below these directories, or anywhere ("any"). */
export type FileRepoPolicy = { readonly roots: readonly string[] } | "any";

/**
 * True when `path` is `root` or below it, comparing whole path segments (`/a/bc` is not inside `/a/b`).
 * Both are taken as absolute paths; resolve symlinks first when they matter.
 */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The local path git reads for a `file://` URL, derived as git derives it: the URL is percent-decoded,
 * then the path starts at the first `/` after the (empty or `localhost`) host. Throws
 * FileRepoNotAllowedError for what git would read differently from this reading.
 */
export function fileRepoPath(url: string, display: string = url): string {
  const refuse = (detail: string): never => {
    throw new FileRepoNotAllowedError(display, detail);
  };
  // git recognises only the lower-case scheme as its file transport.
  if (!url.startsWith("file://")) refuse("write the scheme as file://");
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.slice("file://".length));
  } catch (error) {
    return refuse(`malformed percent-encoding (${errorMessage(error)})`);
  }
  if (decoded.includes("\0")) refuse("the path contains a NUL character");
  const slash = decoded.indexOf("/");
  const host = slash < 0 ? decoded : decoded.slice(0, slash);
  if (slash < 0 || (host !== "" && host.toLowerCase() !== "localhost")) refuse("a file URL needs an absolute path");
  return decoded.slice(slash);
}

/**
 * Refuse a `file://` repository the policy does not allow (other transports pass). Runs before any git
 * process: the path must exist, and it, every repository directory git may pick for it (`<path>/.git`,
 * `<path>.git`, …) and the target of a `.git` file must lie, symlinks resolved, inside an allowed root and
 * neither inside the cache directory nor above it.
 */
export async function checkFileRepo(
  repo: RepoUrl,
  policy: FileRepoPolicy | undefined,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<void> {
  if (repo.transport !== "file") return;
  const refuse = (detail: string, options: { allowable?: boolean; cause?: unknown } = {}): never => {
    throw new FileRepoNotAllowedError(repo.display, detail, options);
  };
  if (policy === undefined) refuse("no directory is allowed for file:// repositories");
  const path = fileRepoPath(repo.url, repo.display);
  signal?.throwIfAborted();
  // A path that does not exist is judged by where it would be (git then reports it missing).
  const targets = await repositoryPaths(path).catch(async () => [await realpathOrResolved(path)]);
  signal?.throwIfAborted();
  const cache = await realpathOrResolved(cacheDir);
  if (targets.some((target) => isWithin(target, cache) || isWithin(cache, target))) {
    refuse("it is in the agent's own cache", { allowable: false });
  }
  if (policy === "any") return;
  const roots: string[] = [];
  for (const root of policy?.roots ?? []) {
    signal?.throwIfAborted();
    const real = await realpath(root).catch(() => undefined);
    if (real !== undefined) roots.push(real);
  }
  for (const target of targets) {
    if (!roots.some((root) => isWithin(target, root))) {
      refuse("it is outside the directories allowed for file:// repositories");
    }
  }
}

/**
 * The real paths git may read for a local repository path: the path itself and the candidates git's
 * `enter_repo` tries (`<path>/.git`, `<path>.git/.git`, `<path>.git`), each that exists, plus the target of
 * any of them that is a `.git` file (`gitdir: …`). Rejects when the path does not exist.
 */
async function repositoryPaths(path: string): Promise<string[]> {
  const out = [await realpath(path)];
  const base = path.replace(/\/+$/, "") || "/";
  for (const candidate of [`${base}/.git`, `${base}.git/.git`, `${base}.git`]) {
    const real = await realpath(candidate).catch(() => undefined);
    if (real === undefined) continue;
    out.push(real);
    if ((await stat(real)).isFile()) {
      const gitdir = /^gitdir: (.*)$/m.exec(await readFile(real, "utf8"))?.[1]?.trim();
      if (gitdir !== undefined && gitdir !== "") {
        const target = resolve(dirname(real), gitdir);
        out.push(await realpath(target).catch(() => target));
      }
    }
  }
  return out;
}

/** realpath of a directory that may not exist yet: its nearest existing ancestor's, plus the rest. */
async function realpathOrResolved(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    if (parent === absolute) return absolute;
    return resolve(await realpathOrResolved(parent), relative(parent, absolute));
  }
}
