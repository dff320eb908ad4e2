import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type TestContext, test } from "node:test";
import { ToolMissingError, toolPath } from "./locate.js";
import { cacheRoot, packageDir, readToolVersions } from "./versions.js";

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An environment without BOSUN_TOOLS_DIR, whatever the one running the tests has. */
const NO_TOOLS_DIR: NodeJS.ProcessEnv = {};

function executable(dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, 0o755);
  return file;
}

test("toolPath names the missing binary and how to build it", (t) => {
  const root = tempDir(t, "bosun-tools-");
  assert.throws(
    () => toolPath("helm", { root, env: NO_TOOLS_DIR }),
    (err: unknown) =>
      err instanceof ToolMissingError &&
      err.tool === "helm" &&
      err.toolsDir === undefined &&
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
  const options = { root, env: NO_TOOLS_DIR };
  assert.throws(() => toolPath("age-keygen", options), ToolMissingError, "a file that is not executable is not a tool");
  chmodSync(keygen, 0o755);
  assert.equal(toolPath("age-keygen", options), keygen);
});

test("toolPath finds the cache from the environment it is given", (t) => {
  const root = tempDir(t, "bosun-cache-");
  const dir = packageDir("kustomize", readToolVersions().kustomize, root);
  mkdirSync(dir, { recursive: true });
  const kustomize = executable(dir, "kustomize");
  assert.equal(toolPath("kustomize", { env: { BOSUN_CACHE_DIR: root } }), kustomize);
});

test("with BOSUN_TOOLS_DIR, toolPath finds a binary directly in that directory", (t) => {
  const toolsDir = tempDir(t, "bosun-image-tools-");
  const helm = executable(toolsDir, "helm");
  const kustomize = executable(toolsDir, "kustomize");
  const env = { BOSUN_TOOLS_DIR: toolsDir };
  assert.equal(toolPath("helm", { env }), helm);
  assert.equal(toolPath("kustomize", { env }), kustomize);
});

test("with BOSUN_TOOLS_DIR, toolPath looks nowhere else and says the image should ship the tool", (t) => {
  const toolsDir = tempDir(t, "bosun-image-tools-");
  const root = tempDir(t, "bosun-cache-");
  // The cache has kustomize; the tools directory does not, and only the tools directory counts.
  const cached = packageDir("kustomize", readToolVersions().kustomize, root);
  mkdirSync(cached, { recursive: true });
  executable(cached, "kustomize");
  assert.throws(
    () => toolPath("kustomize", { root, env: { BOSUN_TOOLS_DIR: toolsDir, BOSUN_CACHE_DIR: root } }),
    (err: unknown) => {
      assert.ok(err instanceof ToolMissingError);
      assert.equal(err.tool, "kustomize");
      assert.equal(err.toolsDir, toolsDir);
      assert.equal(err.expectedPath, join(toolsDir, "kustomize"));
      assert.match(err.message, /^kustomize is not in BOSUN_TOOLS_DIR=/);
      assert.ok(err.message.includes(toolsDir), err.message);
      assert.match(err.message, /image is expected to ship it/);
      assert.doesNotMatch(err.message, /npm run tools/);
      return true;
    },
  );
});

test("with BOSUN_TOOLS_DIR, a file that is not executable, or a directory, is not a tool", (t) => {
  const toolsDir = tempDir(t, "bosun-image-tools-");
  writeFileSync(join(toolsDir, "helm"), "#!/bin/sh\n", { mode: 0o644 });
  mkdirSync(join(toolsDir, "kustomize"), { mode: 0o755 });
  const env = { BOSUN_TOOLS_DIR: toolsDir };
  assert.throws(() => toolPath("helm", { env }), ToolMissingError);
  assert.throws(() => toolPath("kustomize", { env }), ToolMissingError);
  chmodSync(join(toolsDir, "helm"), 0o755);
  assert.equal(toolPath("helm", { env }), join(toolsDir, "helm"));
});

test("a relative BOSUN_TOOLS_DIR is made absolute (tools run in the render's directory)", (t) => {
  const toolsDir = tempDir(t, "bosun-image-tools-");
  const helm = executable(toolsDir, "helm");
  const relativeDir = relative(process.cwd(), toolsDir);
  assert.equal(toolPath("helm", { env: { BOSUN_TOOLS_DIR: relativeDir } }), helm);
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
