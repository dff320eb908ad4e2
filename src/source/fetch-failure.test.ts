import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { classifyGitFailure, summarize } from "./fetch-failure.js";

describe("classifyGitFailure", () => {
  test("tells auth, host key, missing repository and unreachable apart", () => {
    assert.equal(classifyGitFailure("fatal: Authentication failed for 'http://127.0.0.1:1/r/'"), "auth");
    assert.equal(
      classifyGitFailure("git@h: Permission denied (publickey).\nfatal: Could not read from remote repository."),
      "auth",
    );
    assert.equal(
      classifyGitFailure("Host key verification failed.\nfatal: Could not read from remote repository."),
      "host-key",
    );
    assert.equal(classifyGitFailure("fatal: '/srv/x' does not appear to be a git repository"), "not-found");
    assert.equal(
      classifyGitFailure("fatal: unable to access 'http://127.0.0.1:9/r/': Failed to connect to 127.0.0.1 port 9"),
      "unreachable",
    );
    assert.equal(classifyGitFailure("something else"), "other");
  });
});

describe("summarize", () => {
  test("puts git's message on one line without the standard advice", () => {
    const stderr =
      "fatal: '/srv/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";
    assert.equal(
      summarize(stderr),
      "fatal: '/srv/x' does not appear to be a git repository; fatal: Could not read from remote repository.",
    );
  });
});
