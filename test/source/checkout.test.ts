// Checkouts: content-addressed, read-only, atomic, reused, cleaned up.
import assert from "node:assert/strict";
import { lstat, readdir, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CheckoutError, GitSource, InvalidRevisionError } from "../../src/source/index.js";
import { Repo, readTree, TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(120_000);

async function modesBelow(dir: string): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [[".", (await lstat(dir)).mode & 0o777]];
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) continue;
      out.push([rel, (await lstat(join(dir, rel))).mode & 0o777]);
      if (entry.isDirectory()) await walk(rel);
    }
  };
  await walk("");
  return out;
}

describe("checkouts", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let repo: Repo;
  let cacheDir: string;
  let source: GitSource;
  let first: string;
  let second: string;

  before(async () => {
    const root = await temp.make("bosun-checkout-");
    repo = await Repo.init(join(root, "deploy"));
    first = await repo.commit(
      "v1",
      {
        "base/deployment.yaml": "kind: Deployment\nreplicas: 1\n",
        "base/only-in-v1.yaml": "kind: ConfigMap\n",
        "scripts/render.sh": "#!/bin/sh\necho hi\n",
      },
      { executable: ["scripts/render.sh"] },
    );
    second = await repo.commit(
      "v2",
      {
        "base/deployment.yaml": "kind: Deployment\nreplicas: 3\n",
        "base/only-in-v1.yaml": null,
        "overlays/prod/kustomization.yaml": "resources: [../../base]\n",
      },
      { symlinks: { "current.yaml": "base/deployment.yaml" } },
    );
    cacheDir = join(root, "cache");
    source = new GitSource({ cacheDir, fileRepos: "any" });
    await source.fetch(repo.fileUrl, { signal });
  });

  test("a checkout holds exactly its commit's tree, under <cache>/checkouts/<sha>", async () => {
    const one = await source.checkout(repo.fileUrl, first, { signal });
    assert.equal(one.dir, join(cacheDir, "checkouts", first));
    assert.deepEqual(await readTree(one.dir), {
      "base/deployment.yaml": "kind: Deployment\nreplicas: 1\n",
      "base/only-in-v1.yaml": "kind: ConfigMap\n",
      "scripts/render.sh": "#!/bin/sh\necho hi\n",
    });
  });

  test("two revisions never mix: each has its own directory with only its own files", async () => {
    const one = await source.checkout(repo.fileUrl, first, { signal });
    const two = await source.checkout(repo.fileUrl, second, { signal });
    assert.notEqual(one.dir, two.dir);
    assert.deepEqual(await readTree(two.dir), {
      "base/deployment.yaml": "kind: Deployment\nreplicas: 3\n",
      "current.yaml": "-> base/deployment.yaml",
      "overlays/prod/kustomization.yaml": "resources: [../../base]\n",
      "scripts/render.sh": "#!/bin/sh\necho hi\n",
    });
    assert.equal((await readTree(one.dir))["base/deployment.yaml"], "kind: Deployment\nreplicas: 1\n");
    assert.ok("base/only-in-v1.yaml" in (await readTree(one.dir)));
  });

  test("checkouts are read-only, keeping the executable bit", async () => {
    const { dir } = await source.checkout(repo.fileUrl, second, { signal });
    const modes = new Map(await modesBelow(dir));
    for (const [path, mode] of modes) assert.equal(mode & 0o222, 0, `${path} is writable (${mode.toString(8)})`);
    assert.equal(modes.get("scripts/render.sh"), 0o500);
    assert.equal(modes.get("base/deployment.yaml"), 0o400);
    assert.equal(modes.get("base"), 0o500);
    for (const [path, mode] of modes)
      assert.equal(mode & 0o077, 0, `${path} is readable by others (${mode.toString(8)})`);
    if (process.getuid?.() !== 0) {
      await assert.rejects(writeFile(join(dir, "base/deployment.yaml"), "changed"), { code: "EACCES" });
      await assert.rejects(writeFile(join(dir, "new.yaml"), "x"), { code: "EACCES" });
    }
  });

  test("a checkout is reused by later callers, concurrent callers and a restarted process", async () => {
    const a = await source.checkout(repo.fileUrl, first, { signal });
    const inode = (await stat(a.dir)).ino;
    const [b, c] = await Promise.all([
      source.checkout(repo.fileUrl, first, { signal }),
      source.checkout(repo.fileUrl, first, { signal }),
    ]);
    assert.equal(b.dir, a.dir);
    assert.equal(c.dir, a.dir);
    const restarted = new GitSource({ cacheDir, fileRepos: "any" });
    const d = await restarted.checkout(repo.fileUrl, first, { signal });
    assert.equal(d.dir, a.dir);
    assert.equal((await stat(d.dir)).ino, inode);
    const leftovers = (await readdir(join(cacheDir, "checkouts"))).filter((n) => n.startsWith("."));
    assert.deepEqual(leftovers, []);
  });

  test("concurrent first checkouts of two commits build both, without temporary leftovers", async () => {
    const fresh = new GitSource({ cacheDir: await temp.make("bosun-checkout-fresh-"), fileRepos: "any" });
    await fresh.fetch(repo.fileUrl, { signal });
    const [x, y, z] = await Promise.all([
      fresh.checkout(repo.fileUrl, first, { signal }),
      fresh.checkout(repo.fileUrl, second, { signal }),
      fresh.checkout(repo.fileUrl, first, { signal }),
    ]);
    assert.equal(x.dir, z.dir);
    assert.equal((await readTree(x.dir))["base/deployment.yaml"], "kind: Deployment\nreplicas: 1\n");
    assert.equal((await readTree(y.dir))["base/deployment.yaml"], "kind: Deployment\nreplicas: 3\n");
    const names = await readdir(join(x.dir, ".."));
    assert.deepEqual(names.sort(), [first, second].sort());
  });

  test("cleanup removes checkouts unused for the given time, and those not kept", async () => {
    const one = await source.checkout(repo.fileUrl, first, { signal });
    const two = await source.checkout(repo.fileUrl, second, { signal });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(one.dir, twoHoursAgo, twoHoursAgo);

    assert.deepEqual(await source.cleanupCheckouts({ signal, unusedForMs: 3600_000, keep: [first] }), []);
    assert.deepEqual(await source.cleanupCheckouts({ signal, unusedForMs: 3600_000 }), [first]);
    await assert.rejects(stat(one.dir), { code: "ENOENT" });
    assert.ok((await stat(two.dir)).isDirectory());

    // Handing a checkout out again marks it used.
    await source.checkout(repo.fileUrl, first, { signal });
    assert.deepEqual(await source.cleanupCheckouts({ signal, unusedForMs: 3600_000 }), []);

    assert.deepEqual(await source.cleanupCheckouts({ signal, keep: [second] }), [first]);
    assert.deepEqual(await readdir(join(cacheDir, "checkouts")), [second]);
    // A removed checkout is rebuilt on demand.
    const again = await source.checkout(repo.fileUrl, first, { signal });
    assert.equal((await readTree(again.dir))["base/deployment.yaml"], "kind: Deployment\nreplicas: 1\n");
  });

  test("a commit that is not in the mirror, or not a full SHA, is refused", async () => {
    await assert.rejects(
      source.checkout(repo.fileUrl, "0123456789".repeat(4), { signal }),
      (e: unknown) => e instanceof CheckoutError && /not in the mirror/.test(e.message),
    );
    await assert.rejects(source.checkout(repo.fileUrl, first.slice(0, 12), { signal }), InvalidRevisionError);
    await assert.rejects(source.checkout(repo.fileUrl, "main", { signal }), InvalidRevisionError);
  });
});
