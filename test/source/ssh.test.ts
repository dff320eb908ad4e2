// SSH credentials, end to end through git with a stand-in ssh client: it checks the key and known_hosts
// git was given (as a server would), records how it was called, then runs git-upload-pack locally.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, chmod, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { CredentialsError, FetchError, GitSource } from "../../src/source/index.js";
import { Repo, TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(60_000);
const execFileP = promisify(execFile);

function fakeSsh(log: string, expectedKey: string): string {
  return `#!/bin/sh
log='${log}'
printf 'argv:' >> "$log"; for a in "$@"; do printf ' [%s]' "$a" >> "$log"; done; echo >> "$log"
key=''; kh=''
while [ $# -gt 2 ]; do
  case "$1" in
    -i) key=$2; shift 2 ;;
    -o) case "$2" in UserKnownHostsFile=*) kh=\${2#UserKnownHostsFile=} ;; esac; shift 2 ;;
    -F|-p|-l) shift 2 ;;
    *) shift ;;
  esac
done
cmd=$2
if [ -z "$kh" ] || ! grep -q '^fake.invalid ' "$kh"; then echo "Host key verification failed." >&2; exit 255; fi
echo "known_hosts_mode=$(stat -c %a "$kh") known_hosts_file=$kh" >> "$log"
if [ -z "$key" ] || ! cmp -s "$key" '${expectedKey}'; then echo "git@fake.invalid: Permission denied (publickey)." >&2; exit 255; fi
echo "key_mode=$(stat -c %a "$key") key_file=$key" >> "$log"
exec sh -c "$cmd"
`;
}

async function exists(path: string): Promise<boolean> {
  return await access(path).then(
    () => true,
    () => false,
  );
}

async function newKey(path: string): Promise<string> {
  await execFileP("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "bosun-test", "-f", path]);
  return await readFile(path, "utf8");
}

describe("ssh credentials", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let root: string;
  let repo: Repo;
  let tip: string;
  let log: string;
  let key: string;
  let otherKey: string;
  let cacheDir: string;
  let source: GitSource;
  const knownHosts = "fake.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n";

  before(async () => {
    root = await temp.make("bosun-ssh-");
    repo = await Repo.init(join(root, "deploy"));
    tip = await repo.commit("initial", { "app.yaml": "a: 1\n" });
    key = await newKey(join(root, "id_accepted"));
    otherKey = await newKey(join(root, "id_other"));
    log = join(root, "ssh.log");
    const ssh = join(root, "fake-ssh");
    await writeFile(ssh, fakeSsh(log, join(root, "id_accepted")));
    await chmod(ssh, 0o755);
    cacheDir = join(root, "cache dir 'q'");
    source = new GitSource({ cacheDir, sshBinary: ssh });
  });

  const logText = async (): Promise<string> => await readFile(log, "utf8").catch(() => "");

  test("a key and known_hosts reach ssh as 0600 files named on its command line, removed afterwards", async () => {
    for (const url of [`git@fake.invalid:${repo.dir}`, `ssh://git@fake.invalid${repo.dir}`]) {
      await writeFile(log, "");
      // Without the final newline, as secrets often arrive; OpenSSH needs one and gets it.
      const r = await source.resolve(url, "main", {
        signal,
        credentials: { sshPrivateKey: key.trimEnd(), knownHosts },
      });
      assert.equal(r.sha, tip);
      const text = await logText();
      for (const expected of [
        "[-i]",
        "[IdentitiesOnly=yes]",
        "[StrictHostKeyChecking=yes]",
        "[BatchMode=yes]",
        "[-F] [/dev/null]",
        "key_mode=600",
        "known_hosts_mode=600",
      ]) {
        assert.ok(text.includes(expected), `${expected} in\n${text}`);
      }
      assert.ok(!text.includes(key.split("\n")[1] ?? "-"), "no key material on the command line");
      const keyFile = /key_file=(.*)/.exec(text)?.[1] ?? "";
      const khFile = /known_hosts_file=(.*)/.exec(text)?.[1] ?? "";
      assert.ok(keyFile.startsWith(join(cacheDir, "tmp")), keyFile);
      assert.equal(await exists(keyFile), false, "the key file is gone");
      assert.equal(await exists(khFile), false, "the known_hosts file is gone");
    }
    assert.deepEqual(await readdir(join(cacheDir, "tmp")), []);
  });

  test("a key the server does not accept is an auth FetchError without key material", async () => {
    const error = await source
      .fetch(`git@fake.invalid:${repo.dir}`, { signal, credentials: { sshPrivateKey: otherKey, knownHosts } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof FetchError, String(error));
    assert.equal(error.reason, "auth");
    assert.ok(!error.message.includes("PRIVATE KEY"));
    assert.ok(!error.message.includes(otherKey.split("\n")[1] ?? "-"));
    assert.deepEqual(await readdir(join(cacheDir, "tmp")), []);
  });

  test("an unknown host key, or no credentials at all, fails host key verification", async () => {
    const otherHosts =
      "elsewhere.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    for (const credentials of [{ sshPrivateKey: key, knownHosts: otherHosts }, undefined]) {
      await assert.rejects(
        source.fetch(`git@fake.invalid:${repo.dir}`, { signal, ...(credentials ? { credentials } : {}) }),
        (e: unknown) => e instanceof FetchError && e.reason === "host-key",
      );
    }
  });

  test("https credentials for an ssh URL (and the reverse) are refused without echoing them", async () => {
    await assert.rejects(
      source.fetch(`git@fake.invalid:${repo.dir}`, { signal, credentials: { username: "u", password: "hunter2" } }),
      (e: unknown) => e instanceof CredentialsError && !e.message.includes("hunter2"),
    );
    await assert.rejects(
      source.fetch("https://example.invalid/repo.git", { signal, credentials: { sshPrivateKey: key, knownHosts } }),
      (e: unknown) => e instanceof CredentialsError && !e.message.includes("PRIVATE"),
    );
  });
});
