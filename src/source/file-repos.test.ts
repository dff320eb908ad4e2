import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FileRepoNotAllowedError } from "./errors.js";
import { checkFileRepo, isWithin } from "./file-repos.js";
import { parseRepoUrl } from "./repo-url.js";

const top = mkdtempSync(join(tmpdir(), "bosun-file-repos-"));
after(() => rmSync(top, { recursive: true, force: true }));
const dir = (...parts: string[]) => {
  const path = join(top, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
};
const allowed = dir("allowed");
const inside = dir("allowed", "team", "repo");
const outside = dir("elsewhere", "repo");
const cache = dir("allowed", "agent-cache");
const mirror = dir("allowed", "agent-cache", "git", "mirrors", "abc.git");
symlinkSync(outside, join(allowed, "link-out"));
const url = (path: string) => parseRepoUrl(`file://${path}`);
const refused = async (path: string, policy: Parameters<typeof checkFileRepo>[1], pattern: RegExp) =>
  await assert.rejects(checkFileRepo(url(path), policy, cache), (e: unknown) => {
    assert.ok(e instanceof FileRepoNotAllowedError);
    assert.match(e.message, pattern);
    return true;
  });

test("segment-wise containment: /a/bc is not inside /a/b", () => {
  assert.ok(isWithin("/a/b", "/a/b"));
  assert.ok(isWithin("/a/b/c", "/a/b"));
  assert.ok(!isWithin("/a/bc", "/a/b"));
  assert.ok(!isWithin("/a", "/a/b"));
});

test("a file:// repository under an allowed root passes; outside it, or with no policy, it is refused", async () => {
  await checkFileRepo(url(inside), { roots: [allowed] }, cache);
  await refused(outside, { roots: [allowed] }, /outside the directories allowed .*--allow-file-repos DIR/);
  await refused(inside, undefined, /no directory is allowed for file:\/\/ repositories.*--allow-file-repos/);
  await refused(inside, { roots: [] }, /outside the directories allowed/);
  // A missing path is judged by where it would be: inside, git reports it missing; outside, refused.
  await checkFileRepo(url(join(allowed, "missing")), { roots: [allowed] }, cache);
  await refused(join(top, "elsewhere", "missing"), { roots: [allowed] }, /outside the directories allowed/);
  await refused(join(allowed, "link-out", "missing"), { roots: [allowed] }, /outside the directories allowed/);
});

test("symbolic links are followed before the check", async () => {
  await refused(join(allowed, "link-out"), { roots: [allowed] }, /outside the directories allowed/);
  await checkFileRepo(url(join(allowed, "link-out")), { roots: [join(top, "elsewhere")] }, cache);
});

test("the agent's own cache is never a repository, not even with any", async () => {
  await refused(mirror, { roots: [allowed] }, /in the agent's own cache; bosun never reads its own cache directory/);
  await refused(mirror, "any", /in the agent's own cache; bosun never reads its own cache directory/);
  await refused(allowed, "any", /in the agent's own cache; bosun never reads its own cache directory/);
  await checkFileRepo(url(outside), "any", cache);
});

test("other transports pass untouched", async () => {
  await checkFileRepo(parseRepoUrl("https://git.example/x.git"), undefined, cache);
});
