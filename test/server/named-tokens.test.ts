// Named API tokens with a role and a project scope, as `bosun token create|list|delete` make them, against
// a running server: a scoped token sees and acts on its project's Applications only, and history records
// its name as who started a sync; a deleted token stops working without a restart.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { applyApplication, appTestSetup, getApp, waitForApp } from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { call, startServerWithAgent } from "./server-harness.js";

const REPO = join(import.meta.dirname, "../..");
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: { k: v }\n`;

/** The SSE stream's first event (the snapshot), read and closed. */
async function snapshot(url: string, token: string): Promise<{ items: Array<{ name: string }> }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/events/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = res.body?.getReader();
  assert.ok(reader);
  let text = "";
  while (!text.includes("\n\n")) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += Buffer.from(chunk.value).toString("utf8");
  }
  controller.abort();
  const data = /^data: (.*)$/m.exec(text)?.[1];
  assert.ok(data, text);
  return JSON.parse(data) as { items: Array<{ name: string }> };
}

for (const target of CLUSTER_TARGETS) {
  test(`named tokens: created, listed, scoped to a project, recorded in history, deleted [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const server = await startServerWithAgent(t, ns);
    const bosun = (...args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "src/cli/main.ts", ...args, "--kubeconfig", ns.kubeconfig, "--namespace", ns.name],
          { cwd: REPO },
          (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
        );
      });
    const sha = await repo.commit("two teams", { "a/cm.yaml": cm("a"), "b/cm.yaml": cm("b") });
    ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Project",
        metadata: { name: "team-a", namespace: ns.name },
        spec: { sourceRepos: ["*"], destinations: [{ namespace: setup.dest }] },
      }),
    );
    applyApplication(setup, "app-a", { path: "a", project: "team-a" });
    applyApplication(setup, "app-b", { path: "b" });
    await waitForApp(ns, "app-a", "app-a to sync", (a) => a.status?.sync?.revision === sha);

    const created = await bosun("token", "create", "ci", "--role", "admin", "--project", "team-a");
    assert.equal(created.code, 0, created.err);
    const ci = created.out.trim();
    assert.match(ci, /^[A-Za-z0-9_-]{43}$/);
    const viewer = (await bosun("token", "create", "viewer", "--role", "readonly", "--project", "team-a")).out.trim();
    const again = await bosun("token", "create", "ci", "--role", "admin");
    assert.equal(again.code, 1, "an existing name is not overwritten without --rotate");
    assert.match(again.err, /token ci exists; --rotate replaces it/);
    assert.equal((await bosun("token", "create", "admin", "--role", "admin")).code, 2, "built-in names are reserved");

    const list = await bosun("token", "list");
    assert.match(list.out, /^NAME\s+ROLE\s+PROJECT\s+CREATED\n/);
    assert.match(list.out, /\nci\s+admin\s+team-a\s+\d{4}-/);
    assert.match(list.out, /\nviewer\s+readonly\s+team-a\s+/);
    assert.ok(!list.out.includes(ci) && !list.out.includes(viewer));
    const secret = ns.kubectl(["get", "secret", "bosun-token-ci", "-o", "json"]);
    assert.ok(!secret.includes(ci) && !secret.includes(Buffer.from(ci).toString("base64")), "no token at rest");

    // The token works at once (the server watches the token Secrets), and sees team-a's Application only.
    let whoami: { name?: string; role?: string; project?: string } = {};
    await waitFor(
      "the new token to be accepted",
      async () => {
        const res = await call(server, "GET", "/api/whoami", { token: ci });
        if (res.status === 200) whoami = res.json() as typeof whoami;
        return res.status === 200;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(whoami, { name: "ci", role: "admin", project: "team-a" });
    const apps = (await call(server, "GET", "/api/applications", { token: ci })).json() as { items: Application[] };
    assert.deepEqual(
      apps.items.map((a) => (a as unknown as { name: string }).name),
      ["app-a"],
    );
    const other = `/api/applications/${ns.name}/app-b`;
    for (const path of [other, `${other}/history`, `${other}/diff`, `${other}/events`])
      assert.equal((await call(server, "GET", path, { token: ci })).status, 404, path);
    assert.equal((await call(server, "POST", `${other}/sync`, { token: ci, body: {} })).status, 404);
    assert.equal((await call(server, "GET", "/metrics", { token: ci })).status, 403, "metrics name every project");
    assert.deepEqual(
      (await snapshot(server.url, ci)).items.map((i) => i.name),
      ["app-a"],
    );
    assert.deepEqual((await snapshot(server.url, server.tokens.admin)).items.map((i) => i.name).sort(), [
      "app-a",
      "app-b",
    ]);
    assert.equal(
      (await call(server, "POST", `/api/applications/${ns.name}/app-a/sync`, { token: viewer, body: {} })).status,
      403,
      "a read-only scoped token cannot act",
    );

    // A sync it starts is recorded under its name.
    const before = getApp(ns, "app-a").status?.history?.length ?? 0;
    const sync = await call(server, "POST", `/api/applications/${ns.name}/app-a/sync`, { token: ci, body: {} });
    assert.equal(sync.status, 202);
    assert.equal(getApp(ns, "app-a").metadata.annotations?.["bosun.dev/sync-requested-by"], "ci");
    const app = await waitForApp(ns, "app-a", "the requested sync", (a) => (a.status?.history?.length ?? 0) > before);
    assert.equal(app.status?.history?.at(-1)?.initiatedBy, "ci");

    // Deleted, it stops working without a restart.
    assert.equal((await bosun("token", "delete", "ci")).code, 0);
    await waitFor(
      "the deleted token to be refused",
      async () => {
        return (await call(server, "GET", "/api/whoami", { token: ci })).status === 401;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal((await bosun("token", "delete", "ci")).code, 1);
  });
}
