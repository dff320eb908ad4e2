// Inputs that would make git run a command or read an option are refused before git runs, and git itself
// is configured to refuse them too.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { gitEnvironment } from "../../src/source/git-env.js";
import { GitSource, InvalidRepoUrlError, InvalidRevisionError } from "../../src/source/index.js";
import { runGit } from "../../src/source/run-git.js";
import { Repo, TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(60_000);
const execFileP = promisify(execFile);

async function exists(path: string): Promise<boolean> {
  return await access(path).then(
    () => true,
    () => false,
  );
}

describe("rejected inputs", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let root: string;
  let pwned: string;
  let repo: Repo;
  let cacheDir: string;
  let source: GitSource;

  before(async () => {
    root = await temp.make("bosun-reject-");
    pwned = join(root, "pwned");
    repo = await Repo.init(join(root, "deploy"));
    await repo.commit("initial", { "app.yaml": "a: 1\n" });
    cacheDir = join(root, "cache");
    source = new GitSource({ cacheDir, fileRepos: "any" });
  });

  test("option-like and transport-helper URLs are refused by fetch, resolve and checkout", async () => {
    const urls = [
      `--upload-pack=touch ${pwned}`,
      `-u touch ${pwned}`,
      `ext::sh -c touch% ${pwned}`,
      `ext::sh -c "touch ${pwned}"`,
      `fd::0`,
      `ssh://-oProxyCommand=touch%20${pwned}/repo`,
      `-oProxyCommand=touch ${pwned}@host:repo`,
      `file::${repo.dir}`,
    ];
    for (const url of urls) {
      await assert.rejects(source.fetch(url, { signal }), InvalidRepoUrlError, url);
      await assert.rejects(source.resolve(url, "main", { signal }), InvalidRepoUrlError, url);
      await assert.rejects(source.checkout(url, "a".repeat(40), { signal }), InvalidRepoUrlError, url);
    }
    assert.equal(await exists(pwned), false);
    // Nothing was started: no mirror, not even the cache directory.
    assert.equal(await exists(cacheDir), false);
  });

  test("option-like revisions are refused, and no file appears", async () => {
    for (const revision of [`--upload-pack=touch ${pwned}`, "-n", "--output=/tmp/x", `--exec=touch ${pwned}`]) {
      await assert.rejects(
        source.resolve(repo.fileUrl, revision, { signal }),
        (e: unknown) => e instanceof InvalidRevisionError && e.revision === revision && /option/.test(e.message),
      );
      await assert.rejects(source.checkout(repo.fileUrl, revision, { signal }), InvalidRevisionError);
    }
    assert.equal(await exists(pwned), false);
    assert.equal(await exists(join(cacheDir, "mirrors")), false);
  });

  test("a valid repository still works after all that, with exactly one mirror", async () => {
    const r = await source.resolve(repo.fileUrl, "main", { signal });
    assert.match(r.sha, /^[0-9a-f]{40}$/);
    assert.equal((await readdir(join(cacheDir, "mirrors"))).length, 1);
  });

  test("even past validation, git in bosun's environment refuses ext:: and fd::, whatever ~/.gitconfig says", async () => {
    const home = join(root, "home-allowing-ext");
    await mkdir(home);
    await writeFile(join(home, ".gitconfig"), '[protocol "ext"]\n\tallow = always\n');
    // Control: with that HOME and no isolation, git does run the ext:: command.
    const control = join(root, "control-ran");
    await execFileP("git", ["ls-remote", "--", `ext::sh -c touch% ${control}`], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home },
    }).catch(() => {});
    assert.equal(await exists(control), true, "the control shows ext:: runs when allowed");

    const env = gitEnvironment({ home });
    for (const url of [`ext::sh -c touch% ${pwned}`, "fd::0"]) {
      await assert.rejects(
        runGit("git", ["ls-remote", "--", url], { signal, env }),
        (e: unknown) => e instanceof Error && /transport '(ext|fd)' not allowed/.test(e.message),
      );
    }
    assert.equal(await exists(pwned), false);
  });
});
