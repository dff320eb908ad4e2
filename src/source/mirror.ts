// One bare mirror of one remote: create, compare with the remote, fetch, list refs, read commits.
// Every value that reaches git is either validated by the caller (URL, hex object names) or made here
// (ref names from git's own output), and `--` or `--end-of-options` ends the options where git accepts it.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type HeadState, parseLsRemote, parseShowRef, type RefState } from "./refs.js";
import type { RefTable } from "./revision.js";
import { runGit } from "./run-git.js";

export interface MirrorContext {
  gitBinary: string;
  /** The git mirror directory (bare repository). */
  dir: string;
  env: Readonly<Record<string, string>>;
  secrets: readonly string[];
  signal: AbortSignal;
}

export interface CommitInfo {
  sha: string;
  message: string;
  author: { name: string; email: string };
  /** ISO 8601 with the author's offset. */
  authoredAt: string;
  committer: { name: string; email: string };
  committedAt: string;
}

/** Holds the time of the last successful fetch; its presence means the mirror has usable state. */
const FETCHED_MARKER = "bosun-fetched-at";
const DETACHED_HEAD_REF = "refs/bosun/remote-head";

async function git(ctx: MirrorContext, args: string[], okExitCodes?: number[]) {
  return await runGit(ctx.gitBinary, ["--git-dir", ctx.dir, ...args], {
    signal: ctx.signal,
    env: ctx.env,
    secrets: ctx.secrets,
    ...(okExitCodes ? { okExitCodes } : {}),
  });
}

/** Create the bare repository when missing: built under a temporary name, then renamed into place. */
export async function ensureMirror(ctx: MirrorContext): Promise<void> {
  if (await exists(join(ctx.dir, "HEAD"))) return;
  const parent = dirname(ctx.dir);
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const tmp = join(parent, `.tmp-${randomBytes(6).toString("hex")}`);
  try {
    await runGit(ctx.gitBinary, ["init", "--bare", "--quiet", "--template=", "--", tmp], {
      signal: ctx.signal,
      env: ctx.env,
    });
    await rename(tmp, ctx.dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    // Another process may have won the race; its mirror is as good as ours.
    if (!(await exists(join(ctx.dir, "HEAD")))) throw error;
  }
}

/** The remote's branches, tags and HEAD, as `git ls-remote --symref` reports them. */
export async function remoteRefState(ctx: MirrorContext, url: string): Promise<RefState> {
  const { stdout } = await git(ctx, ["ls-remote", "--symref", "--", url]);
  return parseLsRemote(stdout);
}

/** The mirror's branches and tags (unpeeled) and HEAD, plus the peeled table used for resolution. */
export async function localRefState(ctx: MirrorContext): Promise<RefState & { table: RefTable }> {
  const shown = await git(ctx, ["show-ref", "--head", "--dereference"], [1]);
  const { refs, table } = parseShowRef(shown.stdout);
  const symbolic = await git(ctx, ["symbolic-ref", "--quiet", "HEAD"], [1]);
  const target = symbolic.stdout.trim();
  const headSha = table.get("HEAD");
  const head: HeadState =
    symbolic.exitCode === 0 && target !== ""
      ? { kind: "symbolic", target }
      : headSha !== undefined
        ? { kind: "detached", sha: headSha }
        : { kind: "none" };
  return { refs, head, table };
}

/** Fetch branches and tags (pruning what the remote deleted, taking moved tags), then mirror HEAD. */
export async function fetchInto(ctx: MirrorContext, url: string, remoteHead: HeadState): Promise<void> {
  const refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];
  if (remoteHead.kind === "detached") refspecs.push(`+HEAD:${DETACHED_HEAD_REF}`);
  await git(ctx, ["fetch", "--quiet", "--prune", "--no-tags", "--no-write-fetch-head", "--", url, ...refspecs]);
  if (remoteHead.kind === "symbolic" && remoteHead.target.startsWith("refs/heads/")) {
    await git(ctx, ["symbolic-ref", "HEAD", remoteHead.target]);
  } else if (remoteHead.kind === "detached") {
    await git(ctx, ["update-ref", "--no-deref", "HEAD", remoteHead.sha]);
  }
}

export async function markFetched(dir: string, at: Date): Promise<void> {
  await writeFile(join(dir, FETCHED_MARKER), `${at.toISOString()}\n`, { mode: 0o600 });
}

/** When the mirror was last fetched successfully (survives restarts), or undefined when never. */
export async function lastFetchedAt(dir: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(dir, FETCHED_MARKER), "utf8")).trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * The commit an object name (full or abbreviated hex, validated by the caller) points to, peeling tags.
 * `{ found: false }` with a reason when there is none or the abbreviation is ambiguous.
 */
export async function commitOf(
  ctx: MirrorContext,
  objectName: string,
): Promise<{ found: true; info: CommitInfo } | { found: false; detail: string }> {
  const parsed = await git(
    ctx,
    ["rev-parse", "--verify", "--quiet", "--end-of-options", `${objectName}^{commit}`],
    [1],
  );
  if (parsed.exitCode !== 0) {
    const ambiguous = /ambiguous/i.test(parsed.stderr);
    return { found: false, detail: ambiguous ? "the abbreviated SHA is ambiguous" : "no such commit" };
  }
  const sha = parsed.stdout.trim();
  const format = ["%H", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join("%x00");
  const { stdout } = await git(ctx, [
    "log",
    "-1",
    "--no-show-signature",
    "--no-decorate",
    `--format=${format}`,
    "--end-of-options",
    sha,
    "--",
  ]);
  const [full = sha, an = "", ae = "", aI = "", cn = "", ce = "", cI = "", ...body] = stdout.split("\0");
  return {
    found: true,
    info: {
      sha: full,
      message: body.join("\0").replace(/\n+$/, ""),
      author: { name: an, email: ae },
      authoredAt: aI,
      committer: { name: cn, email: ce },
      committedAt: cI,
    },
  };
}

/** True when the mirror holds this commit (full SHA, validated by the caller). */
export async function hasCommit(ctx: MirrorContext, sha: string): Promise<boolean> {
  if (!(await exists(join(ctx.dir, "HEAD")))) return false;
  const r = await git(ctx, ["cat-file", "-e", "--end-of-options", `${sha}^{commit}`], [1, 128]);
  return r.exitCode === 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
