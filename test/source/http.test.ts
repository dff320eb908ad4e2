// Smart HTTP on 127.0.0.1 with basic auth: credentials, redaction, unreachable remotes, shared fetches.
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CheckoutError, CredentialsError, FetchError, GitSource } from "../../src/source/index.js";
import { type GitHttpServer, startGitHttpServer } from "../harness/git-http-server.js";
import { Repo, TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(120_000);
const USER = "alice";
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-Zq9`;
const WRONG = `wrong-${Math.random().toString(36).slice(2)}`;

/** argv and environment of every process we may read, from /proc. */
async function processes(): Promise<Array<{ pid: string; argv: string; environ: string }>> {
  const out: Array<{ pid: string; argv: string; environ: string }> = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ");
      const environ = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => "");
      out.push({ pid, argv, environ });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Poll a condition, giving up after a bounded number of tries (no duration is asserted). */
async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail("condition never became true");
}

describe("smart HTTP with basic auth", () => {
  const temp = new TempDirs();
  const servers: GitHttpServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
    await temp.cleanup();
  });

  let root: string;
  let repo: Repo;
  let server: GitHttpServer;
  let url: string;
  let tip: string;

  const serve = async (): Promise<GitHttpServer> => {
    const s = await startGitHttpServer({ projectRoot: root, auth: { username: USER, password: PASSWORD } });
    servers.push(s);
    return s;
  };

  before(async () => {
    root = await temp.make("bosun-http-");
    repo = await Repo.init(join(root, "deploy"));
    tip = await repo.commit("initial", { "app.yaml": "replicas: 1\n" });
    server = await serve();
    url = `${server.url}/deploy`;
  });

  test("the right username and password fetch and resolve", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const r = await source.resolve(url, "main", {
      signal,
      credentials: { username: USER, password: PASSWORD, insecure: true },
    });
    assert.equal(r.sha, tip);
    assert.ok(server.requests.some((q) => q.authorized && q.user === USER));
  });

  test("a token works as the password", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const r = await source.resolve(url, "main", {
      signal,
      credentials: { token: PASSWORD, username: USER, insecure: true },
    });
    assert.equal(r.sha, tip);
  });

  test("wrong or missing credentials give an auth FetchError without any password in it", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    for (const credentials of [{ username: USER, password: WRONG, insecure: true }, undefined]) {
      const error = await source.resolve(url, "main", { signal, ...(credentials ? { credentials } : {}) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof FetchError, String(error));
      assert.equal(error.reason, "auth");
      assert.equal(error.url, url);
      assert.match(error.message, /fetch of http:\/\/127\.0\.0\.1:\d+\/deploy failed \(auth\)/);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      assert.ok(!everything.includes(WRONG), everything);
      assert.ok(!everything.includes(PASSWORD), everything);
      const status = await source.fetchStatus(url, credentials);
      assert.equal(status.lastError, error);
    }
  });

  test("the password is never on a command line, only in the git child's environment", async (t) => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const held = server.hold();
    t.after(() => held.release());
    const fetching = source.fetch(url, { signal, credentials: { username: USER, password: PASSWORD, insecure: true } });
    await held.arrived;
    // git is now waiting for our answer to its authenticated request.
    const procs = await processes();
    held.release();
    await fetching;
    const withPasswordInArgv = procs.filter((p) => p.argv.includes(PASSWORD));
    assert.deepEqual(withPasswordInArgv, []);
    const gitChildren = procs.filter(
      (p) => /git(-remote-http| ls-remote| fetch|\s)/.test(p.argv) && p.environ.includes("BOSUN_GIT_PASSWORD="),
    );
    assert.ok(gitChildren.length >= 1, "found the git processes of this fetch");
    assert.ok(gitChildren.some((p) => p.environ.includes(`BOSUN_GIT_PASSWORD=${PASSWORD}`)));
    assert.ok(procs.every((p) => !p.argv.includes(`${USER}:${PASSWORD}`)));
  });

  test("two concurrent fetches of one repository run git once", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const credentials = { username: USER, password: PASSWORD, insecure: true };
    let before = server.infoRefsCount();
    const single = await source.fetch(url, { signal, credentials });
    assert.equal(single.changed, true);
    const perFetch = server.infoRefsCount() - before;
    assert.ok(perFetch > 0);

    await repo.commit("second", { "app.yaml": "replicas: 2\n" });
    before = server.infoRefsCount();
    const held = server.hold();
    const both = Promise.all([source.fetch(url, { signal, credentials }), source.fetch(url, { signal, credentials })]);
    await held.arrived;
    held.release();
    const [a, b] = await both;
    assert.equal(server.infoRefsCount() - before, perFetch, "the second caller joined the first fetch");
    assert.deepEqual(a, b);
    assert.equal(a.changed, true);
  });

  test("callers with other credentials do not share a fetch: each gets its own result", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const [good, bad] = await Promise.allSettled([
      source.fetch(url, { signal, credentials: { username: USER, password: PASSWORD, insecure: true } }),
      source.fetch(url, { signal, credentials: { username: USER, password: WRONG, insecure: true } }),
    ]);
    assert.equal(good.status, "fulfilled");
    assert.equal(bad.status, "rejected");
    assert.ok(bad.status === "rejected" && bad.reason instanceof FetchError && bad.reason.reason === "auth");
  });

  test("aborting a fetch ends its git processes, records no fetch error and leaves the mirror usable", async (t) => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const credentials = { username: USER, password: PASSWORD, insecure: true };
    const mirror = await source.mirrorDir(url, credentials);
    const held = server.hold();
    t.after(() => held.release());
    const controller = new AbortController();
    const fetching = source.fetch(url, { signal: controller.signal, credentials });
    await held.arrived;
    assert.ok(
      (await processes()).some((p) => p.argv.includes(mirror)),
      "git is running for this mirror",
    );
    controller.abort(new Error("reconcile cancelled"));
    await assert.rejects(fetching, /reconcile cancelled/);
    held.release();
    await waitUntil(async () => !(await processes()).some((p) => p.argv.includes(mirror)));
    assert.equal((await source.fetchStatus(url, credentials)).lastError, undefined);
    const r = await source.resolve(url, "main", { signal, credentials });
    assert.equal(r.sha, await repo.sha("main"));
  });

  test("a caller whose credentials the remote refuses is not answered from the mirror", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    await source.resolve(url, "main", { signal, credentials: { username: USER, password: PASSWORD, insecure: true } });
    for (const credentials of [{ username: USER, password: WRONG, insecure: true }, undefined]) {
      await assert.rejects(
        source.resolve(url, "main", { signal, ...(credentials ? { credentials } : {}) }),
        (e: unknown) => e instanceof FetchError && e.reason === "auth",
      );
    }
  });

  test("an unreachable remote keeps the last fetched state resolvable and reports the error", async () => {
    const own = await serve();
    const ownUrl = `${own.url}/deploy`;
    const credentials = { username: USER, password: PASSWORD, insecure: true };
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const fetched = await source.resolve(ownUrl, "main", { signal, credentials });
    assert.equal(fetched.fetchError, undefined);

    await own.close();
    await repo.commit("pushed while we cannot see it", { "app.yaml": "replicas: 5\n" });

    const stale = await source.resolve(ownUrl, "main", { signal, credentials });
    assert.equal(stale.sha, fetched.sha);
    assert.ok(stale.fetchError instanceof FetchError);
    assert.equal(stale.fetchError.reason, "unreachable");
    assert.equal(stale.fetchError.url, ownUrl);
    assert.ok(!stale.fetchError.message.includes(PASSWORD));

    const status = await source.fetchStatus(ownUrl, credentials);
    assert.equal(status.lastError, stale.fetchError);
    assert.ok(status.lastSuccessAt !== undefined);

    // What the mirror never had cannot be answered: the fetch error, not "not found".
    await assert.rejects(source.resolve(ownUrl, "no-such-branch", { signal, credentials }), FetchError);
    await assert.rejects(source.fetch(ownUrl, { signal, credentials }), FetchError);
  });

  test("a commit fetched with credentials is never served to a caller without them, not even by full SHA", async () => {
    const cacheDir = await temp.make("bosun-http-cache-");
    const source = new GitSource({ cacheDir });
    const credentials = { username: USER, password: PASSWORD, insecure: true };
    const tip = await source.resolve(url, "main", { signal, credentials });
    const own = await source.checkout(url, tip.sha, { signal, credentials });
    assert.ok(own.dir);
    await assert.rejects(
      source.resolve(url, tip.sha, { signal }),
      (e: unknown) => e instanceof FetchError && e.reason === "auth",
      "without credentials the SHA is looked up at the remote, which refuses",
    );
    await assert.rejects(
      source.checkout(url, tip.sha, { signal }),
      CheckoutError,
      "the checkout exists, but not for them",
    );
    await assert.rejects(
      source.checkout(url, tip.sha, { signal, credentials: { ...credentials, password: WRONG } }),
      CheckoutError,
    );
    assert.notEqual(await source.mirrorDir(url), await source.mirrorDir(url, credentials));
    assert.notEqual(
      await source.mirrorDir(url, credentials),
      await source.mirrorDir(url, { ...credentials, password: WRONG }),
    );
    const again = new GitSource({ cacheDir });
    assert.equal(
      await again.mirrorDir(url, credentials),
      await source.mirrorDir(url, credentials),
      "stable across restarts",
    );
    assert.ok(!(await source.mirrorDir(url, credentials)).includes(PASSWORD));
  });

  test("credentials go over plain http only when the caller says insecure; refused ones never reach the server", async () => {
    const source = new GitSource({ cacheDir: await temp.make("bosun-http-cache-") });
    const before = server.requests.length;
    for (const credentials of [{ username: USER, password: PASSWORD }, { token: PASSWORD }]) {
      await assert.rejects(source.resolve(url, "main", { signal, credentials }), (e: unknown) => {
        assert.ok(e instanceof CredentialsError);
        assert.match(e.message, /only over https or ssh; for a plain http:\/\/ repository set insecure: "true"/);
        assert.ok(!e.message.includes(PASSWORD));
        return true;
      });
    }
    assert.equal(server.requests.length, before, "nothing was sent");
  });
});
