// bosun's HTTP API against the real control plane (and the embedded server where marked), with an agent in the
// same process.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { recordEvent } from "../../src/cluster/index.js";
import { API_TOKENS_SECRET, createNamedToken, ensureApiTokens } from "../../src/server/index.js";
import { appTestSetup, waitForApp } from "../controller/agent-harness.js";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { Repo } from "../source/git-fixture.js";
import { call, type RunningServer, startServerWithAgent } from "./server-harness.js";

const cm = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${value}\n`;

function application(
  name: string,
  namespace: string,
  spec: { repoURL: string; revision?: string; dest: string; automated: boolean; interval: string },
): string {
  return JSON.stringify({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name, namespace },
    spec: {
      source: { repoURL: spec.repoURL, path: "app", revision: spec.revision },
      destination: { namespace: spec.dest },
      syncPolicy: {
        ...(spec.automated ? { automated: { prune: true, selfHeal: true } } : {}),
        interval: spec.interval,
        syncOptions: ["CreateNamespace=true"],
      },
    },
  });
}

/** Every sample line of a Prometheus text exposition, by series; throws on a line that is not one. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)$/;
  for (const l of text.split("\n")) {
    if (l === "" || l.startsWith("# HELP ") || l.startsWith("# TYPE ")) continue;
    const m = line.exec(l);
    assert.ok(m, `not a Prometheus sample line: ${l}`);
    const value = Number(m[2]);
    assert.ok(!Number.isNaN(value) || m[2] === "NaN", `not a number: ${l}`);
    samples.set(m[1] ?? "", value);
  }
  return samples;
}

async function metrics(server: RunningServer): Promise<Map<string, number>> {
  const res = await call(server, "GET", "/metrics", { token: server.tokens.readonly });
  assert.equal(res.status, 200);
  return parsePrometheus(res.text);
}

test("tokens, roles, reads, a sync through the API, its Event, and metrics that move", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, dest, repo } = setup;
  const sha = await repo.commit("blue", { "app/settings.yaml": cm("blue") });
  const server = await startServerWithAgent(t, ns);
  const again = await ensureApiTokens(server.agent.client, ns.name, AbortSignal.timeout(30_000));
  assert.deepEqual(again, server.tokens, "the tokens are generated once and then read from the Secret");
  assert.match(ns.kubectl(["get", "secret", API_TOKENS_SECRET, "-o", "name"]), /bosun-api-tokens/);
  assert.notEqual(server.tokens.admin, server.tokens.readonly);

  ns.kubectl(
    ["apply", "-f", "-"],
    application("shop", ns.name, { repoURL: repo.fileUrl, dest, automated: false, interval: "1h" }),
  );
  await waitForApp(ns, "shop", "the agent to compare", (a) => a.status?.sync?.status === "OutOfSync");
  const app = `/api/applications/${ns.name}/shop`;

  assert.equal((await call(server, "GET", "/api/applications")).status, 401, "no token");
  assert.equal((await call(server, "GET", "/api/applications", { token: "guess" })).status, 401, "a wrong token");
  assert.equal((await call(server, "GET", "/metrics")).status, 401, "/metrics needs a token too");
  assert.equal((await call(server, "GET", "/healthz")).status, 200, "probes need none");
  assert.equal((await call(server, "GET", "/readyz")).status, 200);
  assert.notEqual((await call(server, "GET", "/")).status, 401, "the dashboard's page needs none: it holds no data");
  assert.equal((await call(server, "GET", "/api/whoami")).status, 401, "who am I needs a token");
  for (const role of ["admin", "readonly"] as const) {
    const me = await call(server, "GET", "/api/whoami", { token: server.tokens[role] });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.json(), { name: role, role }, `the ${role} token says who it is`);
  }

  await waitFor(
    "the server's watch to see the comparison",
    async () => {
      const list = (await call(server, "GET", "/api/applications", { token: server.tokens.readonly })).json() as {
        items: Array<{ name: string; sync: string }>;
      };
      return list.items.some((i) => i.name === "shop" && i.sync === "OutOfSync");
    },
    { timeoutMs: 30_000 },
  );
  const diff = await call(server, "GET", `${app}/diff`, { token: server.tokens.readonly });
  assert.equal(diff.status, 200, diff.text);
  assert.match((diff.json() as { diff: string }).diff, /ConfigMap\/.*settings: missing \(will be created\)/);
  assert.equal(
    (await call(server, "GET", `/api/applications/${ns.name}/nothing`, { token: server.tokens.readonly })).status,
    404,
  );

  for (const action of ["sync", "refresh", "rollback", "suspend", "resume"]) {
    const res = await call(server, "POST", `${app}/${action}`, { token: server.tokens.readonly, body: {} });
    assert.equal(res.status, 403, `a read-only token may not ${action}`);
  }
  assert.equal(server.refreshed.length, 0, "a refused refresh refreshes nothing");

  const before = await metrics(server);
  const sync = await call(server, "POST", `${app}/sync`, { token: server.tokens.admin, body: {} });
  assert.equal(sync.status, 202, sync.text);
  await waitForApp(
    ns,
    "shop",
    "the requested sync",
    (a: Application) =>
      a.status?.sync?.status === "Synced" && a.status.sync.revision === sha && a.status.operation?.phase !== "Running",
  );

  const detail = (await call(server, "GET", app, { token: server.tokens.readonly })).json() as {
    waves: Array<{ wave: number; resources: Array<{ kind: string; name: string }> }>;
  };
  assert.deepEqual(
    detail.waves.map((w) => [w.wave, w.resources.map((r) => `${r.kind}/${r.name}`)]),
    [[0, ["ConfigMap/settings"]]],
  );
  const history = (await call(server, "GET", `${app}/history`, { token: server.tokens.readonly })).json() as {
    items: Array<{ revision: string; result: string }>;
  };
  assert.deepEqual(
    history.items.map((h) => [h.revision, h.result]),
    [[sha, "Succeeded"]],
  );
  await waitFor(
    "the sync request's Event",
    async () => {
      const events = (await call(server, "GET", `${app}/events`, { token: server.tokens.readonly })).json() as {
        items: Array<{ reason: string; message: string }>;
      };
      return events.items.some(
        (e) => e.reason === "SyncRequested" && /^admin requested a sync through the API/.test(e.message),
      );
    },
    { timeoutMs: 15_000 },
  );

  // The sync request made the agent fetch, render, reconcile and sync: each moved its series.
  const fetches = `bosun_git_fetch_duration_seconds_count{repo="${repo.fileUrl}"}`;
  const moved = (after: Map<string, number>, prefix: string) => total(after, prefix) > total(before, prefix);
  await waitFor(
    "the sync to show in /metrics",
    async () => {
      const after = await metrics(server);
      const sample = (name: string) => after.get(name) ?? 0;
      return (
        moved(after, 'bosun_sync_results_total{outcome="Succeeded"}') &&
        moved(after, 'bosun_reconciles_total{outcome="success"}') &&
        moved(after, 'bosun_reconcile_duration_seconds_count{outcome="success"}') &&
        moved(after, fetches) &&
        moved(after, 'bosun_render_duration_seconds_count{tool="directory",') &&
        sample('bosun_applications{sync="Synced",health="Healthy"}') === 1 &&
        sample('bosun_http_requests_total{verb="POST",route="/api/applications/:namespace/:name/sync",code="202"}') ===
          1 &&
        [...after.keys()].some((k) => k.startsWith("bosun_kube_api_requests_total{"))
      );
    },
    { timeoutMs: 15_000 },
  );
  const after = await metrics(server);
  assert.ok(
    (after.get(`bosun_git_fetch_duration_seconds_bucket{le="+Inf",repo="${repo.fileUrl}"}`) ?? 0) >= 1,
    "a fetch is in the histogram's buckets",
  );
  assert.equal(total(after, `bosun_git_fetch_errors_total{repo="${repo.fileUrl}"`), 0, "the fetches succeeded");

  // A repository URL with credentials inside is refused before any fetch; the failed fetch is counted
  // under the URL without them, and neither the metrics nor the logs hold them.
  const leaky = "https://deploy-bot:Hunter2-Pink-Marmot@git.invalid/org/deploy.git";
  ns.kubectl(
    ["apply", "-f", "-"],
    application("leaky", ns.name, { repoURL: leaky, dest: `${dest}-leaky`, automated: false, interval: "1h" }),
  );
  await waitFor(
    "the refused fetch to show in /metrics",
    async () =>
      ((await metrics(server)).get(
        'bosun_git_fetch_errors_total{repo="https://git.invalid/org/deploy.git",reason="invalid"}',
      ) ?? 0) >= 1,
    { timeoutMs: 30_000 },
  );
  const text = (await call(server, "GET", "/metrics", { token: server.tokens.readonly })).text;
  for (const part of ["Hunter2-Pink-Marmot", "deploy-bot"]) {
    assert.equal(text.includes(part), false, `/metrics holds ${part}`);
    assert.equal(server.logs.join("").includes(part), false, `the logs hold ${part}`);
  }
});

/** The sum of the series whose name and labels start with prefix. */
function total(samples: Map<string, number>, prefix: string): number {
  let sum = 0;
  for (const [series, value] of samples) if (series.startsWith(prefix)) sum += value;
  return sum;
}

test("server-sent events push an Application's status as it changes; self-healed drift is counted", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, dest, repo } = setup;
  await repo.commit("blue", { "app/settings.yaml": cm("blue") });
  const server = await startServerWithAgent(t, ns);
  const controller = new AbortController();
  t.after(() => controller.abort());
  const res = await fetch(`${server.url}/api/events/stream`, {
    headers: { authorization: `Bearer ${server.tokens.readonly}` },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  ns.kubectl(
    ["apply", "-f", "-"],
    application("live", ns.name, { repoURL: repo.fileUrl, dest, automated: true, interval: "1h" }),
  );
  const reader = res.body?.getReader();
  assert.ok(reader);
  let text = "";
  const decoder = new TextDecoder();
  while (!/event: application\ndata: \{[^\n]*"name":"live"[^\n]*"sync":"Synced"/.test(text)) {
    const { value, done } = await reader.read();
    assert.ok(!done, `the stream ended early:\n${text}`);
    text += decoder.decode(value, { stream: true });
  }
  assert.match(text, /^event: snapshot\ndata: \{"items":\[\]\}\n\n/);
  controller.abort();

  // A change behind Git's back, taken back by self-heal, counts as a drift correction.
  const corrections = async () => (await metrics(server)).get("bosun_drift_corrections_total") ?? 0;
  const before = await corrections();
  ns.kubectl(["-n", dest, "patch", "configmap", "settings", "--type=merge", "-p", '{"data":{"color":"red"}}']);
  await waitFor("self-heal to take the color back", async () => (await corrections()) > before, {
    timeoutMs: 30_000,
  });
  await waitFor(
    "the ConfigMap to be blue again",
    async () => ns.kubectl(["-n", dest, "get", "configmap", "settings", "-o", "jsonpath={.data.color}"]) === "blue",
    { timeoutMs: 30_000 },
  );
  type DriftItem = { changes?: Array<{ path: string; from?: string; to?: string }>; corrected: boolean };
  let drift: DriftItem[] = [];
  await waitFor(
    "the server's watch to hold the drift record",
    async () => {
      const res = await call(server, "GET", `/api/applications/${ns.name}/live/drift`, {
        token: server.tokens.readonly,
      });
      drift = (res.json() as { items: DriftItem[] }).items;
      return drift.length > 0;
    },
    { timeoutMs: 15_000 },
  );
  assert.deepEqual(
    drift.map((d) => [d.changes, d.corrected]),
    [[[{ path: "/data/color", from: "blue", to: "red" }], true]],
    "the API serves the drift record with its values",
  );
});

function signedGitHubPush(secret: string, repoUrl: string, branch: string, after: string) {
  const raw = JSON.stringify({ ref: `refs/heads/${branch}`, after, repository: { clone_url: repoUrl } });
  const signature = `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
  return {
    raw,
    headers: { "x-github-event": "push", "x-hub-signature-256": signature, "content-type": "application/json" },
  };
}

test("webhooks: a wrong signature refreshes nothing; a signed push refreshes only the matching Applications", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, dest, repo, temp } = setup;
  await repo.commit("blue", { "app/settings.yaml": cm("blue") });
  const other = await Repo.init(await temp.make("bosun-other-repo-"));
  await other.commit("other", { "app/settings.yaml": cm("grey") });
  const server = await startServerWithAgent(t, ns);
  // Long intervals: only a refresh makes the agent fetch again.
  ns.kubectl(
    ["apply", "-f", "-"],
    application("follows-main", ns.name, {
      repoURL: repo.fileUrl,
      revision: "main",
      dest,
      automated: true,
      interval: "1h",
    }),
  );
  ns.kubectl(
    ["apply", "-f", "-"],
    application("follows-release", ns.name, {
      repoURL: repo.fileUrl,
      revision: "release",
      dest: `${dest}-r`,
      automated: false,
      interval: "1h",
    }),
  );
  ns.kubectl(
    ["apply", "-f", "-"],
    application("other-repo", ns.name, { repoURL: other.fileUrl, dest: `${dest}-o`, automated: false, interval: "1h" }),
  );
  t.after(() => ns.kubectl(["delete", "namespace", `${dest}-r`, `${dest}-o`, "--wait=false", "--ignore-not-found"]));
  await waitForApp(
    ns,
    "follows-main",
    "the first sync",
    (a) => a.status?.sync?.status === "Synced" && a.status.operation?.phase !== "Running",
  );
  await waitFor(
    "the server's watch to list the three",
    async () => {
      const list = (await call(server, "GET", "/api/applications", { token: server.tokens.readonly })).json() as {
        items: unknown[];
      };
      return list.items.length === 3;
    },
    { timeoutMs: 15_000 },
  );

  const green = await repo.commit("green", { "app/settings.yaml": cm("green") });
  const logsBefore = server.logs.length;
  const forged = signedGitHubPush("not-the-secret", repo.fileUrl, "main", green);
  const rejected = await call(server, "POST", "/api/webhook/github", { raw: forged.raw, headers: forged.headers });
  assert.equal(rejected.status, 401);
  const unsigned = await call(server, "POST", "/api/webhook/gitea", {
    raw: forged.raw,
    headers: { "x-gitea-event": "push" },
  });
  assert.equal(unsigned.status, 401);
  assert.deepEqual(server.refreshed, [], "a rejected webhook refreshes nothing");
  const rejections = server.logs.slice(logsBefore).filter((l) => l.includes("webhook rejected"));
  assert.equal(rejections.length, 2);
  for (const l of rejections) assert.ok(!l.includes(green) && !l.includes("clone_url"), `the body was logged: ${l}`);

  const push = signedGitHubPush(server.tokens.webhookSecret, repo.fileUrl, "main", green);
  const accepted = await call(server, "POST", "/api/webhook/github", { raw: push.raw, headers: push.headers });
  assert.equal(accepted.status, 202, accepted.text);
  assert.deepEqual((accepted.json() as { refreshed: string[] }).refreshed, [`${ns.name}/follows-main`]);
  assert.deepEqual(server.refreshed, [`${ns.name}/follows-main`]);
  await waitForApp(
    ns,
    "follows-main",
    "the pushed commit synced despite the 1h interval",
    (a) => a.status?.sync?.revision === green && a.status.sync.status === "Synced",
  );
});

for (const target of CLUSTER_TARGETS)
  test(`an Application's Events through the API (the dashboard's Events tab), selected by involvedObject [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("blue", { "app/settings.yaml": cm("blue") });
    const server = await startServerWithAgent(t, ns);
    ns.kubectl(
      ["apply", "-f", "-"],
      application("shop", ns.name, { repoURL: repo.fileUrl, dest, automated: false, interval: "1h" }),
    );
    ns.kubectl(
      ["apply", "-f", "-"],
      application("cart", ns.name, { repoURL: repo.fileUrl, dest, automated: false, interval: "1h" }),
    );
    const source = { component: "bosun", reportingComponent: "bosun.dev/agent" };
    for (const name of ["shop", "cart"]) {
      const app = JSON.parse(ns.kubectl(["get", "applications.bosun.dev", name, "-o", "json"])) as Application;
      await recordEvent(
        server.agent.client,
        app,
        { type: "Normal", reason: "Tested", message: `about ${name}` },
        source,
      );
    }
    const res = await call(server, "GET", `/api/applications/${ns.name}/shop/events`, {
      token: server.tokens.readonly,
    });
    assert.equal(res.status, 200, res.text);
    const items = (res.json() as { items: Array<{ reason: string; message: string }> }).items;
    assert.deepEqual(
      items.filter((e) => e.reason === "Tested").map((e) => e.message),
      ["about shop"],
      "only the Application's own Events",
    );
  });

/** A manual Application of app/ in the repository, with more of the spec (destination, dependsOn, project). */
function applyManual(ns: TestNamespace, name: string, repoURL: string, spec: Record<string, unknown>): void {
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name, namespace: ns.name },
      spec: {
        source: { repoURL, path: "app" },
        syncPolicy: { interval: "1h", syncOptions: ["CreateNamespace=true"] },
        ...spec,
      },
    }),
  );
}

/** A cluster Secret (Argo CD's shape) in the agent's namespace. */
function clusterSecret(ns: TestNamespace, secret: string, data: Record<string, string>): void {
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: secret, namespace: ns.name, labels: { "bosun.dev/secret-type": "cluster" } },
      stringData: data,
    }),
  );
}

interface ClustersAnswer {
  clusters: Array<{
    name: string;
    server: string;
    state: string;
    version?: string;
    message?: string;
    since?: string;
    applications: number;
  }>;
  rejected: Array<{ secret: string; message: string }>;
}

interface DependencyAnswer {
  namespace: string;
  name: string;
  ready: boolean;
  why?: string;
  sync?: string;
  health?: string;
}

test("GET /api/clusters: each cluster's state and the caller's Applications there, rejected Secrets without credentials; summaries name the cluster, the detail its dependencies", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, dest, repo } = setup;
  await repo.commit("blue", { "app/settings.yaml": cm("blue") });
  // Nothing listens on port 1: the agent finds the cluster unreachable. The second Secret asks for an exec
  // plugin, which the agent refuses. Neither token may appear in any answer.
  const farToken = "far-bearer-Tangerine-Walrus-41";
  const brokenToken = "broken-bearer-Quartz-Heron-77";
  clusterSecret(ns, "cluster-far", {
    name: "far",
    server: "https://127.0.0.1:1",
    config: JSON.stringify({ bearerToken: farToken, tlsClientConfig: { insecure: true } }),
  });
  clusterSecret(ns, "cluster-broken", {
    name: "broken",
    server: "https://127.0.0.1:2",
    config: JSON.stringify({ bearerToken: brokenToken, execProviderConfig: { command: "steal" } }),
  });
  const server = await startServerWithAgent(t, ns);
  t.after(() =>
    ns.kubectl(["delete", "namespace", `${dest}-far`, `${dest}-team`, "--wait=false", "--ignore-not-found"]),
  );

  applyManual(ns, "db", repo.fileUrl, { destination: { namespace: dest } });
  applyManual(ns, "web", repo.fileUrl, {
    destination: { namespace: dest },
    dependsOn: [{ name: "db" }, { name: "ghost", namespace: ns.name }],
  });
  applyManual(ns, "remote", repo.fileUrl, { destination: { name: "far", namespace: `${dest}-far` } });
  applyManual(ns, "team", repo.fileUrl, {
    project: "team-a",
    destination: { server: "https://kubernetes.default.svc", namespace: `${dest}-team` },
    dependsOn: [{ name: "db" }],
  });
  const teamToken = await createNamedToken(server.agent.client, ns.name, {
    name: "team-reader",
    role: "readonly",
    project: "team-a",
    signal: AbortSignal.timeout(30_000),
  });

  assert.equal((await call(server, "GET", "/api/clusters")).status, 401, "no token, no clusters");
  const clusters = async (token: string): Promise<ClustersAnswer> => {
    const res = await call(server, "GET", "/api/clusters", { token });
    assert.equal(res.status, 200, res.text);
    for (const secret of [farToken, brokenToken]) assert.equal(res.text.includes(secret), false, "a credential leaked");
    return res.json() as ClustersAnswer;
  };
  let all: ClustersAnswer | undefined;
  await waitFor(
    "the far cluster to be found unreachable and the four Applications listed",
    async () => {
      all = await clusters(server.tokens.readonly);
      const far = all.clusters.find((c) => c.name === "far");
      return far?.state === "Unreachable" && all.clusters.reduce((n, c) => n + c.applications, 0) === 4;
    },
    { timeoutMs: 60_000, detail: () => JSON.stringify(all) },
  );
  assert.ok(all);
  const [home, far, ...others] = all.clusters;
  assert.deepEqual(others, [], "in-cluster and far only: the refused Secret is no cluster");
  assert.equal(home?.name, "in-cluster");
  assert.equal(home?.server, "https://kubernetes.default.svc");
  assert.equal(home?.state, "Reachable");
  assert.match(home?.version ?? "", /^\d+\.\d+\.\d+$/, "the control plane's version");
  assert.equal(home?.applications, 3, "db, web and team (named by its server) deploy to in-cluster");
  assert.equal(far?.server, "https://127.0.0.1:1");
  assert.equal(far?.applications, 1);
  assert.ok(far?.message, "why it is unreachable");
  assert.ok(!Number.isNaN(Date.parse(far?.since ?? "")), `since: ${far?.since}`);
  assert.deepEqual(Object.keys(far ?? {}).sort(), ["applications", "message", "name", "server", "since", "state"]);
  assert.equal(all.rejected.length, 1);
  assert.equal(all.rejected[0]?.secret, "cluster-broken");
  assert.match(all.rejected[0]?.message ?? "", /execProviderConfig is not supported/);
  assert.deepEqual(Object.keys(all.rejected[0] ?? {}).sort(), ["message", "secret"]);

  // A token scoped to team-a counts its project's Applications only.
  await waitFor(
    "the named token to be known",
    async () => (await call(server, "GET", "/api/whoami", { token: teamToken })).status === 200,
    {
      timeoutMs: 30_000,
    },
  );
  const scoped = await clusters(teamToken);
  assert.deepEqual(
    scoped.clusters.map((c) => [c.name, c.applications]),
    [
      ["in-cluster", 1],
      ["far", 0],
    ],
  );

  // Each summary names its cluster.
  const list = (await call(server, "GET", "/api/applications", { token: server.tokens.readonly })).json() as {
    items: Array<{ name: string; cluster: string }>;
  };
  assert.deepEqual(list.items.map((i) => [i.name, i.cluster]).sort(), [
    ["db", "in-cluster"],
    ["remote", "far"],
    ["team", "in-cluster"],
    ["web", "in-cluster"],
  ]);

  // The detail lists what it depends on, with each one's state now.
  const dependsOn = async (name: string, token: string): Promise<DependencyAnswer[]> => {
    const res = await call(server, "GET", `/api/applications/${ns.name}/${name}`, { token });
    assert.equal(res.status, 200, res.text);
    return (res.json() as { dependsOn: DependencyAnswer[] }).dependsOn;
  };
  let deps: DependencyAnswer[] = [];
  await waitFor(
    "db to be compared (OutOfSync: manual sync)",
    async () => {
      deps = await dependsOn("web", server.tokens.readonly);
      return deps[0]?.why === "OutOfSync";
    },
    { timeoutMs: 60_000, detail: () => JSON.stringify(deps) },
  );
  assert.deepEqual(
    deps.map((d) => [d.namespace, d.name, d.ready, d.why, d.sync]),
    [
      [ns.name, "db", false, "OutOfSync", "OutOfSync"],
      [ns.name, "ghost", false, "not found", undefined],
    ],
  );
  assert.deepEqual(await dependsOn("db", server.tokens.readonly), [], "none named, none listed");
  // A caller who may not see db is told no more of it than that it is not found.
  assert.deepEqual(await dependsOn("team", teamToken), [
    { namespace: ns.name, name: "db", ready: false, why: "not found" },
  ]);
  assert.equal((await call(server, "GET", `/api/applications/${ns.name}/web`, { token: teamToken })).status, 404);

  // db synced and healthy: web's detail says it is ready now.
  const sync = await call(server, "POST", `/api/applications/${ns.name}/db/sync`, {
    token: server.tokens.admin,
    body: {},
  });
  assert.equal(sync.status, 202, sync.text);
  await waitFor(
    "db ready in web's detail",
    async () => {
      deps = await dependsOn("web", server.tokens.readonly);
      return deps[0]?.ready === true;
    },
    { timeoutMs: 90_000, detail: () => JSON.stringify(deps) },
  );
  assert.deepEqual(deps[0], { namespace: ns.name, name: "db", ready: true, sync: "Synced", health: "Healthy" });
});
