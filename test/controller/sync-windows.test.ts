// Sync windows of a Project, end to end on both targets: a deny window holds automated syncs and syncs asked
// for by hand, and says until when; manualSync lets a sync by hand through; without the window Git syncs.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  runBosun,
  runBosunOk,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

function applyProject(setup: AppTestSetup, syncWindows: unknown[]): void {
  setup.ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Project",
      metadata: { name: "windows", namespace: setup.ns.name },
      spec: { sourceRepos: [`${setup.repo.fileUrl}*`], destinations: [{ namespace: setup.dest }], syncWindows },
    }),
  );
}

/** The current UTC minute: a daily window opening then is open for the next hour, and ends once. */
const opened = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const schedule = `${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`;
const deny = (manualSync: boolean) => ({ kind: "deny", schedule, duration: "1h", applications: ["shop"], manualSync });

for (const target of CLUSTER_TARGETS)
  test(`sync windows: a deny window holds syncs and says until when; manualSync lets one by hand through [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("a", { "app/a.yaml": configMap("a") });
    ns.kubectl(["create", "namespace", dest]);
    const exists = (name: string) =>
      ns.kubectl(["-n", dest, "get", "configmap", name, "--ignore-not-found", "-o", "name"]) !== "";
    const agent = await startTestAgent(t, ns); // first: the agent installs the Project CRD
    applyProject(setup, [deny(false)]);
    applyApplication(setup, "shop", { path: "app", project: "windows" });

    const closed = (app: Application) =>
      app.status?.syncWindow?.state === "Closed" && app.status.sync?.status === "OutOfSync";
    const held = await waitForApp(ns, "shop", "the window to hold the sync", closed);
    const window = held.status?.syncWindow;
    assert.match(window?.message ?? "", new RegExp(`deny window '${schedule.replaceAll("*", "\\*")}' \\(1h\\)`));
    assert.equal(window?.manualSync, false);
    assert.equal(window?.nextChange, new Date(opened.getTime() + 3_600_000).toISOString().replace(".000Z", "Z"));
    assert.equal(exists("a"), false, "an automated sync did not start");
    assert.match(
      await runBosunOk(ns, agent, ["app", "get", "shop"]),
      /^Sync window: +closed: blocked by deny window '.+' \(1h\) until \S+$/m,
    );

    // By hand: refused, and said so.
    const refused = await runBosun(ns, ["app", "sync", "shop", "--timeout", "60s"]);
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.err, /sync of shop was not started: .*deny window/);
    assert.equal(exists("a"), false);
    assert.match(ns.kubectl(["-n", ns.name, "get", "events", "--field-selector", "reason=SyncBlocked"]), /shop/);

    // manualSync: a sync by hand goes through; Git moving does not start one.
    applyProject(setup, [deny(true)]);
    await waitForApp(ns, "shop", "manual syncs allowed", (a) => a.status?.syncWindow?.manualSync === true);
    assert.match(await runBosunOk(ns, agent, ["app", "sync", "shop", "--timeout", "60s"]), /shop synced/);
    assert.equal(exists("a"), true);
    const second = await repo.commit("b", { "app/b.yaml": configMap("b") });
    await waitForApp(
      ns,
      "shop",
      "the agent to compare the new commit",
      (a) => a.status?.sourceRevision?.sha === second && closed(a) && a.status.operation?.phase !== "Running",
    );
    assert.equal(exists("b"), false, "Git moved, but the window is closed");

    // Without the window, Git syncs.
    applyProject(setup, []);
    const synced = await waitForApp(ns, "shop", "the sync once the window is gone", syncedAndHealthy(second));
    assert.equal(synced.status?.syncWindow, undefined);
    assert.equal(exists("b"), true);
  });
