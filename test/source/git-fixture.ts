// Real git repositories made by tests: commits with fixed authors and dates, branches, tags.
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const AUTHOR = { name: "Ada Lovelace", email: "ada@example.com" };

let clock = Date.parse("2024-03-01T12:00:00Z") / 1000;

/** git in `cwd` with the user's configuration ignored and a fixed, advancing author/committer date. */
export async function git(cwd: string, args: string[]): Promise<string> {
  clock += 60;
  const date = `${clock} +0200`;
  const { stdout } = await run("git", args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: AUTHOR.name,
      GIT_AUTHOR_EMAIL: AUTHOR.email,
      GIT_COMMITTER_NAME: "Bosun Test",
      GIT_COMMITTER_EMAIL: "test@bosun.dev",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
  return stdout.trim();
}

/** Temporary directories, all removed (read-only checkouts included) by cleanup(). */
export class TempDirs {
  readonly #dirs: string[] = [];

  async make(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.#dirs.push(dir);
    return dir;
  }

  async cleanup(): Promise<void> {
    for (const dir of this.#dirs.splice(0)) {
      await run("chmod", ["-R", "u+w", dir]).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  }
}

export class Repo {
  constructor(readonly dir: string) {}

  static async init(dir: string): Promise<Repo> {
    await mkdir(dir, { recursive: true });
    await git(dir, ["init", "--quiet", "--initial-branch=main"]);
    return new Repo(dir);
  }

  get fileUrl(): string {
    return `file://${this.dir}`;
  }

  /** Write (or, with null, delete) files, commit everything, return the commit SHA. */
  async commit(
    message: string,
    files: Record<string, string | null>,
    options: { executable?: string[]; symlinks?: Record<string, string> } = {},
  ): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        await rm(full, { force: true });
      } else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    for (const path of options.executable ?? []) await chmod(join(this.dir, path), 0o755);
    for (const [path, target] of Object.entries(options.symlinks ?? {})) await symlink(target, join(this.dir, path));
    await git(this.dir, ["add", "--all"]);
    await git(this.dir, ["commit", "--quiet", "--allow-empty", "-m", message]);
    return await this.sha("HEAD");
  }

  async sha(rev: string): Promise<string> {
    return await git(this.dir, ["rev-parse", "--verify", `${rev}^{commit}`]);
  }

  async tag(name: string, options: { annotated?: boolean; at?: string; force?: boolean } = {}): Promise<void> {
    const args = ["tag"];
    if (options.force) args.push("--force");
    if (options.annotated) args.push("-a", "-m", `release ${name}`);
    args.push(name);
    if (options.at) args.push(options.at);
    await git(this.dir, args);
  }

  async checkout(branch: string, options: { create?: boolean } = {}): Promise<void> {
    await git(this.dir, options.create ? ["checkout", "--quiet", "-b", branch] : ["checkout", "--quiet", branch]);
  }
}

/** Every file below `dir` (relative path → content; symlinks as `-> target`). */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isSymbolicLink()) out[rel] = `-> ${(await run("readlink", [join(dir, rel)])).stdout.trim()}`;
      else out[rel] = await readFile(join(dir, rel), "utf8");
    }
  };
  await walk("");
  return out;
}
