import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidRepoUrlError } from "./errors.js";
import { normalizeRepoUrl, parseRepoUrl, redactUrl, repoUrlMatches } from "./repo-url.js";

describe("parseRepoUrl", () => {
  test("accepts the allowed transports", () => {
    assert.equal(parseRepoUrl("https://github.com/org/repo.git").transport, "https");
    assert.equal(parseRepoUrl("http://127.0.0.1:8080/repo").transport, "http");
    assert.equal(parseRepoUrl("ssh://git@github.com/org/repo.git").transport, "ssh");
    assert.equal(parseRepoUrl("ssh://git@[::1]:2222/org/repo.git").host, "[::1]");
    assert.equal(parseRepoUrl("git://git.example/repo.git").transport, "git");
    assert.equal(parseRepoUrl("file:///srv/git/repo.git").transport, "file");
    const scp = parseRepoUrl("git@GitHub.com:org/repo.git");
    assert.equal(scp.transport, "ssh");
    assert.equal(scp.host, "github.com");
  });

  const rejected: Array<[string, RegExp]> = [
    ["--upload-pack=touch /tmp/pwned", /option/],
    ["-oProxyCommand=x", /option/],
    ["ext::sh -c touch% /tmp/pwned", /transport/],
    ["fd::17", /transport/],
    ["file::/tmp/x", /transport/],
    ["https::example.com/repo", /transport/],
    ["ftp://example.com/repo.git", /ftp transport is not allowed/],
    ["git+ssh://git@example.com/repo.git", /not allowed/],
    ["/srv/git/repo.git", /unsupported form/],
    ["repo", /unsupported form/],
    ["ssh://-oProxyCommand=touch%20x/repo", /host starts with '-'/],
    ["ssh://-u@example.com/repo", /user name starts with '-'/],
    ["-u@example.com:repo", /option/],
    ["git@-host:repo", /host starts with '-'/],
    ["git@host:-repo", /path starts with '-'/],
    ["https://example.com/repo\n", /control characters/],
    ["https://example.com/", /no repository path/],
    ["file://otherhost/srv/repo", /must not name a host/],
    ["", /empty/],
  ];
  for (const [url, reason] of rejected) {
    test(`rejects ${JSON.stringify(url)}`, () => {
      assert.throws(
        () => parseRepoUrl(url),
        (e: unknown) => e instanceof InvalidRepoUrlError && e.name === "InvalidRepoUrlError" && reason.test(e.message),
      );
    });
  }

  test("rejects credentials inside the URL and does not repeat them", () => {
    for (const url of ["https://alice:s3cret-pw@example.com/repo.git", "https://ghp_tokenvalue@example.com/repo.git"]) {
      assert.throws(
        () => parseRepoUrl(url),
        (e: unknown) =>
          e instanceof InvalidRepoUrlError &&
          /credentials object/.test(e.message) &&
          !e.message.includes("s3cret-pw") &&
          !e.message.includes("ghp_tokenvalue") &&
          e.url === "https://example.com/repo.git",
      );
    }
  });
});

describe("redactUrl", () => {
  test("strips user information from every URL in a text", () => {
    assert.equal(
      redactUrl("fatal: unable to access 'https://bob:hunter2@example.com/r.git/' and http://tok@h/x"),
      "fatal: unable to access 'https://example.com/r.git/' and http://h/x",
    );
    assert.equal(redactUrl("git@github.com:org/repo.git"), "git@github.com:org/repo.git");
  });
});

describe("normalizeRepoUrl and repoUrlMatches", () => {
  test("host case, .git, trailing slash, default port and user information do not matter", () => {
    assert.equal(normalizeRepoUrl("https://GitHub.com/org/repo.git/"), "https://github.com/org/repo");
    assert.ok(repoUrlMatches("https://github.com/org/repo", "https://GITHUB.com:443/org/repo.git"));
    assert.ok(repoUrlMatches("https://github.com/org/repo/", "https://user@github.com/org/repo.git"));
  });

  test("scp-like ssh and ssh:// name the same repository", () => {
    assert.equal(normalizeRepoUrl("git@github.com:org/repo.git"), "ssh://github.com/org/repo");
    assert.ok(repoUrlMatches("git@github.com:org/repo.git", "ssh://git@github.com/org/repo"));
    assert.ok(repoUrlMatches("git@github.com:org/repo.git", "ssh://git@github.com:22/org/repo.git"));
  });

  test("different repositories, ports, paths or transports do not match", () => {
    assert.ok(!repoUrlMatches("https://github.com/org/repo", "https://github.com/org/repo2"));
    assert.ok(!repoUrlMatches("https://github.com/org/repo", "https://github.com/other/repo"));
    assert.ok(!repoUrlMatches("https://github.com/org/repo", "ssh://git@github.com/org/repo"));
    assert.ok(!repoUrlMatches("https://host:8443/org/repo", "https://host/org/repo"));
    assert.ok(!repoUrlMatches("https://github.com/Org/Repo", "https://github.com/org/repo"));
  });

  test("what is not a repository URL matches nothing, not even itself", () => {
    assert.equal(normalizeRepoUrl("ext::sh -c x"), undefined);
    assert.equal(normalizeRepoUrl("not a url"), undefined);
    assert.ok(!repoUrlMatches("not a url", "not a url"));
    assert.ok(!repoUrlMatches("", ""));
  });
});
