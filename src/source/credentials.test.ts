import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { credentialsFingerprint, shellQuote, sshCommand } from "./credentials.js";

describe("shellQuote and sshCommand", () => {
  test("quotes paths with spaces and quotes for /bin/sh", () => {
    assert.equal(shellQuote("/tmp/a b"), "'/tmp/a b'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
  test("the ssh command pins identity and known hosts and ignores the user's ssh config", () => {
    const cmd = sshCommand("ssh", { keyFile: "/c/tmp/k", knownHostsFile: "/c/tmp/kh" });
    for (const part of [
      "'-F' '/dev/null'",
      "'-i' '/c/tmp/k'",
      "'IdentitiesOnly=yes'",
      "'UserKnownHostsFile=/c/tmp/kh'",
      "'StrictHostKeyChecking=yes'",
      "'BatchMode=yes'",
    ]) {
      assert.ok(cmd.includes(part), `${part} in ${cmd}`);
    }
    assert.ok(sshCommand("ssh").includes("'UserKnownHostsFile=/dev/null'"));
  });
});

describe("credentialsFingerprint", () => {
  test("equal credentials agree, different ones differ, and the value is not in it", () => {
    const a = credentialsFingerprint({ username: "u", password: "secret-1" }, "salt");
    assert.equal(a, credentialsFingerprint({ username: "u", password: "secret-1" }, "salt"));
    assert.notEqual(a, credentialsFingerprint({ username: "u", password: "secret-2" }, "salt"));
    assert.notEqual(a, credentialsFingerprint({ username: "u", password: "secret-1" }, "pepper"));
    assert.equal(credentialsFingerprint(undefined, "salt"), "none");
    assert.ok(!a.includes("secret"));
  });
});
