// Revision resolution against real repositories over file://.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FetchError, GitSource, RevisionNotFoundError } from "../../src/source/index.js";
import { AUTHOR, git, Repo, TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(120_000);

describe("resolve over file://", () => {
  let repo: Repo;
  let source: GitSource;
  const c: Record<string, string> = {};

  const temp = new TempDirs();
  after(() => temp.cleanup());

  before(async () => {
    const root = await temp.make("bosun-resolve-");
    repo = await Repo.init(join(root, "deploy"));
    c.v100 = await repo.commit("initial manifests", { "app.yaml": "replicas: 1\n" });
    await repo.tag("v1.0.0");
    c.v120 = await repo.commit("scale to 2", { "app.yaml": "replicas: 2\n" });
    await repo.tag("v1.2.0", { annotated: true });
    c.v123 = await repo.commit("fix probe\n\nThe readiness probe pointed at the wrong port.", {
      "app.yaml": "replicas: 2\nport: 8080\n",
    });
    await repo.tag("v1.2.3");
    await repo.checkout("staging", { create: true });
    c.staging = await repo.commit("staging only", { "staging.yaml": "env: staging\n" });
    await repo.checkout("main");
    c.rc = await repo.commit("2.0 candidate", { "app.yaml": "replicas: 3\n" });
    await repo.tag("v2.0.0-rc.1", { annotated: true });
    c.v200 = await repo.commit("2.0", { "app.yaml": "replicas: 4\n" });
    await repo.tag("v2.0.0");
    c.head = await repo.commit("untagged work", { "notes.txt": "wip\n" });
    // A cache directory with a space and a quote: every path reaches git and ssh safely quoted.
    source = new GitSource({ cacheDir: join(root, "cache dir 'x'"), fileRepos: "any" });
  });

  test("a branch resolves to its tip with the commit's message, author and time", async () => {
    const r = await source.resolve(repo.fileUrl, "main", { signal });
    assert.equal(r.sha, c.head);
    assert.equal(r.ref, "refs/heads/main");
    assert.equal(r.message, "untagged work");
    assert.deepEqual(r.author, AUTHOR);
    assert.match(r.authoredAt, /^2024-03-0\dT\d\d:\d\d:\d\d\+02:00$/);
    assert.equal(r.fetchError, undefined);
    const multi = await source.resolve(repo.fileUrl, "v1.2.3", { signal });
    assert.equal(multi.message, "fix probe\n\nThe readiness probe pointed at the wrong port.");
  });

  test("tags (lightweight and annotated) resolve to their commit", async () => {
    assert.equal((await source.resolve(repo.fileUrl, "v1.0.0", { signal })).sha, c.v100);
    const annotated = await source.resolve(repo.fileUrl, "v1.2.0", { signal });
    assert.equal(annotated.sha, c.v120);
    assert.equal(annotated.ref, "refs/tags/v1.2.0");
  });

  test("semver ranges pick the highest matching tag", async () => {
    const cases: Array<[string, string | undefined, string]> = [
      [">=1.2.0 <2.0.0", c.v123, "1.2.3"],
      ["~1.2", c.v123, "1.2.3"],
      ["^1.0", c.v123, "1.2.3"],
      ["^2", c.v200, "2.0.0"],
      [">=2.0.0-rc.0 <2.0.0", c.rc, "2.0.0-rc.1"],
      ["1.0.0", c.v100, "1.0.0"],
    ];
    for (const [range, sha, version] of cases) {
      const r = await source.resolve(repo.fileUrl, range, { signal });
      assert.equal(r.sha, sha, range);
      assert.equal(r.version, version, range);
    }
  });

  test("full and abbreviated SHAs and HEAD resolve", async () => {
    const full = await source.resolve(repo.fileUrl, c.v120 ?? "", { signal });
    assert.equal(full.sha, c.v120);
    assert.equal(full.ref, undefined);
    assert.equal((await source.resolve(repo.fileUrl, (c.staging ?? "").slice(0, 8), { signal })).sha, c.staging);
    const head = await source.resolve(repo.fileUrl, "HEAD", { signal });
    assert.equal(head.sha, c.head);
  });

  test("a revision that does not exist is a typed error naming it and the repository", async () => {
    for (const revision of ["no-such-branch", "^3", "deadbeef".repeat(5), "main~1", "main@{1}"]) {
      await assert.rejects(
        source.resolve(repo.fileUrl, revision, { signal }),
        (e: unknown) =>
          e instanceof RevisionNotFoundError &&
          e.name === "RevisionNotFoundError" &&
          e.revision === revision &&
          e.url === repo.fileUrl &&
          e.message.includes(JSON.stringify(revision)) &&
          e.message.includes(repo.fileUrl),
      );
    }
  });

  test("HEAD follows the remote's default branch", async () => {
    await git(repo.dir, ["symbolic-ref", "HEAD", "refs/heads/staging"]);
    try {
      assert.equal((await source.resolve(repo.fileUrl, "HEAD", { signal })).sha, c.staging);
    } finally {
      await git(repo.dir, ["symbolic-ref", "HEAD", "refs/heads/main"]);
    }
    assert.equal((await source.resolve(repo.fileUrl, "HEAD", { signal })).sha, c.head);
  });

  test("new commits, moved tags and deleted branches are seen by the next fetch; an unchanged remote fetches nothing", async () => {
    const first = await source.fetch(repo.fileUrl, { signal });
    assert.equal(first.changed, false);
    const next = await repo.commit("more work", { "notes.txt": "more\n" });
    const refreshed = await source.fetch(repo.fileUrl, { signal });
    assert.equal(refreshed.changed, true);
    assert.equal((await source.resolve(repo.fileUrl, "main", { signal })).sha, next);

    await repo.tag("v1.0.0", { force: true, at: c.v120 ?? "" });
    assert.equal((await source.resolve(repo.fileUrl, "v1.0.0", { signal })).sha, c.v120);

    await git(repo.dir, ["branch", "--quiet", "temporary", c.v100 ?? ""]);
    assert.equal((await source.resolve(repo.fileUrl, "temporary", { signal })).sha, c.v100);
    await git(repo.dir, ["branch", "--quiet", "-D", "temporary"]);
    await assert.rejects(source.resolve(repo.fileUrl, "temporary", { signal }), RevisionNotFoundError);
  });

  test("refresh: false answers from the mirror without fetching", async () => {
    const before = await source.resolve(repo.fileUrl, "main", { signal });
    const newer = await repo.commit("not fetched yet", { "notes.txt": "newer\n" });
    assert.equal((await source.resolve(repo.fileUrl, "main", { signal, refresh: false })).sha, before.sha);
    assert.equal((await source.resolve(repo.fileUrl, "main", { signal })).sha, newer);
  });

  test("a missing repository is a FetchError that says so", async () => {
    const missing = `file://${join(repo.dir, "..", "no-such-repo")}`;
    await assert.rejects(
      source.resolve(missing, "main", { signal }),
      (e: unknown) => e instanceof FetchError && e.reason === "not-found" && e.url === missing,
    );
    const status = await source.fetchStatus(missing);
    assert.ok(status.lastError instanceof FetchError);
    assert.equal(status.lastSuccessAt, undefined);
  });
});
