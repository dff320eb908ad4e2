// Checkouts: one read-only directory per commit, `<checkouts>/<sha>`, built in a temporary directory with
// a private index (`read-tree` + `checkout-index`) and renamed into place, so a checkout directory is
// either complete and of exactly one commit, or absent. Its mtime records when it was last handed out.

import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "../api/index.js";
import { CheckoutError } from "./errors.js";
import { hasCommit, type MirrorContext } from "./mirror.js";
import { isFullSha } from "./revision.js";
import { runGit } from "./run-git.js";

const TEMP_PREFIX = ".tmp-";
const TRASH_PREFIX = ".trash-";
/** Temporary and trash directories older than this are leftovers of a crash and are removed by cleanup. */
const STALE_TEMP_MS = 15 * 60 * 1000;

export interface CheckoutContext {
  mirror: MirrorContext;
  checkoutsDir: string;
  now: Date;
}

/** The checkout directory of a commit, made when missing; marks it used now. */
export async function materializeCheckout(ctx: CheckoutContext, sha: string): Promise<string> {
  const signal = ctx.mirror.signal;
  const target = join(ctx.checkoutsDir, sha);
  if (await isDirectory(target)) {
    await utimes(target, ctx.now, ctx.now);
    return target;
  }
  if (!(await hasCommit(ctx.mirror, sha))) {
    throw new CheckoutError(sha, "the commit is not in the mirror (resolve the revision first)");
  }
  await mkdir(ctx.checkoutsDir, { recursive: true, mode: 0o700 });
  const work = await mkdtemp(join(ctx.checkoutsDir, `${TEMP_PREFIX}${sha.slice(0, 12)}-`));
  const tree = join(work, "tree");
  try {
    const env = { ...ctx.mirror.env, GIT_INDEX_FILE: join(work, "index") };
    const run = async (args: string[]): Promise<void> => {
      await runGit(ctx.mirror.gitBinary, ["--git-dir", ctx.mirror.dir, ...args], { signal, env });
    };
    await mkdir(tree);
    await run(["read-tree", "--end-of-options", sha]);
    await run(["--work-tree", tree, "checkout-index", "--all", "--force"]);
    signal.throwIfAborted();
    await makeReadOnly(tree, { keepTopWritable: true });
    try {
      await rename(tree, target);
    } catch (error) {
      // Another process finished the same commit first: the content is identical, keep theirs.
      if (!(await isDirectory(target))) throw new CheckoutError(sha, "could not move into place", { cause: error });
    }
    await chmod(target, 0o500);
    await utimes(target, ctx.now, ctx.now);
    return target;
  } catch (error) {
    if (error instanceof CheckoutError || signal.aborted) throw error;
    throw new CheckoutError(sha, errorMessage(error), { cause: error });
  } finally {
    await removeTree(work);
  }
}

export interface CleanupContext {
  checkoutsDir: string;
  now: Date;
  /** Checkouts that stay whatever their age. */
  keep: ReadonlySet<string>;
  /** Remove only checkouts last used at least this long ago; undefined removes every checkout not kept. */
  unusedForMs: number | undefined;
  /** Commits this process is checking out right now: their temporary directories stay. */
  building: ReadonlySet<string>;
  signal: AbortSignal;
}

/** Remove checkouts not kept and unused for long enough, and stale temporary directories. Returns the removed SHAs. */
export async function cleanupCheckouts(ctx: CleanupContext): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(ctx.checkoutsDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries.sort()) {
    ctx.signal.throwIfAborted();
    const path = join(ctx.checkoutsDir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const idleMs = ctx.now.getTime() - info.mtime.getTime();
    if (name.startsWith(TEMP_PREFIX) || name.startsWith(TRASH_PREFIX)) {
      const ours = [...ctx.building].some((sha) => name.startsWith(`${TEMP_PREFIX}${sha.slice(0, 12)}-`));
      if (!ours && idleMs >= STALE_TEMP_MS) await removeTree(path);
      continue;
    }
    if (!isFullSha(name) || ctx.keep.has(name)) continue;
    if (ctx.unusedForMs !== undefined && idleMs < ctx.unusedForMs) continue;
    // Take it out of view first, atomically, so nobody is handed a half-removed tree.
    const trash = join(ctx.checkoutsDir, `${TRASH_PREFIX}${name}-${randomBytes(4).toString("hex")}`);
    try {
      await rename(path, trash);
    } catch {
      continue;
    }
    await removeTree(trash);
    removed.push(name);
  }
  return removed;
}

/** Owner-only and read-only everywhere below `dir` (files keep their executable bit). */
export async function makeReadOnly(dir: string, options: { keepTopWritable: boolean }): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await makeReadOnly(path, { keepTopWritable: false });
    } else if (entry.isFile()) {
      const { mode } = await stat(path);
      await chmod(path, mode & 0o111 ? 0o500 : 0o400);
    }
  }
  if (!options.keepTopWritable) await chmod(dir, 0o500);
}

/** rm -rf for a tree made read-only by makeReadOnly. */
export async function removeTree(dir: string): Promise<void> {
  await makeWritable(dir).catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

export async function makeWritable(dir: string): Promise<void> {
  const info = await lstat(dir);
  if (!info.isDirectory()) return;
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await makeWritable(join(dir, entry.name));
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}
