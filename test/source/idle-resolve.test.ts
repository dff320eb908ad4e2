// What an idle reconcile costs in git processes: resolving a revision whose remote did not move asks the
// remote (ls-remote) and nothing else; a new commit is still seen at once.
import assert from "node:assert/strict";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { GitSource } from "../../src/source/index.js";
import { Repo, TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(120_000);

/** A repository with one commit, and a GitSource whose git is the real one behind a wrapper that writes down each command line. */
async function loggedSource(t: { after: (fn: () => void) => void }, prefix: string) {
  const temp = new TempDirs();
  t.after(() => temp.cleanup());
  const root = await temp.make(prefix);
  const repo = await Repo.init(join(root, "deploy"));
  const first = await repo.commit("one", { "a.yaml": "a: 1\n" });
  const log = join(root, "git-calls.log");
  const wrapper = join(root, "git-logging");
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec git "$@"\n`);
  chmodSync(wrapper, 0o755);
  const source = new GitSource({ cacheDir: join(root, "cache"), gitBinary: wrapper, fileRepos: "any" });
  return { repo, first, source, calls: () => readFileSync(log, "utf8").trim().split("\n") };
}

test("an unchanged remote costs one git process per resolve; a new commit is picked up", async (t) => {
  const { repo, first, source, calls } = await loggedSource(t, "bosun-idle-resolve-");

  assert.equal((await source.resolve(repo.fileUrl, "main", { signal })).sha, first);
  const afterFirst = calls().length;
  assert.equal((await source.resolve(repo.fileUrl, "main", { signal })).sha, first);
  const idle = calls().slice(afterFirst);
  assert.equal(idle.length, 1, `only the remote is asked; ran: ${idle.join(" | ")}`);
  assert.match(idle[0] ?? "", /(^| )ls-remote /);

  const second = await repo.commit("two", { "a.yaml": "a: 2\n" });
  const resolved = await source.resolve(repo.fileUrl, "main", { signal });
  assert.equal(resolved.sha, second);
  assert.equal(resolved.message, "two");
});

test("resolves with freshSince share one fetch of a repository: none until someone needs one fresher", async (t) => {
  const { repo, first, source, calls } = await loggedSource(t, "bosun-fresh-since-");
  const remoteAsks = () => calls().filter((l) => / ls-remote /.test(` ${l}`)).length;

  const interval = 60_000;
  const at = Date.now();
  assert.equal((await source.resolve(repo.fileUrl, "main", { signal, freshSince: at - interval })).sha, first);
  assert.equal(remoteAsks(), 1);
  // Many Applications on this repository within the interval: the fetch of the first serves them all.
  const second = await repo.commit("two", { "a.yaml": "a: 2\n" });
  for (let i = 0; i < 5; i++)
    assert.equal((await source.resolve(repo.fileUrl, "main", { signal, freshSince: at - interval })).sha, first);
  assert.equal(remoteAsks(), 1, "no fetch while the last one is fresh enough");
  // A webhook asked after that fetch: the next resolve fetches and sees the new commit; the others share it.
  const pushedAt = Date.now() + 1;
  await new Promise((r) => setTimeout(r, 5));
  assert.equal((await source.resolve(repo.fileUrl, "main", { signal, freshSince: pushedAt })).sha, second);
  assert.equal((await source.resolve(repo.fileUrl, "main", { signal, freshSince: pushedAt })).sha, second);
  assert.equal(remoteAsks(), 2);
});
