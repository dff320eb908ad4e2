// Notifications end to end on both targets, with a local HTTP receiver playing each provider: the webhook's
// signed body and headers, Slack's message, commit statuses on GitHub, GitLab and Gitea (pending then success
// on the synced commit), retries after 500 delivering each event exactly once, a receiver that always fails
// shown in the Notifier's status and the metrics, and an agent killed mid-delivery never sending it twice.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Notifier } from "../../src/api/index.js";
import { BosunMetrics } from "../../src/server/index.js";
import { CLUSTER_TARGETS, type TestNamespace } from "../harness/cluster-fixture.js";
import { startGitHttpServer } from "../harness/git-http-server.js";
import { waitFor } from "../harness/net.js";
import { type ReceivedRequest, startNotificationReceiver } from "../harness/notification-receiver.js";
import { Repo } from "../source/git-fixture.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";
import { startAgentProcess } from "./agent-process.js";

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

function applyNotifier(ns: TestNamespace, name: string, spec: Record<string, unknown>, namespace = ns.name): void {
  ns.kubectl(
    ["apply", "-n", namespace, "-f", "-"],
    JSON.stringify({ apiVersion: "bosun.dev/v1alpha1", kind: "Notifier", metadata: { name, namespace }, spec }),
  );
}

function getNotifier(ns: TestNamespace, name: string): Notifier {
  return JSON.parse(ns.kubectl(["get", "notifiers.bosun.dev", name, "-o", "json"])) as Notifier;
}

const readyOf = (n: Notifier) => n.status?.conditions?.find((c) => c.type === "Ready");

/** Polls the Notifier until check() holds; the failure names its last status. */
async function waitForNotifier(
  ns: TestNamespace,
  name: string,
  what: string,
  check: (n: Notifier) => boolean,
  timeoutMs = 90_000,
): Promise<Notifier> {
  let last: Notifier | undefined;
  await waitFor(
    what,
    async () => {
      last = getNotifier(ns, name);
      return check(last);
    },
    { timeoutMs, intervalMs: 250, detail: () => JSON.stringify(last?.status, null, 1) ?? "(no status)" },
  );
  return last as Notifier;
}

/** The agent saw the Notifier (its status says its spec is valid): notices published from now on reach it. */
async function waitSeen(ns: TestNamespace, names: string[]): Promise<void> {
  for (const name of names)
    await waitForNotifier(ns, name, `Notifier ${name} checked`, (n) => readyOf(n)?.status === "True");
}

const json = (r: ReceivedRequest) => JSON.parse(r.body) as Record<string, unknown>;
const event = (r: ReceivedRequest) => r.headers["x-bosun-event"];
const delivery = (r: ReceivedRequest) => String(r.headers["x-bosun-delivery"]);
const accepted = (rs: readonly ReceivedRequest[]) => rs.filter((r) => r.answer === 200);
/** `EVENT@REVISION` of each webhook request accepted at prefix, in order. */
const acceptedEvents = (rs: readonly ReceivedRequest[], prefix: string) =>
  accepted(rs.filter((r) => r.path.startsWith(prefix))).map((r) => `${event(r)}@${json(r).revision}`);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

async function waitCrd(ns: TestNamespace): Promise<void> {
  await waitFor(
    "the Notifier CRD",
    async () => {
      try {
        ns.kubectl(["get", "notifiers.bosun.dev"]);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 60_000 },
  );
}

for (const target of CLUSTER_TARGETS)
  test(`notifications: a signed webhook body and Slack's message; a receiver failing twice gets each event once; one always failing shows in status and metrics [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const first = await repo.commit("a", { "app/a.yaml": configMap("a") });
    const tries = new Map<string, number>();
    const receiver = await startNotificationReceiver(t, (req) => {
      if (req.path.startsWith("/down")) return 500;
      if (!req.path.startsWith("/flaky")) return 200;
      const id = String(req.headers["x-bosun-delivery"]);
      tries.set(id, (tries.get(id) ?? 0) + 1);
      return (tries.get(id) ?? 0) <= 2 ? 500 : 200;
    });
    const metrics = new BosunMetrics();
    const dashboard = "https://bosun.example/";
    const agent = await startTestAgent(t, ns, { observe: metrics, dashboardUrl: dashboard });
    const key = `hmac-${ns.name}-k3y`;
    ns.kubectl(["create", "secret", "generic", "hook-key", `--from-literal=token=${key}`]);
    applyNotifier(ns, "hook", { type: "webhook", address: `${receiver.url}/hook`, secretRef: { name: "hook-key" } });
    applyNotifier(ns, "slack", { type: "slack", address: `${receiver.url}/slack`, events: ["SyncSucceeded"] });
    applyNotifier(ns, "flaky", {
      type: "webhook",
      address: `${receiver.url}/flaky`,
      secretRef: { name: "hook-key" },
      applications: [`${ns.name}/sh*`],
    });
    applyNotifier(ns, "down", { type: "webhook", address: `${receiver.url}/down`, events: ["SyncSucceeded"] });
    applyNotifier(ns, "others", { type: "webhook", address: `${receiver.url}/others`, applications: ["billing"] });
    // A Notifier outside the agent's namespace is not honoured.
    const elsewhere = `${ns.name}-elsewhere`;
    ns.kubectl(["create", "namespace", elsewhere]);
    t.after(() => ns.kubectl(["delete", "namespace", elsewhere, "--wait=false", "--ignore-not-found"]));
    applyNotifier(ns, "elsewhere", { type: "webhook", address: `${receiver.url}/elsewhere` }, elsewhere);
    await waitSeen(ns, ["hook", "slack", "flaky", "down", "others"]);

    applyApplication(setup, "shop", { path: "app" });
    await waitForApp(ns, "shop", "the first sync", syncedAndHealthy(first));
    const second = await repo.commit("b", { "app/b.yaml": configMap("b") });
    await waitForApp(ns, "shop", "the second sync", syncedAndHealthy(second));
    const expected = [
      `SyncStarted@${first}`,
      `SyncSucceeded@${first}`,
      `SyncStarted@${second}`,
      `SyncSucceeded@${second}`,
    ];
    await receiver.waitFor(
      "both syncs' events at the webhook, the flaky webhook and Slack",
      (rs) =>
        acceptedEvents(rs, "/hook").length >= 4 &&
        acceptedEvents(rs, "/flaky").length >= 4 &&
        accepted(receiver.at("/slack")).length >= 2,
    );

    // The webhook: every event once, in order, its body the documented one, signed with the Secret's key.
    assert.deepEqual(acceptedEvents(receiver.requests, "/hook"), expected);
    const hook = receiver.at("/hook");
    assert.equal(hook.length, 4, "nothing was sent twice");
    for (const r of hook) {
      assert.equal(r.method, "POST");
      assert.equal(r.headers["content-type"], "application/json");
      assert.equal(r.headers["x-bosun-signature"], `sha256=${createHmac("sha256", key).update(r.body).digest("hex")}`);
      assert.equal(delivery(r), json(r).id);
      assert.equal(event(r), json(r).event);
    }
    const synced = json(hook[1] as ReceivedRequest);
    assert.deepEqual(
      { ...synced, id: undefined, message: undefined, time: undefined },
      {
        apiVersion: "bosun.dev/notification/v1",
        id: undefined,
        event: "SyncSucceeded",
        severity: "Normal",
        application: { namespace: ns.name, name: "shop", project: "default" },
        revision: first,
        message: undefined,
        time: undefined,
        source: { repoURL: repo.fileUrl, path: "app" },
        url: `${dashboard}#/apps/${ns.name}/shop`,
      },
    );
    assert.match(String(synced.message), new RegExp(`^synced revision ${first.slice(0, 7)}`));
    assert.match(String(synced.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    assert.equal(new Set(hook.map(delivery)).size, 4, "each notification has its own id");

    // Failing twice, then taking it: each notification tried three times under one id, accepted once.
    assert.deepEqual(acceptedEvents(receiver.requests, "/flaky"), expected);
    for (const [id, rs] of groupBy(receiver.at("/flaky"), delivery)) {
      assert.deepEqual(
        rs.map((r) => r.answer),
        [500, 500, 200],
        `delivery ${id}`,
      );
      assert.equal(new Set(rs.map((r) => r.body)).size, 1, "each try sends the same body");
    }

    // Slack: the incoming-webhook message of each SyncSucceeded (its only event).
    const slack = receiver.at("/slack");
    assert.equal(slack.length, 2);
    const message = json(slack[0] as ReceivedRequest) as { text: string; blocks: Array<{ type: string }> };
    assert.match(message.text, new RegExp(`\\*SyncSucceeded\\* ${ns.name}/shop: synced revision ${first.slice(0, 7)}`));
    assert.deepEqual(
      message.blocks.map((b) => b.type),
      ["section", "context"],
    );
    assert.equal(slack[0]?.headers["content-type"], "application/json");
    assert.ok(
      JSON.stringify(message.blocks[1]).includes(`<${dashboard}#/apps/${ns.name}/shop|open in bosun>`),
      "the context links to the Application's page",
    );

    // Always failing: tried six times, given up, said so in status and in the metric.
    const down = await waitForNotifier(
      ns,
      "down",
      "the failing receiver given up on",
      (n) => readyOf(n)?.reason === "DeliveryFailed",
    );
    assert.equal(readyOf(down)?.status, "False");
    assert.match(
      readyOf(down)?.message ?? "",
      new RegExp(`^SyncSucceeded of ${ns.name}/shop was not delivered after 6 attempts: HTTP 500`),
    );
    assert.equal(down.status?.lastFailure?.result, "Failed");
    assert.equal(down.status?.lastFailure?.attempts, 6);
    assert.ok((down.status?.failed ?? 0) >= 1);
    const firstDown = receiver.at("/down")[0] as ReceivedRequest;
    assert.equal(
      receiver.at("/down").filter((r) => delivery(r) === delivery(firstDown)).length,
      6,
      "six tries of the first, then given up",
    );
    const text = await metrics.text();
    assert.match(text, /bosun_notifications_total\{notifier="down",type="webhook",result="failed"\} [1-9]/);
    assert.match(text, /bosun_notifications_total\{notifier="hook",type="webhook",result="delivered"\} 4\b/);
    assert.match(text, /bosun_notifications_total\{notifier="flaky",type="webhook",result="delivered"\} 4\b/);

    const hookStatus = getNotifier(ns, "hook");
    assert.equal(readyOf(hookStatus)?.reason, "Delivered");
    assert.equal(hookStatus.status?.delivered, 4);
    assert.equal(hookStatus.status?.lastDelivery?.event, "SyncSucceeded");
    assert.equal(hookStatus.status?.lastDelivery?.application, `${ns.name}/shop`);

    // Not this Application's, or not in the agent's namespace: nothing.
    assert.deepEqual(receiver.at("/others"), []);
    assert.deepEqual(receiver.at("/elsewhere"), []);
    // The key is never logged nor shown.
    assert.ok(!agent.logs.join("").includes(key), "the HMAC key is not in the log");
    assert.ok(!JSON.stringify(down.status).includes(key));
  });

for (const target of CLUSTER_TARGETS)
  test(`notifications: commit statuses on GitHub, GitLab and Gitea, pending then success on the synced commit [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, temp } = setup;
    const root = await temp.make("bosun-notify-git-");
    const repo = await Repo.init(join(root, "acme", "shop.git"));
    const server = await startGitHttpServer({ projectRoot: root });
    t.after(() => server.close());
    const sha = await repo.commit("a", { "app/a.yaml": configMap("a") });
    const receiver = await startNotificationReceiver(t, (req) => (req.path.includes("/statuses/") ? 201 : 404));
    const agent = await startTestAgent(t, ns, { dashboardUrl: "http://127.0.0.1:7480" });
    const tokens = { github: `ghp-${ns.name}-tok`, gitlab: `glpat-${ns.name}-tok`, gitea: `gitea-${ns.name}-tok` };
    for (const [provider, token] of Object.entries(tokens)) {
      ns.kubectl(["create", "secret", "generic", `${provider}-token`, `--from-literal=token=${token}`]);
      applyNotifier(ns, provider, {
        type: provider,
        address: `${receiver.url}/${provider}`,
        secretRef: { name: `${provider}-token` },
      });
    }
    await waitSeen(ns, Object.keys(tokens));
    applyApplication(setup, "shop", { path: "app", repoURL: `${server.url}/acme/shop.git` });
    await waitForApp(ns, "shop", "the sync", syncedAndHealthy(sha));
    await receiver.waitFor("two statuses at each provider", () =>
      Object.keys(tokens).every((p) => receiver.at(`/${p}/`).length >= 2),
    );
    const context = `bosun/${ns.name}/shop`;
    const bodies = (p: string) => receiver.at(`/${p}/`).map(json);

    const github = receiver.at("/github/");
    assert.deepEqual(
      github.map((r) => `${r.method} ${r.path}`),
      [`POST /github/repos/acme/shop/statuses/${sha}`, `POST /github/repos/acme/shop/statuses/${sha}`],
    );
    for (const r of github) {
      assert.equal(r.headers.authorization, `Bearer ${tokens.github}`);
      assert.equal(r.headers.accept, "application/vnd.github+json");
      assert.ok(r.headers["user-agent"]);
    }
    assert.deepEqual(
      bodies("github").map((b) => [b.state, b.context]),
      [
        ["pending", context],
        ["success", context],
      ],
    );
    assert.match(String(bodies("github")[1]?.description), /^SyncSucceeded: synced revision/);

    const gitlab = receiver.at("/gitlab/");
    assert.deepEqual(
      gitlab.map((r) => `${r.method} ${r.path}`),
      [
        `POST /gitlab/api/v4/projects/acme%2Fshop/statuses/${sha}`,
        `POST /gitlab/api/v4/projects/acme%2Fshop/statuses/${sha}`,
      ],
    );
    for (const r of gitlab) {
      assert.equal(r.headers["private-token"], tokens.gitlab);
      assert.equal(r.headers.authorization, undefined);
    }
    assert.deepEqual(
      bodies("gitlab").map((b) => [b.state, b.name]),
      [
        ["running", context],
        ["success", context],
      ],
    );

    const gitea = receiver.at("/gitea/");
    assert.deepEqual(
      gitea.map((r) => `${r.method} ${r.path}`),
      [`POST /gitea/api/v1/repos/acme/shop/statuses/${sha}`, `POST /gitea/api/v1/repos/acme/shop/statuses/${sha}`],
    );
    for (const r of gitea) assert.equal(r.headers.authorization, `token ${tokens.gitea}`);
    assert.deepEqual(
      bodies("gitea").map((b) => [b.state, b.context]),
      [
        ["pending", context],
        ["success", context],
      ],
    );

    for (const provider of Object.keys(tokens))
      assert.deepEqual(
        bodies(provider).map((b) => b.target_url),
        [`http://127.0.0.1:7480/#/apps/${ns.name}/shop`, `http://127.0.0.1:7480/#/apps/${ns.name}/shop`],
        `${provider}'s statuses link to the Application's page`,
      );
    for (const [provider, token] of Object.entries(tokens)) {
      const n = await waitForNotifier(ns, provider, `${provider} delivered`, (x) => x.status?.delivered === 2);
      assert.equal(readyOf(n)?.reason, "Delivered");
      assert.ok(!JSON.stringify(n.status).includes(token));
      assert.ok(!agent.logs.join("").includes(token), `the ${provider} token is not in the log`);
    }
    assert.equal(receiver.requests.length, 6, "no status was set twice, nor for other events");
  });

for (const target of CLUSTER_TARGETS)
  test(`notifications: an agent killed while the receiver holds a delivery open does not send it again after a restart [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const first = await repo.commit("a", { "app/a.yaml": configMap("a") });
    let held: string | undefined;
    const receiver = await startNotificationReceiver(t, (req) => {
      if (held !== undefined || req.headers["x-bosun-event"] !== "SyncSucceeded") return 200;
      held = String(req.headers["x-bosun-delivery"]);
      return "hold";
    });
    const cacheDir = mkdtempSync(join(tmpdir(), "bosun-notify-cache-"));
    t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
    const agentA = startAgentProcess(t, ns, { cacheDir });
    await waitCrd(ns);
    applyNotifier(ns, "hook", { type: "webhook", address: `${receiver.url}/hook` });
    await waitSeen(ns, ["hook"]);
    applyApplication(setup, "shop", { path: "app" });
    await receiver.waitFor("the SyncSucceeded delivery held open", (rs) => rs.some((r) => r.answer === "held"));
    // Claimed in the state ConfigMap before it was sent.
    const state = JSON.parse(
      ns.kubectl(["get", "configmap", "bosun-notifications", "-o", "jsonpath={.data.state\\.json}"]),
    ) as { deliveries: Array<{ key: string; claim?: unknown }> };
    assert.ok(
      state.deliveries.some((d) => d.key === `${held}/hook` && d.claim),
      "the delivery is claimed while it is in flight",
    );
    await agentA.kill();

    startAgentProcess(t, ns, { cacheDir });
    await waitForApp(ns, "shop", "the first sync's status", syncedAndHealthy(first));
    const second = await repo.commit("b", { "app/b.yaml": configMap("b") });
    await receiver.waitFor(
      "the second commit's SyncSucceeded after the restart",
      (rs) => rs.some((r) => r.answer === 200 && event(r) === "SyncSucceeded" && json(r).revision === second),
      120_000,
    );
    assert.equal(
      receiver.requests.filter((r) => delivery(r) === held).length,
      1,
      "the delivery cut short by the kill was not sent again",
    );
    assert.deepEqual(
      receiver.requests.map((r) => `${event(r)}@${json(r).revision}`),
      [`SyncStarted@${first}`, `SyncSucceeded@${first}`, `SyncStarted@${second}`, `SyncSucceeded@${second}`],
    );
    const hook = await waitForNotifier(
      ns,
      "hook",
      "the cut-short delivery reported",
      (n) => n.status?.interrupted === 1,
    );
    assert.equal(hook.status?.lastFailure?.result, "Interrupted");
    assert.equal(hook.status?.lastFailure?.id, held);
  });

test("notifications from two `bosun agent --shards 2` replicas: each Application's events delivered once, whichever replica recorded them [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, repo, dest } = setup;
  const first = await repo.commit("a", { "app/a.yaml": configMap("a") });
  const receiver = await startNotificationReceiver(t, () => 200);
  for (const id of ["replica-a", "replica-b"])
    startAgentProcess(t, ns, { args: ["--shards", "2", "--leader-elect-identity", id] });
  await waitCrd(ns);
  // One shard each: both replicas reconcile, record Events and deliver through the one state ConfigMap.
  const holder = (k: number) =>
    ns.kubectl([
      "get",
      "lease",
      `bosun-agent-shard-${k}`,
      "--ignore-not-found",
      "-o",
      "jsonpath={.spec.holderIdentity}",
    ]);
  await waitFor("one shard per replica", async () => holder(0) !== "" && holder(1) !== "" && holder(0) !== holder(1), {
    timeoutMs: 120_000,
  });
  applyNotifier(ns, "hook", { type: "webhook", address: `${receiver.url}/hook` });
  await waitSeen(ns, ["hook"]);
  const names = ["shop-0", "shop-1", "shop-2", "shop-3"];
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: names.map((name, i) => ({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Application",
        metadata: { name, namespace: ns.name, annotations: { "bosun.dev/shard": String(i % 2) } },
        spec: {
          source: { repoURL: repo.fileUrl, path: "app" },
          destination: { namespace: `${dest}-${i}` },
          syncPolicy: { automated: {}, syncOptions: ["CreateNamespace=true"], interval: "2s" },
        },
      })),
    }),
  );
  for (let i = 0; i < names.length; i++)
    t.after(() => ns.kubectl(["delete", "namespace", `${dest}-${i}`, "--wait=false", "--ignore-not-found"]));
  for (const name of names) await waitForApp(ns, name, "the first sync", syncedAndHealthy(first));
  const second = await repo.commit("b", { "app/b.yaml": configMap("b") });
  for (const name of names) await waitForApp(ns, name, "the second sync", syncedAndHealthy(second));

  const label = (r: ReceivedRequest) => {
    const body = json(r) as { application: { name: string }; event: string; revision: string };
    return `${body.application.name} ${body.event}@${body.revision}`;
  };
  const expected = names.flatMap((name) =>
    [first, second].flatMap((sha) => [`${name} SyncStarted@${sha}`, `${name} SyncSucceeded@${sha}`]),
  );
  await receiver.waitFor("every Application's four events", (rs) =>
    expected.every((e) => rs.some((r) => label(r) === e)),
  );
  // The last deliveries may still be claimed by the other replica: give a duplicate time to show.
  await new Promise((r) => setTimeout(r, 3000));
  assert.deepEqual(receiver.requests.map(label).sort(), [...expected].sort(), "each event once, nothing else");
  assert.equal(new Set(receiver.requests.map(delivery)).size, expected.length, "no delivery sent twice");
  const reconciledBy = names.map(
    (name) =>
      (
        JSON.parse(ns.kubectl(["get", "applications.bosun.dev", name, "-o", "json"])) as {
          status?: { reconciledBy?: { replica?: string } };
        }
      ).status?.reconciledBy?.replica,
  );
  assert.equal(new Set(reconciledBy).size, 2, `both replicas reconciled (${reconciledBy.join(", ")})`);
});
