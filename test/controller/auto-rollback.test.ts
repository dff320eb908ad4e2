// syncPolicy.autoRollback end to end on both targets: a commit whose Deployment can never become ready
// (its pods fit no node; progressDeadlineSeconds makes it Degraded) is rolled back to the last Healthy
// revision and quarantined; Git staying there syncs nothing; a fix commit syncs as usual; unquarantine lifts it.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { notifierFor, startNotificationReceiver } from "../harness/notification-receiver.js";
import {
  applyApplication,
  appTestSetup,
  getApp,
  runBosun,
  runBosunOk,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const deployment = (image: string, nodeSelector?: Record<string, string>) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: 1,
      progressDeadlineSeconds: 10,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name: "web", image }] },
      },
    },
  });

const readyReason = (app: Application) => app.status?.conditions?.find((c) => c.type === "Ready")?.reason;

for (const target of CLUSTER_TARGETS)
  test(`auto-rollback: a release that never becomes ready is rolled back and quarantined; a fix syncs [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const good = await repo.commit("web 1.26", { "app/web.json": deployment("nginx:1.26") });
    const agent = await startTestAgent(t, ns);
    const receiver = await startNotificationReceiver(t);
    await notifierFor(ns, `${receiver.url}/ops`, ["RolledBack"]);
    applyApplication(setup, "shop", { path: "app", spec: {} });
    ns.kubectl([
      "patch",
      "applications.bosun.dev",
      "shop",
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { syncPolicy: { autoRollback: true } } }),
    ]);
    await waitForApp(ns, "shop", "the good release Healthy and marked so in history", (a) => {
      const last = a.status?.history?.at(-1);
      return syncedAndHealthy(good)(a) && last?.revision === good && last.healthy === true;
    });
    const template = () =>
      JSON.parse(ns.kubectl(["-n", dest, "get", "deployment", "web", "-o", "jsonpath={.spec.template.spec}"])) as {
        nodeSelector?: Record<string, string>;
        containers: Array<{ image: string }>;
      };

    // A release whose pods fit no node: Degraded after its progress deadline, then rolled back.
    const bad = await repo.commit("web 1.27 on a node that does not exist", {
      "app/web.json": deployment("nginx:1.27", { "bosun.dev/test-node": "nowhere" }),
    });
    let app = await waitForApp(
      ns,
      "shop",
      "the bad release rolled back and quarantined",
      (a) =>
        a.status?.quarantined?.some((q) => q.revision === bad) === true &&
        a.status.history?.at(-1)?.initiatedBy.startsWith("auto-rollback") === true &&
        a.status.operation?.phase === "Succeeded" &&
        a.status.health?.status === "Healthy",
      120_000,
    );
    const q = app.status?.quarantined?.find((entry) => entry.revision === bad);
    assert.equal(q?.rolledBackTo, good);
    assert.match(q?.reason ?? "", /Degraded after the sync: .*ProgressDeadlineExceeded/);
    const history = app.status?.history ?? [];
    assert.deepEqual(
      history.slice(-2).map((h) => [h.revision, h.result]),
      [
        [bad, "Succeeded"],
        [good, "Succeeded"],
      ],
      "the bad release, then the rollback to the good one",
    );
    assert.equal(template().nodeSelector, undefined, "the previous pod template is back");
    assert.equal(template().containers[0]?.image, "nginx:1.26");
    assert.equal(app.status?.sync?.status, "OutOfSync", "Git still says the bad revision");
    assert.equal(readyReason(app), "Quarantined");
    assert.match(
      ns.kubectl(["get", "events", "--field-selector", "reason=RolledBack", "-o", "jsonpath={.items[*].message}"]),
      new RegExp(`revision ${bad.slice(0, 7)} failed its health gate .*rolling back to ${good.slice(0, 7)}`),
    );
    assert.match(
      await runBosunOk(ns, agent, ["app", "get", "shop"]),
      new RegExp(`^Quarantined: +${bad.slice(0, 7)} `, "m"),
    );
    await receiver.waitFor("the RolledBack notification, about the bad revision", (requests) =>
      requests.some((r) => {
        const body = JSON.parse(r.body) as { event: string; revision: string };
        return body.event === "RolledBack" && body.revision === bad;
      }),
    );

    // Git stays at the bad revision: several reconciles later nothing synced it again.
    const passes = () =>
      agent.logs.filter((l) => l.includes(`"app":"${ns.name}/shop"`) && l.includes('"msg":"reconciled"')).length;
    const seen = passes();
    await waitFor("three more reconciles", async () => passes() >= seen + 3, { timeoutMs: 60_000 });
    app = getApp(ns, "shop");
    assert.equal(app.status?.history?.at(-1)?.revision, good, "no sync of the quarantined revision");
    assert.equal(template().nodeSelector, undefined);

    // A fix commit moves Git past it: synced as usual.
    const fix = await repo.commit("web 1.27, anywhere", { "app/web.json": deployment("nginx:1.27") });
    app = await waitForApp(ns, "shop", "the fix synced and Healthy", syncedAndHealthy(fix), 120_000);
    assert.equal(template().containers[0]?.image, "nginx:1.27");
    assert.equal(app.status?.history?.at(-1)?.initiatedBy, "automated");

    // Unquarantine: an unknown revision is refused; the quarantined one is lifted, with an Event.
    const unknown = await runBosun(ns, ["app", "unquarantine", "shop", "feedbeef"]);
    assert.equal(unknown.code, 2, unknown.out); // a usage error
    assert.match(unknown.err, /feedbeef is not quarantined in shop \(quarantined: /);
    assert.match(
      await runBosunOk(ns, agent, ["app", "unquarantine", "shop", bad.slice(0, 7)]),
      /no longer quarantined/,
    );
    await waitForApp(ns, "shop", "the quarantine lifted", (a) => (a.status?.quarantined ?? []).length === 0);
    // The Event is recorded after the status write that lifted it.
    await waitFor(
      "the Unquarantined Event",
      async () => ns.kubectl(["get", "events", "--field-selector", "reason=Unquarantined", "-o", "name"]) !== "",
      { timeoutMs: 30_000 },
    );
    assert.match(
      ns.kubectl(["get", "events", "--field-selector", "reason=Unquarantined", "-o", "jsonpath={.items[*].message}"]),
      new RegExp(`revision ${bad.slice(0, 7)} is no longer quarantined`),
    );
  });
