// Sync and compare options on the real control plane (and on the embedded server where it holds): one case
// per option, each showing what the option changes in the cluster.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../../src/api/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  simpleCrd,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

const configMap = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, annotations }, data });

const ready = (app: Application) => app.status?.conditions?.find((c) => c.type === "Ready");

type ConfigMap = KubeObject & { data?: Record<string, string> };

function getJson<T = ConfigMap>(setup: AppTestSetup, args: string[]): T {
  return JSON.parse(setup.ns.kubectl(["-n", setup.dest, "get", ...args, "--show-managed-fields", "-o", "json"])) as T;
}

/** The live object's managedFields as "manager/operation" and what each owns of `data`. */
function owners(obj: ConfigMap): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of obj.metadata.managedFields ?? []) {
    const data = (m.fieldsV1?.["f:data"] ?? {}) as Record<string, unknown>;
    out[`${m.manager}/${m.operation}`] = Object.keys(data)
      .filter((k) => k.startsWith("f:"))
      .sort();
  }
  return out;
}

for (const target of CLUSTER_TARGETS) {
  test(`an unknown sync option on an object, or in the Application, is named and nothing is applied [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    await repo.commit("a typo", {
      "app/ok.yaml": configMap("ok", { a: "1" }),
      "app/typo.yaml": configMap(
        "typo",
        { a: "1" },
        { "argocd.argoproj.io/sync-options": "Replace=maybe,PruneFirst=true" },
      ),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "typo", { path: "app" });
    const app = await waitForApp(ns, "typo", "the plan to be refused", (a) => ready(a)?.reason === "InvalidManifests");
    assert.match(
      ready(app)?.message ?? "",
      /ConfigMap\/.*\/typo: annotation argocd.argoproj.io\/sync-options: Replace=maybe: the value is one of true, false; unknown sync option "PruneFirst" \(known: Prune, Delete, Replace, ServerSideApply, PruneLast, FailOnSharedResource, SkipDryRunOnMissingResource, Validate, CreateNamespace, ApplyOutOfSyncOnly, RespectIgnoreDifferences, PrunePropagationPolicy\)/,
    );
    assert.equal(app.status?.conditions?.find((c) => c.type === "Stalled")?.status, "True");
    assert.throws(() => getJson(setup, ["configmap", "ok"]), /NotFound|not found/, "nothing applied");

    applyApplication(setup, "typo", { path: "app", syncOptions: ["Frobnicate=true"] });
    const spec = await waitForApp(ns, "typo", "the spec to be refused", (a) => ready(a)?.reason === "InvalidSpec");
    assert.match(
      ready(spec)?.message ?? "",
      /spec\.syncPolicy\.syncOptions\[1\] "Frobnicate=true": unknown sync option/,
    );
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`Replace=true writes with PUT: bosun's managedFields entry is an Update and a field another manager set is gone [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const replaced = { "bosun.dev/sync-options": "Replace=true" };
    const first = await repo.commit("v1", { "app/cm.yaml": configMap("cfg", { a: "1" }, replaced) });
    await startTestAgent(t, ns);
    applyApplication(setup, "replace", { path: "app" });
    await waitForApp(ns, "replace", "v1 to sync", syncedAndHealthy(first));
    ns.kubectl(["-n", setup.dest, "patch", "configmap", "cfg", "--type=merge", "-p", '{"data":{"theirs":"x"}}']);
    assert.deepEqual(getJson(setup, ["configmap", "cfg"]).data, { a: "1", theirs: "x" });

    const second = await repo.commit("v2", { "app/cm.yaml": configMap("cfg", { a: "2" }, replaced) });
    await waitForApp(ns, "replace", "v2 to sync", syncedAndHealthy(second));
    const live = getJson(setup, ["configmap", "cfg"]);
    assert.deepEqual(live.data, { a: "2" }, "the field kubectl-patch set is gone: the object was replaced");
    const bosun = (live.metadata.managedFields ?? []).filter((m) => m.manager === "bosun");
    assert.deepEqual(
      bosun.map((m) => m.operation),
      ["Update"],
      "written by PUT, never by server-side apply",
    );
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`ServerSideApply=false: client-side apply with the last-applied annotation; Git's removals go, others' fields stay [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    // First written by server-side apply (the default): bosun's Apply entry owns a, b and c.
    const first = await repo.commit("ssa", { "app/cm.yaml": configMap("cfg", { a: "1", b: "2", c: "3" }) });
    await startTestAgent(t, ns);
    applyApplication(setup, "csa", { path: "app" });
    await waitForApp(ns, "csa", "the server-side apply to sync", syncedAndHealthy(first));
    assert.deepEqual(owners(getJson(setup, ["configmap", "cfg"]))["bosun/Apply"], ["f:a", "f:b", "f:c"]);

    const csa = { "bosun.dev/sync-options": "ServerSideApply=false" };
    const second = await repo.commit("csa", { "app/cm.yaml": configMap("cfg", { a: "1", b: "2", c: "3" }, csa) });
    await waitForApp(ns, "csa", "the switch to sync", syncedAndHealthy(second));
    const switched = getJson(setup, ["configmap", "cfg"]);
    assert.equal(owners(switched)["bosun/Apply"], undefined, "no server-side apply entry of bosun's is left");
    assert.deepEqual(owners(switched)["bosun/Update"], ["f:a", "f:b", "f:c"]);
    const lastApplied = JSON.parse(switched.metadata.annotations?.[LAST_APPLIED] ?? "{}") as ConfigMap;
    assert.deepEqual(lastApplied.data, { a: "1", b: "2", c: "3" });

    ns.kubectl(["-n", setup.dest, "label", "configmap", "cfg", "team=theirs"]);
    const third = await repo.commit("drop b", { "app/cm.yaml": configMap("cfg", { a: "1", c: "30" }, csa) });
    await waitForApp(ns, "csa", "the removal to sync", syncedAndHealthy(third));
    const live = getJson(setup, ["configmap", "cfg"]);
    assert.deepEqual(live.data, { a: "1", c: "30" }, "b, removed from Git since the last apply, is removed live");
    assert.equal(live.metadata.labels?.team, "theirs", "a label another manager set is kept");
    assert.deepEqual(
      (JSON.parse(live.metadata.annotations?.[LAST_APPLIED] ?? "{}") as ConfigMap).data,
      { a: "1", c: "30" },
      "the annotation follows",
    );
    assert.deepEqual(
      (live.metadata.managedFields ?? []).filter((m) => m.manager === "bosun").map((m) => m.operation),
      ["Update"],
    );

    // Drift of a field Git sets is taken back, by the same merge patch.
    ns.kubectl(["-n", setup.dest, "patch", "configmap", "cfg", "--type=merge", "-p", '{"data":{"a":"drifted"}}']);
    await waitForApp(ns, "csa", "the drift to be reverted", () => getJson(setup, ["configmap", "cfg"]).data?.a === "1");
  });
}

// Real only: the embedded server does not refuse undeclared fields (fieldValidation=Strict) yet.
test("Validate=false: a field the schema does not declare is dropped instead of failing the write [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, repo } = setup;
  const withUnknown = (options: string) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "loose", annotations: { "bosun.dev/sync-options": options } },
      data: { a: "1" },
      notAField: { x: 1 },
    });
  await repo.commit("strict", { "app/cm.yaml": withUnknown("ServerSideApply=false") });
  await startTestAgent(t, ns);
  applyApplication(setup, "validate", { path: "app" });
  const failed = await waitForApp(
    ns,
    "validate",
    "the strict write to fail",
    (a) => a.status?.operation?.phase === "Failed",
  );
  assert.match(
    failed.status?.operation?.message ?? "",
    /ConfigMap\/.*\/loose: create failed: .*unknown field "notAField"/,
  );

  const second = await repo.commit("loose", { "app/cm.yaml": withUnknown("ServerSideApply=false,Validate=false") });
  await waitForApp(ns, "validate", "the loose write to sync", syncedAndHealthy(second));
  const live = getJson<ConfigMap & { notAField?: unknown }>(setup, ["configmap", "loose"]);
  assert.deepEqual([live.data, live.notAField], [{ a: "1" }, undefined]);
});

for (const target of CLUSTER_TARGETS)
  test(`SkipDryRunOnMissingResource=true: a custom resource whose CRD is not installed waits for it; without it the sync applies nothing [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const group = `${ns.name}.example.com`;
    const crdName = `gadgets.${group}`;
    t.after(() => ns.kubectl(["delete", "crd", crdName, "--ignore-not-found"]));
    const gadget = (annotations: Record<string, string>) =>
      JSON.stringify({
        apiVersion: `${group}/v1`,
        kind: "Gadget",
        metadata: { name: "g", annotations: { "bosun.dev/sync-wave": "1", ...annotations } },
        spec: { size: 3 },
      });
    await repo.commit("no CRD", {
      "app/cm.yaml": configMap("before", { a: "1" }),
      "app/gadget.yaml": gadget({}),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "gadgets", { path: "app" });
    const refused = await waitForApp(ns, "gadgets", "the sync to fail", (a) => a.status?.operation?.phase === "Failed");
    assert.match(
      refused.status?.operation?.message ?? "",
      new RegExp(`^nothing applied: Gadget.${group}/.*/g: the cluster does not serve kind Gadget`),
    );
    assert.throws(() => getJson(setup, ["configmap", "before"]), /NotFound|not found/, "wave 0 was not applied");
    assert.match(
      refused.status?.resources?.find((r) => r.kind === "Gadget")?.message ?? "",
      /SkipDryRunOnMissingResource=true/,
    );

    const second = await repo.commit("skip the dry run", {
      "app/gadget.yaml": gadget({ "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true" }),
    });
    const waiting = await waitForApp(ns, "gadgets", "wave 0 to be applied", () => {
      try {
        return getJson(setup, ["configmap", "before"]).data?.a === "1";
      } catch {
        return false;
      }
    });
    assert.notEqual(waiting.status?.sync?.status, "Synced");
    const noted = await waitForApp(ns, "gadgets", "the Gadget to be reported Missing, waiting for its CRD", (a) =>
      /will be created once the cluster serves kind Gadget/.test(
        a.status?.resources?.find((r) => r.kind === "Gadget")?.message ?? "",
      ),
    );
    assert.equal(noted.status?.resources?.find((r) => r.kind === "Gadget")?.status, "Missing");
    // Something else (an operator) installs the CRD: the Gadget is created by the next sync.
    ns.kubectl(["apply", "-f", "-"], JSON.stringify(simpleCrd(group, "Gadget")));
    await waitForApp(ns, "gadgets", "the Gadget to be created", syncedAndHealthy(second), 120_000);
    assert.equal(getJson<{ spec: { size: number } }>(setup, [`gadgets.${group}`, "g"]).spec.size, 3);
  });

for (const target of CLUSTER_TARGETS)
  test(`a CRD and its custom resource in one wave: the resource is applied once the CRD is served [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const group = `${ns.name}.example.com`;
    const crdName = `widgets.${group}`;
    t.after(() => ns.kubectl(["delete", "crd", crdName, "--ignore-not-found"]));
    const sha = await repo.commit("crd and cr", {
      "app/crd.yaml": JSON.stringify(simpleCrd(group, "Widget")),
      "app/widget.yaml": JSON.stringify({
        apiVersion: `${group}/v1`,
        kind: "Widget",
        metadata: { name: "w" },
        spec: { n: 1 },
      }),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "widgets", { path: "app", syncOptions: ["Prune=false"] });
    const app = await waitForApp(ns, "widgets", "the CRD and the Widget to sync", syncedAndHealthy(sha));
    assert.ok(!(app.status?.history ?? []).some((h) => h.result === "Failed"), "the first sync succeeded");
    assert.equal(getJson<{ spec: { n: number } }>(setup, [`widgets.${group}`, "w"]).spec.n, 1);
  });

for (const target of CLUSTER_TARGETS)
  test(`IgnoreExtraneous: an object left out of Git but kept (Prune=false) does not make the Application OutOfSync [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const keep = { "argocd.argoproj.io/sync-options": "Prune=false" };
    const first = await repo.commit("three", {
      "app/main.yaml": configMap("main", { a: "1" }),
      "app/generated.yaml": configMap(
        "generated",
        { a: "1" },
        { ...keep, "argocd.argoproj.io/compare-options": "IgnoreExtraneous" },
      ),
      "app/kept.yaml": configMap("kept", { a: "1" }, keep),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "extraneous", { path: "app" });
    await waitForApp(ns, "extraneous", "all three to sync", syncedAndHealthy(first));

    const second = await repo.commit("drop the generated one", { "app/generated.yaml": null });
    const synced = await waitForApp(ns, "extraneous", "the Application to stay Synced", syncedAndHealthy(second));
    assert.equal(synced.status?.resources?.find((r) => r.name === "generated")?.status, "Extraneous");
    assert.ok(getJson(setup, ["configmap", "generated"]), "kept: Prune=false");

    const third = await repo.commit("drop the kept one", { "app/kept.yaml": null });
    const outOfSync = await waitForApp(
      ns,
      "extraneous",
      "an extraneous object without IgnoreExtraneous to make it OutOfSync",
      (a) => a.status?.sourceRevision?.sha === third && a.status?.sync?.status === "OutOfSync",
    );
    assert.equal(outOfSync.status?.resources?.find((r) => r.name === "kept")?.status, "Extraneous");
    // An object no sync will prune is no reason to sync again and again (self-heal is on).
    await new Promise((r) => setTimeout(r, 3000));
    const later = await waitForApp(
      ns,
      "extraneous",
      "the Application to stay OutOfSync",
      (a) => a.status?.sync?.status === "OutOfSync",
    );
    assert.equal(later.status?.history?.filter((h) => h.revision === third).length, 1, "one sync of that revision");
  });

for (const target of CLUSTER_TARGETS)
  test(`FailOnSharedResource=true: an object another Application tracks fails the sync, naming it and its owner [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const owned = await repo.commit("owner", { "owner/cm.yaml": configMap("shared", { by: "owner" }) });
    await repo.commit("intruder", { "intruder/cm.yaml": configMap("shared", { by: "intruder" }) });
    await startTestAgent(t, ns);
    applyApplication(setup, "owner", { path: "owner", revision: owned });
    await waitForApp(ns, "owner", "the owner to sync", syncedAndHealthy(owned));
    applyApplication(setup, "intruder", { path: "intruder", syncOptions: ["FailOnSharedResource=true"] });
    const app = await waitForApp(
      ns,
      "intruder",
      "the intruder to be refused",
      (a) => ready(a)?.reason === "NotPermitted",
    );
    assert.match(
      ready(app)?.message ?? "",
      new RegExp(`ConfigMap/${setup.dest}/shared: managed by Application ${ns.name}/owner`),
    );
    assert.deepEqual(getJson(setup, ["configmap", "shared"]).data, { by: "owner" });
  });

for (const target of CLUSTER_TARGETS)
  test(`PruneLast=true: an object left out of Git is pruned only after the last wave is Healthy [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const first = await repo.commit("v1", {
      "app/old.yaml": configMap("old", { a: "1" }, { "bosun.dev/sync-options": "PruneLast=true" }),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "prunelast", { path: "app", syncOptions: ["PruneLast=true"], timeout: "2m" });
    await waitForApp(ns, "prunelast", "v1 to sync", syncedAndHealthy(first));
    const second = await repo.commit("v2", {
      "app/old.yaml": null,
      "app/job.yaml": JSON.stringify({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "last", annotations: { "bosun.dev/sync-wave": "5" } },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
      }),
    });
    await waitForApp(ns, "prunelast", "v2 to sync", syncedAndHealthy(second));
    const job = getJson<{ status: { completionTime?: string } }>(setup, ["job", "last"]);
    type Listed = { items: Array<{ reason: string; message: string; metadata: { creationTimestamp: string } }> };
    // Events are recorded once the status is written: the Synced status can be read a moment before them.
    const prunedEvent = () =>
      (JSON.parse(ns.kubectl(["get", "events", "-o", "json"])) as Listed).items.find(
        (e) => e.reason === "Pruned" && /ConfigMap\/.*\/old/.test(e.message),
      );
    await waitFor("a Pruned event for the old ConfigMap", async () => prunedEvent() !== undefined, {
      timeoutMs: 10_000,
    });
    const pruned = prunedEvent();
    assert.ok(pruned, "a Pruned event for the old ConfigMap");
    assert.ok(job.status.completionTime, "the Job of the last wave completed");
    const prunedAt = Date.parse(pruned.metadata.creationTimestamp);
    assert.ok(
      prunedAt >= Date.parse(job.status.completionTime),
      `pruned at ${pruned.metadata.creationTimestamp}, the last wave's Job completed at ${job.status.completionTime}`,
    );
  });

for (const target of CLUSTER_TARGETS)
  test(`RespectIgnoreDifferences=true: a sync keeps the replicas an autoscaler set; without it Git's value comes back [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const deployment = (image: string) =>
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web" },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image }] } },
        },
      });
    const first = await repo.commit("v1", { "app/web.yaml": deployment("nginx:1") });
    await startTestAgent(t, ns);
    const ignore = [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }];
    applyApplication(setup, "respect", {
      path: "app",
      syncOptions: ["RespectIgnoreDifferences=true"],
      ignoreDifferences: ignore,
    });
    await waitForApp(ns, "respect", "v1 to sync", syncedAndHealthy(first));
    ns.kubectl(["-n", setup.dest, "scale", "deployment", "web", "--replicas=2"]);
    const second = await repo.commit("v2", { "app/web.yaml": deployment("nginx:2") });
    await waitForApp(ns, "respect", "v2 to sync", syncedAndHealthy(second));
    const live = getJson<{ spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }>(
      setup,
      ["deployment", "web"],
    );
    assert.deepEqual([live.spec.replicas, live.spec.template.spec.containers[0]?.image], [2, "nginx:2"]);

    applyApplication(setup, "respect", { path: "app", ignoreDifferences: ignore });
    const third = await repo.commit("v3", { "app/web.yaml": deployment("nginx:3") });
    await waitForApp(ns, "respect", "v3 to sync", syncedAndHealthy(third));
    assert.equal(getJson<{ spec: { replicas: number } }>(setup, ["deployment", "web"]).spec.replicas, 1);
  });
