import assert from "node:assert/strict";
import { test } from "node:test";
import { FetchError, GitCommandError, RevisionNotFoundError } from "./errors.js";

test("GitCommandError names the subcommand, not the option values before it", () => {
  const e = new GitCommandError(["--git-dir", "/cache/m.git", "-c", "a=b", "fetch", "--prune"], 128, "fatal: x");
  assert.equal(e.message, "git fetch exited with 128: fatal: x");
  assert.equal(e.name, "GitCommandError");
});

test("errors carry a name and a cause", () => {
  const cause = new Error("underlying");
  const e = new FetchError("https://h/r", "unreachable", "down", { cause });
  assert.equal(e.name, "FetchError");
  assert.equal(e.cause, cause);
  assert.ok(e instanceof Error);
  assert.equal(new RevisionNotFoundError("v9", "https://h/r").message, 'revision "v9" not found in https://h/r');
});
