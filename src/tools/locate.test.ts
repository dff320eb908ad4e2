import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { ToolMissingError, toolPath } from "./locate.js";
import { cacheRoot, packageDir, readToolVersions } from "./versions.js";

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("toolPath names the missing binary and how to build it", (t) => {
  const root = tempDir(t, "bosun-tools-");
  assert.throws(
    () => toolPath("helm", root),
    (err: unknown) =>
      err instanceof ToolMissingError &&
      err.tool === "helm" &&
      err.expectedPath === join(root, "tools", `helm-${readToolVersions().helm}`, "helm") &&
      err.message.includes("npm run tools"),
  );
});

test("toolPath finds an executable in its package's versioned directory", (t) => {
  const root = tempDir(t, "bosun-tools-");
  const dir = packageDir("age", readToolVersions().age, root);
  mkdirSync(dir, { recursive: true });
  const keygen = join(dir, "age-keygen");
  writeFileSync(keygen, "#!/bin/sh\n");
  assert.throws(() => toolPath("age-keygen", root), ToolMissingError, "a file that is not executable is not a tool");
  chmodSync(keygen, 0o755);
  assert.equal(toolPath("age-keygen", root), keygen);
});

test("readToolVersions rejects a file without a valid pin for every package", (t) => {
  const dir = tempDir(t, "bosun-versions-");
  const file = join(dir, "versions.json");
  const good = readToolVersions();
  writeFileSync(file, JSON.stringify({ ...good, helm: "latest" }));
  assert.throws(() => readToolVersions(file), /"helm" must be a version like 1\.2\.3, got "latest"/);
  const { sops: _dropped, ...withoutSops } = good;
  writeFileSync(file, JSON.stringify(withoutSops));
  assert.throws(() => readToolVersions(file), /"sops" must be a version/);
  writeFileSync(file, JSON.stringify(good));
  assert.deepEqual(readToolVersions(file), good);
});

test("cacheRoot honours BOSUN_CACHE_DIR, then XDG_CACHE_HOME", () => {
  assert.equal(cacheRoot({ BOSUN_CACHE_DIR: "/x/bosun", XDG_CACHE_HOME: "/y" }), "/x/bosun");
  assert.equal(cacheRoot({ XDG_CACHE_HOME: "/y" }), "/y/bosun");
  assert.match(cacheRoot({}), /\/\.cache\/bosun$/);
});
