// spec.driftPolicy end to end on both targets: an autoscaler-style replicas change (the scale subresource,
// by kube-controller-manager) is allowed, recorded and kept through a sync; an image set by hand is
// reverted; an annotation changed by `kubectl annotate` under a detect rule stays, OutOfSync, until Git moves.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, DriftRecord } from "../../src/api/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { notifierFor, startNotificationReceiver } from "../harness/notification-receiver.js";
import {
  applyApplication,
  appTestSetup,
  getApp,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const deployment = (owner: string) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", annotations: { owner } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.26" }] },
      },
    },
  });

const configMap = (value: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { value } });

const recordOf = (app: Application, manager: string): DriftRecord | undefined =>
  (app.status?.drift ?? []).findLast((d) => d.manager === manager && d.resource.startsWith("Deployment"));

for (const target of CLUSTER_TARGETS)
  test(`drift policy: an autoscaler's replicas allowed and kept, an image reverted, an annotation only detected [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const first = await repo.commit("web", { "app/web.json": deployment("team-a"), "app/cm.json": configMap("1") });
    const agent = await startTestAgent(t, ns);
    const receiver = await startNotificationReceiver(t);
    await notifierFor(ns, `${receiver.url}/ops`, ["DriftDetected"]);
    applyApplication(setup, "shop", {
      path: "app",
      spec: {
        driftPolicy: [
          {
            managers: ["kube-controller-manager"],
            jsonPointers: ["/spec/replicas"],
            kinds: ["apps/Deployment"],
            action: "allow",
          },
          { managers: ["kubectl-annotate"], action: "detect" },
        ],
      },
    });
    await waitForApp(ns, "shop", "the first sync", syncedAndHealthy(first));
    const inDest = (args: string[]) => ns.kubectl(["-n", dest, ...args]);
    const live = () =>
      JSON.parse(inDest(["get", "deployment", "web", "-o", "json"])) as {
        metadata: { annotations: Record<string, string> };
        spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
      };

    // Allowed: an autoscaler writes replicas through the scale subresource.
    inDest([
      "patch",
      "deployment",
      "web",
      "--subresource=scale",
      "--type=merge",
      "-p",
      '{"spec":{"replicas":4}}',
      "--field-manager=kube-controller-manager",
    ]);
    let app = await waitForApp(ns, "shop", "the allowed change recorded", (a) => {
      const r = recordOf(a, "kube-controller-manager");
      return r?.action === "allow" && a.status?.sync?.status === "Synced";
    });
    const allowed = recordOf(app, "kube-controller-manager");
    assert.deepEqual(allowed?.fields, ["/spec/replicas"]);
    assert.deepEqual(allowed?.changes, [{ path: "/spec/replicas", from: "2", to: "4" }]);
    assert.equal(allowed?.rule, 0);
    assert.equal(allowed?.corrected, false);
    const web = app.status?.resources?.find((r) => r.kind === "Deployment");
    assert.equal(web?.status, "Synced");
    assert.equal(web?.allowedDrift, "/spec/replicas=4 by kube-controller-manager (driftPolicy[0])");
    // The Event is recorded after the status write that holds the record.
    await waitFor(
      "the DriftAllowed Event",
      async () =>
        /\/spec\/replicas changed by kube-controller-manager; allowed \(driftPolicy\[0\]\)/.test(
          inDest([
            "get",
            "events",
            "-n",
            ns.name,
            "--field-selector",
            "reason=DriftAllowed",
            "-o",
            "jsonpath={.items[*].message}",
          ]),
        ),
      { timeoutMs: 30_000 },
    );

    // Reverted (the fallback with self-heal on): an image set by hand; the sync that reverts it keeps replicas.
    inDest(["set", "image", "deployment/web", "web=nginx:1.27"]);
    app = await waitForApp(
      ns,
      "shop",
      "the image reverted",
      (a) =>
        recordOf(a, "kubectl-set")?.corrected === true &&
        live().spec.template.spec.containers[0]?.image === "nginx:1.26",
    );
    assert.equal(recordOf(app, "kubectl-set")?.action, "revert");
    assert.equal(recordOf(app, "kubectl-set")?.rule, undefined, "no rule: the default decided");
    assert.equal(live().spec.replicas, 4, "the allowed replicas stay through the revert");
    app = await waitForApp(ns, "shop", "Synced again", (a) => a.status?.sync?.status === "Synced");
    const records = (app.status?.drift ?? []).filter((d) => d.manager === "kube-controller-manager");
    assert.equal(records.length, 1, "the same allowed value is recorded once");

    // Detect only: the annotation stays as kubectl set it, OutOfSync, while the agent keeps looking.
    inDest(["annotate", "--overwrite", "deployment", "web", "owner=team-b"]);
    app = await waitForApp(ns, "shop", "the annotation detected", (a) => recordOf(a, "kubectl-annotate") !== undefined);
    const detected = recordOf(app, "kubectl-annotate");
    assert.deepEqual(
      [detected?.action, detected?.rule, detected?.corrected],
      ["detect", 1, false],
      JSON.stringify(detected),
    );
    // Three more reconciles of shop (each polls at 1s and would heal what it is to revert).
    const passes = () =>
      agent.logs.filter((l) => l.includes(`"app":"${ns.name}/shop"`) && l.includes('"msg":"reconciled"')).length;
    const seen = passes();
    await waitFor("three more reconciles", async () => passes() >= seen + 3, { timeoutMs: 60_000 });
    app = getApp(ns, "shop");
    assert.equal(app.status?.sync?.status, "OutOfSync");
    assert.equal(live().metadata.annotations.owner, "team-b", "not reverted");
    assert.equal(app.status?.resources?.find((r) => r.kind === "Deployment")?.status, "OutOfSync");
    // ... and notified: the webhook hears the detected drift.
    await receiver.waitFor("the DriftDetected notification of the annotation", (requests) =>
      requests.some((r) => {
        const body = JSON.parse(r.body) as { event: string; message: string };
        return body.event === "DriftDetected" && /owner changed by kubectl-annotate; detected only/.test(body.message);
      }),
    );
    assert.match(
      inDest([
        "get",
        "events",
        "-n",
        ns.name,
        "--field-selector",
        "reason=DriftDetected",
        "-o",
        "jsonpath={.items[*].message}",
      ]),
      /owner changed by kubectl-annotate; detected only \(driftPolicy\[1\]\)/,
    );

    // Git moves: the sync applies the Deployment as Git says (the detected annotation goes back), replicas stay.
    const second = await repo.commit("settings", { "app/cm.json": configMap("2") });
    await waitForApp(ns, "shop", "the new commit synced", syncedAndHealthy(second));
    assert.equal(live().metadata.annotations.owner, "team-a");
    assert.equal(live().spec.replicas, 4);
  });
