// Health gates for custom resources, on the real control plane: a kind bosun has no rule for waits on its
// status.observedGeneration, and an Application's own CEL health checks decide for the kinds they name.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { type TestContext, test } from "node:test";
import type { Application } from "../../src/api/index.js";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  getApp,
  simpleCrd,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

/** A Widget CRD in a group of this test's own (CRDs are cluster-wide), deleted when the test ends. */
function widgetCrd(t: TestContext, ns: TestNamespace): { group: string; yaml: string } {
  const group = `${randomBytes(4).toString("hex")}.health.example`;
  t.after(() => ns.kubectl(["delete", "crd", `widgets.${group}`, "--wait=false", "--ignore-not-found"]));
  const yaml = JSON.stringify(simpleCrd(group, "Widget", { statusSubresource: true }));
  return { group, yaml };
}

const widget = (group: string, size: number) =>
  JSON.stringify({
    apiVersion: `${group}/v1`,
    kind: "Widget",
    metadata: { name: "w", annotations: { "bosun.dev/sync-wave": "0" } },
    spec: { size },
  });

const configMap = (value: string) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "after", annotations: { "bosun.dev/sync-wave": "1" } },
    data: { value },
  });

function setWidgetStatus(setup: AppTestSetup, group: string, status: Record<string, unknown>): void {
  setup.ns.kubectl([
    "-n",
    setup.dest,
    "patch",
    `widgets.${group}`,
    "w",
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status }),
  ]);
}

/** The ConfigMap of wave 1's `value`, or undefined while it does not exist. */
function afterValue(setup: AppTestSetup): string | undefined {
  const out = setup.ns.kubectl(["-n", setup.dest, "get", "configmap", "after", "--ignore-not-found", "-o", "json"]);
  if (!out.trim()) return undefined;
  return (JSON.parse(out) as { data?: { value?: string } }).data?.value;
}

function widgetStatus(app: Application) {
  return app.status?.resources?.find((r) => r.kind === "Widget");
}

/** Polls for `ms` and fails as soon as `check` stops holding: what must stay true while a gate is shut. */
async function holdsFor(what: string, ms: number, check: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    assert.ok(check(), what);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("a custom resource with no conditions holds the next wave until its status.observedGeneration catches up", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  const crd = widgetCrd(t, ns);
  const first = await repo.commit("widget and wave 1", {
    "app/crd.yaml": crd.yaml,
    "app/widget.yaml": widget(crd.group, 1),
    "app/after.yaml": configMap("1"),
  });
  await startTestAgent(t, ns);
  applyApplication(setup, "gate", { path: "app", interval: "1s", timeout: "2m" });

  // No status at all: it exists and nothing says otherwise, so it is Healthy, and the message says why.
  const synced = await waitForApp(ns, "gate", "the first revision to sync", syncedAndHealthy(first));
  assert.equal(widgetStatus(synced)?.health, "Healthy");
  assert.match(widgetStatus(synced)?.healthMessage ?? "", /Widget exists; it has no health check/);
  assert.equal(afterValue(setup), "1");

  // A controller that saw generation 1 says so; then Git changes the spec (generation 2) and wave 1 with it.
  setWidgetStatus(setup, crd.group, { observedGeneration: 1 });
  const second = await repo.commit("bigger widget", {
    "app/widget.yaml": widget(crd.group, 2),
    "app/after.yaml": configMap("2"),
  });
  const waiting = await waitForApp(
    ns,
    "gate",
    "the sync to wait in wave 0 for the Widget",
    (a) =>
      a.status?.operation?.phase === "Running" &&
      a.status.operation.revision === second &&
      /waiting for Widget/.test(a.status.operation.message),
  );
  assert.equal(waiting.status?.operation?.wave, 0);
  await holdsFor("wave 1 is not applied while the Widget's status describes generation 1", 5000, () => {
    const app = getApp(ns, "gate");
    return afterValue(setup) === "1" && app.status?.operation?.phase === "Running";
  });
  const during = getApp(ns, "gate");
  assert.equal(widgetStatus(during)?.health, "Progressing");
  assert.match(widgetStatus(during)?.healthMessage ?? "", /observe generation 2 \(status describes generation 1\)/);

  // The controller catches up: the gate opens and wave 1 follows.
  setWidgetStatus(setup, crd.group, { observedGeneration: 2 });
  await waitForApp(ns, "gate", "the second revision to sync", syncedAndHealthy(second));
  await waitFor("wave 1 to be applied", async () => afterValue(setup) === "2", { timeoutMs: 10_000 });
});

test("an Application's CEL health check holds the next wave until `current` holds, and `failed` makes it Degraded", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  const crd = widgetCrd(t, ns);
  const sha = await repo.commit("widget and wave 1", {
    "app/crd.yaml": crd.yaml,
    "app/widget.yaml": widget(crd.group, 1),
    "app/after.yaml": configMap("1"),
  });
  await startTestAgent(t, ns);
  const healthChecks = [
    {
      apiVersion: `${crd.group}/v1`,
      kind: "Widget",
      current: 'self.status.phase == "Ready"',
      failed: 'self.status.phase == "Failed"',
    },
  ];
  applyApplication(setup, "cel", { path: "app", interval: "1s", timeout: "2m", spec: { healthChecks } });

  // No status yet: the check cannot be evaluated, so the Widget is Unknown and wave 1 waits.
  const unknown = await waitForApp(ns, "cel", "the sync to wait for the Widget", (a) =>
    /waiting for Widget/.test(a.status?.operation?.message ?? ""),
  );
  assert.equal(unknown.status?.operation?.phase, "Running");
  await waitForApp(ns, "cel", "the Widget to be Unknown", (a) => widgetStatus(a)?.health === "Unknown");
  assert.match(
    widgetStatus(getApp(ns, "cel"))?.healthMessage ?? "",
    /^cannot evaluate failed \(spec\.healthChecks\[0\]\): No such key: status/,
  );
  setWidgetStatus(setup, crd.group, { phase: "Pending" });
  const pending = await waitForApp(
    ns,
    "cel",
    "the Widget to be Progressing",
    (a) => widgetStatus(a)?.health === "Progressing",
  );
  assert.equal(
    widgetStatus(pending)?.healthMessage,
    'not current yet (spec.healthChecks[0]): self.status.phase == "Ready"',
  );
  await holdsFor("wave 1 is not applied while the Widget is not Ready", 4000, () => afterValue(setup) === undefined);

  setWidgetStatus(setup, crd.group, { phase: "Ready" });
  const synced = await waitForApp(ns, "cel", "the sync to finish, Healthy", syncedAndHealthy(sha));
  assert.equal(afterValue(setup), "1");
  assert.equal(widgetStatus(synced)?.healthMessage, 'current (spec.healthChecks[0]): self.status.phase == "Ready"');

  setWidgetStatus(setup, crd.group, { phase: "Failed" });
  const failed = await waitForApp(
    ns,
    "cel",
    "the Application to be Degraded",
    (a) => a.status?.health?.status === "Degraded",
  );
  assert.equal(
    failed.status?.health?.message,
    `Widget.${crd.group}/${setup.dest}/w: failed (spec.healthChecks[0]): self.status.phase == "Failed"`,
  );
});

test("an Application whose health check is not valid CEL is refused, naming the check", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  await repo.commit("a config map", { "app/after.yaml": configMap("1") });
  await startTestAgent(t, ns);
  const healthChecks = [{ apiVersion: "example.com/v1", kind: "Widget", current: 'self.status.phase == "Ready' }];
  applyApplication(setup, "bad-cel", { path: "app", spec: { healthChecks } });

  const refused = await waitForApp(ns, "bad-cel", "the Application to be refused", (a) =>
    Boolean(a.status?.conditions?.some((c) => c.type === "Ready" && c.reason === "InvalidSpec")),
  );
  const ready = refused.status?.conditions?.find((c) => c.type === "Ready");
  assert.equal(ready?.status, "False");
  assert.match(ready?.message ?? "", /^spec\.healthChecks\[0\] \(Widget\.example\.com\): current: /);
  assert.equal(refused.status?.conditions?.find((c) => c.type === "Stalled")?.status, "True");
  assert.equal(refused.status?.operation, undefined, "nothing was synced");
  assert.equal(afterValue(setup), undefined);
});
