// Bugs found around the sync engine, each a case that failed before its fix, on the real control plane
// where it was seen there.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import {
  applyApplication,
  appTestSetup,
  simpleCrd,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const role = (name: string) =>
  JSON.stringify({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name },
    rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
  });

test("an object whose name holds _ and : is pruned when it leaves Git (its inventory id parses back) [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  const name = "reader_role:with_underscores";
  const first = await repo.commit("a role", { "app/role.yaml": role(name), "app/other.yaml": role("other") });
  await startTestAgent(t, ns);
  applyApplication(setup, "roles", { path: "app" });
  const app = await waitForApp(ns, "roles", "the roles to sync", syncedAndHealthy(first));
  assert.ok(app.status?.inventory?.includes(`rbac.authorization.k8s.io_Role_${dest}_${name}`));
  const second = await repo.commit("drop it", { "app/role.yaml": null });
  await waitForApp(ns, "roles", "the removal to sync", syncedAndHealthy(second));
  const left = ns.kubectl(["-n", dest, "get", "roles", "-o", "name"]).trim();
  assert.equal(left, "role.rbac.authorization.k8s.io/other", "the role with _ and : was pruned");
});

test("a SOPS-encrypted Secret in an Application without decryption is a render error naming the file; nothing is applied [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  await repo.commit("an encrypted secret, no keys", {
    "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata: { k: v }\n",
    "app/db.yaml": [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db",
      "stringData:",
      "  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]",
      "sops:",
      "  mac: ENC[AES256_GCM,data:eA==,iv:eQ==,tag:eg==,type:str]",
      "  version: 3.13.2",
      "",
    ].join("\n"),
  });
  await startTestAgent(t, ns);
  applyApplication(setup, "sops", { path: "app" });
  const app = await waitForApp(
    ns,
    "sops",
    "the render to fail",
    (a) => a.status?.conditions?.find((c) => c.type === "Ready")?.reason === "RenderFailed",
  );
  const ready = app.status?.conditions?.find((c) => c.type === "Ready");
  assert.match(
    ready?.message ?? "",
    /^app\/db\.yaml: Secret\/.*db is SOPS-encrypted, but the Application configures no decryption/,
  );
  assert.throws(() => ns.kubectl(["-n", dest, "get", "secret", "db"]), /NotFound|not found/);
  assert.throws(() => ns.kubectl(["-n", dest, "get", "configmap", "plain"]), /NotFound|not found/);
});

for (const target of CLUSTER_TARGETS) {
  test(`a reconcile that throws says why in Ready instead of keeping an old True [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    // The project may create Namespaces, its service account may not: creating a new destination throws.
    ns.kubectl(["create", "namespace", dest]);
    ns.kubectl(["create", "serviceaccount", "deployer"]);
    await startTestAgent(t, ns); // it installs the Project CRD
    const role = `${ns.name}-all`;
    t.after(() => ns.kubectl(["delete", "clusterrole", role, "--ignore-not-found"]));
    // --validate=false: the embedded server serves no OpenAPI for cluster roles yet (kubectl validates with it).
    ns.kubectl(
      ["apply", "--validate=false", "-f", "-"],
      [
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name: role },
          rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
        },

        {
          apiVersion: "bosun.dev/v1alpha1",
          kind: "Project",
          metadata: { name: "narrow", namespace: ns.name },
          spec: {
            sourceRepos: ["*"],
            destinations: [{ namespace: `${dest}*` }],
            clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
            serviceAccount: { namespace: ns.name, name: "deployer" },
          },
        },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n---\n"),
    );
    ns.kubectl(
      ["-n", dest, "apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "deployer", namespace: dest },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
        subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: ns.name }],
      }),
    );
    const sha = await repo.commit("one", { "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n" });
    applyApplication(setup, "app", { path: "app", project: "narrow" });
    await waitForApp(ns, "app", "Ready in its existing namespace", syncedAndHealthy(sha));
    applyApplication(setup, "app", { path: "app", project: "narrow", destination: { namespace: `${dest}-new` } });
    const app = await waitForApp(
      ns,
      "app",
      "the error in Ready",
      (a) => a.status?.conditions?.find((c) => c.type === "Ready")?.reason === "ReconcileError",
    );
    const ready = app.status?.conditions?.find((c) => c.type === "Ready");
    assert.equal(ready?.status, "False");
    assert.match(
      ready?.message ?? "",
      new RegExp(
        `Namespace/${dest}-new: create failed: namespaces is forbidden: User "system:serviceaccount:${ns.name}:deployer" cannot create`,
      ),
    );
    assert.equal(
      app.status?.conditions?.find((c) => c.type === "Stalled")?.status ?? "False",
      "False",
      "retried, not stalled",
    );
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`a failed sync with retries left is Reconciling, not Stalled; Stalled once they are used up [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    await repo.commit("never ready", {
      "app/stuck.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
spec:
  replicas: 1
  progressDeadlineSeconds: 2
  selector: { matchLabels: { app: stuck } }
  template:
    metadata:
      labels: { app: stuck }
      annotations: { bosun.dev/simulate: unready }
    spec:
      containers: [{ name: web, image: nginx }]
`,
      // A later wave: the stuck Deployment gates it, so the sync fails (the last wave alone is not waited for).
      "app/after.yaml":
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n  annotations: { bosun.dev/sync-wave: "1" }\n',
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "retries", { path: "app", interval: "1h" });
    setup.ns.kubectl([
      "patch",
      "application",
      "retries",
      "--type=merge",
      "-p",
      JSON.stringify({ spec: { syncPolicy: { retry: { limit: 1, backoff: { duration: "3s", factor: 1 } } } } }),
    ]);
    const condition = (a: Application, type: string) => a.status?.conditions?.find((c) => c.type === type);
    const first = await waitForApp(ns, "retries", "the first failure", (a) => a.status?.operation?.phase === "Failed");
    assert.equal(first.status?.operation?.retries ?? 0, 0);
    assert.equal(condition(first, "Stalled")?.status, "False", "a retry is left");
    assert.equal(condition(first, "Reconciling")?.reason, "RetryScheduled");
    const last = await waitForApp(
      ns,
      "retries",
      "the retry to fail too",
      (a) => a.status?.operation?.phase === "Failed" && a.status.operation.retries === 1,
      120_000,
    );
    assert.equal(condition(last, "Stalled")?.status, "True", "no retry left");
    assert.equal(condition(last, "Stalled")?.reason, "SyncFailed");
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`a custom resource in an earlier wave than its CRD: the CRD moves to that wave and the resource waits for it [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const group = `${dest}.example.com`;
    const crd = simpleCrd(group, "Widget");
    t.after(() => {
      ns.kubectl(["delete", "customresourcedefinition", `widgets.${group}`, "--ignore-not-found", "--wait=false"]);
    });
    const sha = await repo.commit("a widget before its CRD", {
      "app/crd.yaml": JSON.stringify(crd),
      "app/widget.yaml": JSON.stringify({
        apiVersion: `${group}/v1`,
        kind: "Widget",
        metadata: { name: "w", annotations: { "bosun.dev/sync-wave": "-1" } },
        spec: { size: 3 },
      }),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "widgets", { path: "app" });
    const app = await waitForApp(ns, "widgets", "the widget and its CRD to sync", syncedAndHealthy(sha));
    const waves = Object.fromEntries((app.status?.resources ?? []).map((r) => [r.kind, r.wave]));
    assert.deepEqual(waves, { CustomResourceDefinition: -1, Widget: -1 }, "the CRD went in the widget's wave");
    assert.equal(app.status?.history?.length, 1, "the first sync succeeded; no retry was needed");
    const live = JSON.parse(ns.kubectl(["-n", dest, "get", `widgets.${group}`, "w", "-o", "json"])) as {
      spec: { size: number };
    };
    assert.equal(live.spec.size, 3);
  });
}
