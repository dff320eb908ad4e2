// Named API tokens with a role and a project scope, made with `bosun token create|list|delete` (run
// in-process) against a running server and no agent: a scoped token sees and acts on its project's
// Applications only, a sync it requests names it, and a token created, rotated or deleted while the server
// runs works or stops working without a restart.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CommanderError } from "commander";
import { buildProgram } from "../../src/cli/program.js";
import { hashToken } from "../../src/server/index.js";
import { getApp } from "../controller/agent-harness.js";
import { CLUSTER_TARGETS, type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { call, type LoneServer, startServer } from "./server-harness.js";

interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `bosun ARGS --kubeconfig K --namespace NS`, in this process, with main.ts's exit codes. */
async function bosun(ns: TestNamespace, ...args: string[]): Promise<CliResult> {
  let out = "";
  let err = "";
  const program = buildProgram({
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  try {
    await program.parseAsync([...args, "--kubeconfig", ns.kubeconfig, "--namespace", ns.name], { from: "user" });
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, out, err };
    const error = e instanceof Error ? e : new Error(String(e));
    return { code: error.name === "UsageError" ? 2 : 1, out, err: `${err}error: ${error.message}\n` };
  }
}

/** An Application that need not sync: nothing reconciles it here. */
function applyApp(ns: TestNamespace, name: string, project?: string): void {
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name, namespace: ns.name },
      spec: {
        ...(project ? { project } : {}),
        source: { repoURL: "file:///nonexistent", path: "app" },
        destination: { namespace: `${ns.name}-app` },
      },
    }),
  );
}

const patchApp = (ns: TestNamespace, name: string, patch: object) =>
  ns.kubectl(["patch", "applications.bosun.dev", name, "--type", "merge", "-p", JSON.stringify(patch)]);

interface SseEvent {
  event: string;
  data: { name?: string; items?: Array<{ name: string }> };
}

/** An open `/api/events/stream`: its events in order, and whether the server ended it. */
async function openStream(server: LoneServer, token: string) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/events/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  const reader = res.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  /** The next event (comments skipped), or undefined when the stream ended. */
  const next = async (): Promise<SseEvent | undefined> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) return { event, data: JSON.parse(data) as SseEvent["data"] };
        continue;
      }
      if (ended) return undefined;
      const chunk = await reader.read();
      if (chunk.done) ended = true;
      else buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return { next, close: () => controller.abort() };
}

/** Events of a stream up to the first that `until` accepts (failing after 30 s or at the stream's end). */
async function eventsUntil(
  stream: Awaited<ReturnType<typeof openStream>>,
  until: (e: SseEvent) => boolean,
): Promise<SseEvent[]> {
  const seen: SseEvent[] = [];
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no such event; got ${JSON.stringify(seen)}`)), 30_000).unref(),
  );
  for (;;) {
    const e = await Promise.race([stream.next(), timeout]);
    if (!e) throw new Error(`the stream ended; got ${JSON.stringify(seen)}`);
    seen.push(e);
    if (until(e)) return seen;
  }
}

const named = (e: SseEvent, event: string, name: string) => e.event === event && e.data.name === name;
const names = (items: Array<{ name: string }> | undefined) => (items ?? []).map((i) => i.name).sort();

for (const target of CLUSTER_TARGETS) {
  test(`named tokens: created, listed, scoped to a project, naming who synced, rotated and deleted live [${target}]`, async (t) => {
    const ns = await testNamespace(t, target);
    const server = await startServer(t, ns);
    applyApp(ns, "app-a", "team-a");
    applyApp(ns, "app-b");
    const admin = server.tokens.admin;
    await waitFor(
      "the server to see both Applications",
      async () => {
        const res = await call(server, "GET", "/api/applications", { token: admin });
        return names((res.json() as { items: Array<{ name: string }> }).items).join() === "app-a,app-b";
      },
      { timeoutMs: 30_000 },
    );

    // The built-in tokens print as they always did.
    assert.deepEqual(await bosun(ns, "token", "--role", "admin"), { code: 0, out: `${admin}\n`, err: "" });
    assert.equal((await bosun(ns, "token")).out, `${server.tokens.readonly}\n`);

    const created = await bosun(ns, "token", "create", "ci", "--role", "admin", "--project", "team-a");
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /^[A-Za-z0-9_-]{43}\n$/, "the token and a newline: 32 bytes, base64url");
    const ci = created.out.trim();
    const viewerCreated = await bosun(ns, "token", "create", "viewer", "--role", "readonly", "--project", "team-a");
    assert.equal(viewerCreated.code, 0, viewerCreated.err);
    const viewer = viewerCreated.out.trim();

    const again = await bosun(ns, "token", "create", "ci", "--role", "admin");
    assert.equal(again.code, 1, "an existing name is not overwritten without --rotate");
    assert.match(again.err, /a token named ci exists .*--rotate replaces it/);
    for (const [args, message] of [
      [["create", "admin", "--role", "admin"], /"admin" is a built-in token's name/],
      [["create", "CI_Bot", "--role", "admin"], /"CI_Bot" is not a valid token name: a DNS-1123 label/],
      [["create", "ci2", "--role", "root"], /unknown role "root"/],
      [["create", "ci2", "--role", "admin", "--project", "Team A"], /not a valid project name/],
      [["delete", "Nope"], /not a valid token name/],
    ] as const) {
      const r = await bosun(ns, "token", ...args);
      assert.equal(r.code, 2, `a usage error: ${args.join(" ")}`);
      assert.match(r.err, message);
    }
    assert.equal((await bosun(ns, "token", "create", "ci2")).code, 2, "--role is required");

    const list = await bosun(ns, "token", "list");
    assert.equal(list.code, 0, list.err);
    assert.match(
      list.out,
      /^NAME\s+ROLE\s+PROJECT\s+CREATED\nci\s+admin\s+team-a\s+\d{4}-\d\d-\d\dT[\d:.]+Z\nviewer\s+readonly\s+team-a\s+\d{4}-/,
    );
    for (const secret of [ci, viewer, hashToken(ci), hashToken(viewer)])
      assert.equal(list.out.includes(secret), false, "the list shows no token and no hash");

    // The cluster keeps the hash, never the token.
    const stored = JSON.parse(ns.kubectl(["get", "secret", "bosun-token-ci", "-o", "json"])) as {
      metadata: { labels: Record<string, string> };
      data: Record<string, string>;
    };
    assert.equal(stored.metadata.labels["bosun.dev/secret-type"], "api-token");
    assert.equal(Buffer.from(stored.data.sha256 ?? "", "base64").toString(), hashToken(ci));
    const raw = JSON.stringify(stored);
    for (const form of [ci, Buffer.from(ci).toString("base64"), Buffer.from(ci).toString("base64url")])
      assert.equal(raw.includes(form), false, "no plaintext token at rest");

    // Created while the server runs, it works without a restart, and says who it is.
    await waitFor(
      "the new token to be accepted",
      async () => (await call(server, "GET", "/api/whoami", { token: ci })).status === 200,
      { timeoutMs: 30_000 },
    );
    assert.deepEqual((await call(server, "GET", "/api/whoami", { token: ci })).json(), {
      name: "ci",
      role: "admin",
      project: "team-a",
    });
    assert.deepEqual((await call(server, "GET", "/api/whoami", { token: admin })).json(), {
      name: "admin",
      role: "admin",
    });

    // It sees team-a's Application only; another project's answers exactly like a missing one.
    const listed = (await call(server, "GET", "/api/applications", { token: ci })).json() as {
      items: Array<{ name: string }>;
    };
    assert.deepEqual(names(listed.items), ["app-a"]);
    const base = `/api/applications/${ns.name}`;
    assert.equal((await call(server, "GET", `${base}/app-a`, { token: ci })).status, 200);
    assert.equal((await call(server, "GET", `${base}/app-a/history`, { token: viewer })).status, 200);
    for (const suffix of ["", "/history", "/drift", "/events", "/diff"]) {
      const res = await call(server, "GET", `${base}/app-b${suffix}`, { token: ci });
      assert.equal(res.status, 404, `app-b${suffix}`);
      assert.deepEqual(res.json(), { error: `Application ${ns.name}/app-b not found` });
    }
    for (const action of ["sync", "refresh", "rollback", "suspend", "resume"]) {
      const res = await call(server, "POST", `${base}/app-b/${action}`, { token: ci, body: { id: 1 } });
      assert.equal(res.status, 404, `${action} of another project's Application`);
    }
    assert.equal(server.refreshed.length, 0, "nothing of app-b was refreshed");
    assert.equal(getApp(ns, "app-b").metadata.annotations?.["bosun.dev/sync-requested-by"], undefined, "nor annotated");
    assert.equal((await call(server, "GET", "/metrics", { token: ci })).status, 403, "metrics name every project");
    assert.equal((await call(server, "GET", "/metrics", { token: admin })).status, 200);

    // A read-only scoped token may not act, even on its own project.
    for (const action of ["sync", "refresh", "suspend"]) {
      const res = await call(server, "POST", `${base}/app-a/${action}`, { token: viewer, body: {} });
      assert.equal(res.status, 403, `a read-only token may not ${action}`);
    }

    // The event stream: the snapshot and later changes carry team-a's Application only.
    const scoped = await openStream(server, ci);
    const everyone = await openStream(server, admin);
    t.after(() => {
      scoped.close();
      everyone.close();
    });
    assert.deepEqual(names((await scoped.next())?.data.items), ["app-a"]);
    assert.deepEqual(names((await everyone.next())?.data.items), ["app-a", "app-b"]);
    // app-b changes first; the stream is in watch order, so a scoped stream would hear of app-b before app-a.
    patchApp(ns, "app-b", { spec: { syncPolicy: { suspend: true } } });
    patchApp(ns, "app-a", { spec: { syncPolicy: { suspend: true } } });
    const heard = await eventsUntil(scoped, (e) => named(e, "application", "app-a"));
    assert.deepEqual(
      heard.map((e) => `${e.event} ${e.data.name}`),
      ["application app-a"],
    );
    const heardAll = await eventsUntil(everyone, (e) => named(e, "application", "app-a"));
    assert.ok(
      heardAll.some((e) => named(e, "application", "app-b")),
      "an unscoped stream hears of app-b: the filter is what kept it from the scoped one",
    );
    // An Application moving into the project appears in the stream; moving out, it goes.
    patchApp(ns, "app-b", { spec: { project: "team-a" } });
    assert.deepEqual(
      (await eventsUntil(scoped, (e) => e.data.name === "app-b")).map((e) => e.event),
      ["application"],
    );
    patchApp(ns, "app-b", { spec: { project: "default" } });
    assert.deepEqual(
      (await eventsUntil(scoped, (e) => e.data.name === "app-b")).map((e) => e.event),
      ["deleted"],
    );
    await waitFor(
      "app-b to be out of team-a again",
      async () => (await call(server, "GET", `${base}/app-b`, { token: ci })).status === 404,
      { timeoutMs: 30_000 },
    );

    // A sync it requests names it beside the request time; so does its Event.
    const sync = await call(server, "POST", `${base}/app-a/sync`, { token: ci, body: {} });
    assert.equal(sync.status, 202, sync.text);
    const annotations = getApp(ns, "app-a").metadata.annotations ?? {};
    assert.equal(annotations["bosun.dev/sync-requested-by"], "ci");
    assert.equal(annotations["bosun.dev/reconcile-requested-at"], (sync.json() as { requestedAt: string }).requestedAt);
    // (Read with kubectl: the embedded server answers no field selector on Events, which the events route uses.)
    await waitFor(
      "the sync request's Event",
      async () => {
        const events = JSON.parse(ns.kubectl(["get", "events", "-o", "json"])) as {
          items: Array<{ reason?: string; message?: string; involvedObject?: { name?: string } }>;
        };
        return events.items.some(
          (e) =>
            e.involvedObject?.name === "app-a" &&
            e.reason === "SyncRequested" &&
            /^ci requested a sync through the API/.test(e.message ?? ""),
        );
      },
      { timeoutMs: 15_000 },
    );

    // Rotated, the old value stops working and the new one works, without a restart.
    const rotated = await bosun(
      ns,
      "token",
      "create",
      "viewer",
      "--role",
      "readonly",
      "--project",
      "team-a",
      "--rotate",
    );
    assert.equal(rotated.code, 0, rotated.err);
    const viewer2 = rotated.out.trim();
    assert.notEqual(viewer2, viewer);
    await waitFor(
      "the rotated token to replace the old one",
      async () =>
        (await call(server, "GET", "/api/whoami", { token: viewer })).status === 401 &&
        (await call(server, "GET", "/api/whoami", { token: viewer2 })).status === 200,
      { timeoutMs: 30_000 },
    );

    // Deleted, it is refused without a restart, and the stream it opened ends.
    const deleted = await bosun(ns, "token", "delete", "ci");
    assert.deepEqual(deleted, { code: 0, out: "token ci deleted\n", err: "" });
    await waitFor(
      "the deleted token to be refused",
      async () => (await call(server, "GET", "/api/whoami", { token: ci })).status === 401,
      { timeoutMs: 30_000 },
    );
    const rest = await Promise.race([
      (async () => {
        for (;;) if ((await scoped.next()) === undefined) return "ended";
      })(),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 15_000).unref()),
    ]);
    assert.equal(rest, "ended", "a deleted token's event stream is closed");
    const gone = await bosun(ns, "token", "delete", "ci");
    assert.equal(gone.code, 1);
    assert.match(gone.err, /no token named ci/);
    assert.match(
      (await bosun(ns, "token", "list")).out,
      /^NAME\s+ROLE\s+PROJECT\s+CREATED\nviewer\s+readonly\s+team-a\s/,
    );

    // No token value reached the server's log.
    const logs = server.logs.join("");
    for (const value of [ci, viewer, viewer2, admin]) assert.equal(logs.includes(value), false, "a token in the log");
  });
}
