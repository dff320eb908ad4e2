// Projects, impersonation and ownership, tried as an attacker would: a repository changes only what its
// team may change. Each attack is its own case; most run on the real control plane and the embedded server.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Application } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { ensureApiTokens } from "../../src/server/index.js";
import { CLUSTER_TARGETS, type TestNamespace } from "../harness/cluster-fixture.js";
import { startGitHttpServer } from "../harness/git-http-server.js";
import { waitFor } from "../harness/net.js";
import { Repo } from "../source/git-fixture.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  getApp,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const configMap = (name: string, namespace?: string, data: Record<string, string> = { k: "v" }, annotations = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, ...(namespace ? { namespace } : {}), annotations },
    data,
  });

function applyProject(ns: TestNamespace, name: string, spec: Record<string, unknown>): void {
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "bosun.dev/v1alpha1", kind: "Project", metadata: { name, namespace: ns.name }, spec }),
  );
}

/** A team project: its repository and one existing namespace, nothing cluster-scoped. */
function teamProject(setup: AppTestSetup, extra: Record<string, unknown> = {}): void {
  applyProject(setup.ns, "team-a", {
    sourceRepos: [`${setup.repo.fileUrl}*`],
    destinations: [{ namespace: setup.dest }],
    ...extra,
  });
}

function absent(ns: TestNamespace, args: string[]): boolean {
  try {
    ns.kubectl(["get", ...args, "-o", "name"]);
    return false;
  } catch (err) {
    return /NotFound|not found/.test(String((err as { stderr?: unknown }).stderr ?? err));
  }
}

function json<T>(ns: TestNamespace, args: string[]): T {
  return JSON.parse(ns.kubectl(["get", ...args, "-o", "json"])) as T;
}

interface KubeEvent {
  reason: string;
  message: string;
  type: string;
  involvedObject: { kind: string; name: string };
}

/** The Events of an Application (filtered here: the embedded server has no field selectors for Events yet). */
function appEvents(ns: TestNamespace, app: string): KubeEvent[] {
  return json<{ items: KubeEvent[] }>(ns, ["events"]).items.filter(
    (e) => e.involvedObject.kind === "Application" && e.involvedObject.name === app,
  );
}

/** The Application's first Event of a reason, once it is recorded (the agent writes it after the status). */
async function appEvent(ns: TestNamespace, app: string, reason: string): Promise<KubeEvent> {
  let found: KubeEvent | undefined;
  await waitFor(
    `a ${reason} Event on ${app}`,
    async () => {
      found = appEvents(ns, app).find((e) => e.reason === reason);
      return found !== undefined;
    },
    { timeoutMs: 30_000 },
  );
  return found as KubeEvent;
}

const ready = (app: Application) => app.status?.conditions?.find((c) => c.type === "Ready");
const stalled = (app: Application) => app.status?.conditions?.find((c) => c.type === "Stalled");
const deniedApp = (app: Application) => (app.status?.denied?.length ?? 0) > 0;

test("a project that allows one namespace: a cluster-admin binding, a Namespace, a CRD, objects in the agent's namespace and kube-system are refused, and nothing is applied [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  ns.kubectl(["create", "namespace", dest]);
  const id = ns.name;
  t.after(() => {
    for (const args of [
      ["clusterrolebinding", `evil-admin-${id}`],
      ["namespace", `evil-${id}`],
      ["crd", `widgets.${id}.evil.example`],
      ["-n", "kube-system", "configmap", `planted-${id}`],
    ])
      ns.kubectl(["delete", "--ignore-not-found", "--wait=false", ...args]);
  });
  const attack = {
    "app/evil-binding.yaml": JSON.stringify({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `evil-admin-${id}` },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "User", name: "attacker", apiGroup: "rbac.authorization.k8s.io" }],
    }),
    "app/evil-namespace.yaml": JSON.stringify({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: `evil-${id}` },
    }),
    "app/evil-crd.yaml": JSON.stringify({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `widgets.${id}.evil.example` },
      spec: {
        group: `${id}.evil.example`,
        scope: "Namespaced",
        names: { plural: "widgets", singular: "widget", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    }),
    "app/in-agent-namespace.yaml": configMap("planted", ns.name),
    "app/in-kube-system.yaml": configMap(`planted-${id}`, "kube-system"),
  };
  await repo.commit("team a, and an attack", { "app/team-config.yaml": configMap("team-config"), ...attack });
  await startTestAgent(t, ns);
  teamProject(setup);
  applyApplication(setup, "team-app", { path: "app", project: "team-a" });

  const app = await waitForApp(ns, "team-app", "the sync to be refused", deniedApp);
  const denied = Object.fromEntries((app.status?.denied ?? []).map((d) => [d.resource, d.rule]));
  assert.deepEqual(denied, {
    [`ClusterRoleBinding.rbac.authorization.k8s.io/evil-admin-${id}`]:
      "cluster-scoped ClusterRoleBinding.rbac.authorization.k8s.io is not in project team-a's clusterResourceWhitelist",
    [`Namespace/evil-${id}`]: `namespace evil-${id} is not a destination of project team-a`,
    [`CustomResourceDefinition.apiextensions.k8s.io/widgets.${id}.evil.example`]:
      "cluster-scoped CustomResourceDefinition.apiextensions.k8s.io is not in project team-a's clusterResourceWhitelist",
    [`ConfigMap/${ns.name}/planted`]: `namespace ${ns.name} is the agent's namespace: project team-a must name it literally in destinations`,
    [`ConfigMap/kube-system/planted-${id}`]: "namespace kube-system is not a destination of project team-a",
  });
  assert.equal(ready(app)?.reason, "NotPermitted");
  assert.equal(stalled(app)?.status, "True");
  assert.equal(app.status?.operation, undefined, "no sync was started");
  const event = await appEvent(ns, "team-app", "SyncDenied");
  assert.equal(event.type, "Warning");
  assert.match(event.message, /^5 objects not permitted, nothing applied: /);

  assert.ok(absent(ns, ["clusterrolebinding", `evil-admin-${id}`]), "no cluster-admin binding");
  assert.ok(absent(ns, ["namespace", `evil-${id}`]), "no Namespace");
  assert.ok(absent(ns, ["crd", `widgets.${id}.evil.example`]), "no CRD");
  assert.ok(absent(ns, ["configmap", "planted"]), "nothing in the agent's namespace");
  assert.ok(absent(ns, ["-n", "kube-system", "configmap", `planted-${id}`]), "nothing in kube-system");
  assert.ok(absent(ns, ["-n", dest, "configmap", "team-config"]), "not even the permitted object: nothing applied");

  // Git without the attack syncs, and the denials go.
  const fixed = await repo.commit("remove the attack", Object.fromEntries(Object.keys(attack).map((f) => [f, null])));
  const synced = await waitForApp(ns, "team-app", "the fixed repository to sync", syncedAndHealthy(fixed));
  assert.equal(synced.status?.denied, undefined);
  assert.equal(ready(synced)?.status, "True");
  assert.equal(stalled(synced)?.status, "False");
  assert.ok(!absent(ns, ["-n", dest, "configmap", "team-config"]));
});

for (const target of CLUSTER_TARGETS) {
  test(`a repository cannot take over the API tokens Secret or another Application, not even in the default project [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
    const tokens = await ensureApiTokens(client, ns.name, AbortSignal.timeout(30_000));
    const tokensBefore = json<{ metadata: { resourceVersion: string } }>(ns, ["secret", "bosun-api-tokens"]);
    const guestbookSha = await repo.commit("guestbook and an attack", {
      "guestbook/cm.yaml": configMap("guestbook"),
      "attack/tokens.yaml": JSON.stringify({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "bosun-api-tokens", namespace: ns.name },
        stringData: { admin: "attacker-token", readonly: "attacker-token" },
      }),
      "attack/guestbook.yaml": JSON.stringify({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Application",
        metadata: { name: "guestbook", namespace: ns.name },
        spec: {
          source: { repoURL: repo.fileUrl, path: "attack/empty" },
          destination: { namespace: setup.dest },
          syncPolicy: { automated: { prune: true, allowEmpty: true } },
        },
      }),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "guestbook", { path: "guestbook" });
    await waitForApp(ns, "guestbook", "guestbook to sync", syncedAndHealthy(guestbookSha));
    const guestbookBefore = getApp(ns, "guestbook");
    applyApplication(setup, "attacker", { path: "attack" });

    const app = await waitForApp(ns, "attacker", "the takeover to be refused", deniedApp);
    assert.deepEqual((app.status?.denied ?? []).map((d) => d.resource).sort(), [
      `Application.bosun.dev/${ns.name}/guestbook`,
      `Secret/${ns.name}/bosun-api-tokens`,
    ]);
    for (const d of app.status?.denied ?? [])
      assert.match(d.rule, new RegExp(`namespace ${ns.name} is the agent's namespace: project default must name it`));
    const tokensAfter = json<{ metadata: { resourceVersion: string } }>(ns, ["secret", "bosun-api-tokens"]);
    assert.equal(
      tokensAfter.metadata.resourceVersion,
      tokensBefore.metadata.resourceVersion,
      "the tokens are untouched",
    );
    assert.deepEqual(await ensureApiTokens(client, ns.name, AbortSignal.timeout(30_000)), tokens);
    const guestbookAfter = getApp(ns, "guestbook");
    assert.deepEqual(guestbookAfter.spec, guestbookBefore.spec, "guestbook's spec is its own");
    assert.equal(guestbookAfter.metadata.generation, guestbookBefore.metadata.generation);
    assert.ok(!absent(ns, ["-n", setup.dest, "configmap", "guestbook"]), "guestbook's workload stays");
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`a hook named like another Application's object is refused; that object is untouched [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const sha = await repo.commit("two apps", {
      "owner/shared.yaml": configMap("shared"),
      "intruder/hook.yaml": configMap("shared", undefined, { taken: "over" }, { "bosun.dev/hook": "PreSync" }),
      "intruder/own.yaml": configMap("intruder-own"),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "owner", { path: "owner" });
    await waitForApp(ns, "owner", "the owner to sync", syncedAndHealthy(sha));
    type Cm = {
      metadata: { resourceVersion: string; annotations: Record<string, string> };
      data: Record<string, string>;
    };
    const before = json<Cm>(ns, ["-n", dest, "configmap", "shared"]);
    applyApplication(setup, "intruder", { path: "intruder" });

    const app = await waitForApp(ns, "intruder", "the hook to be refused", deniedApp);
    assert.deepEqual(app.status?.denied, [
      { resource: `ConfigMap/${dest}/shared`, rule: `managed by Application ${ns.name}/owner` },
    ]);
    assert.equal(ready(app)?.reason, "NotPermitted");
    const after = json<Cm>(ns, ["-n", dest, "configmap", "shared"]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(after.data, { k: "v" });
    assert.match(after.metadata.annotations["bosun.dev/tracking-id"] ?? "", new RegExp(`^${ns.name}/owner:`));
    assert.ok(absent(ns, ["-n", dest, "configmap", "intruder-own"]), "nothing of the intruder was applied");
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`an untracked object inside the project is adopted, and the adoption recorded [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    ns.kubectl(["create", "namespace", dest]);
    ns.kubectl(["-n", dest, "create", "configmap", "preexisting", "--from-literal=k=old"]);
    const sha = await repo.commit("adopt", { "app/cm.yaml": configMap("preexisting", undefined, { k: "new" }) });
    await startTestAgent(t, ns);
    applyApplication(setup, "adopter", { path: "app" });
    const app = await waitForApp(ns, "adopter", "the adopting sync", syncedAndHealthy(sha));
    assert.deepEqual(
      app.status?.adopted?.map((a) => [a.resource, a.revision]),
      [[`ConfigMap/${dest}/preexisting`, sha]],
    );
    const event = await appEvent(ns, "adopter", "Adopted");
    assert.equal(event.message, `took over ConfigMap/${dest}/preexisting: it existed without an owning Application`);
    const cm = json<{ data: Record<string, string> }>(ns, ["-n", dest, "configmap", "preexisting"]);
    assert.deepEqual(cm.data, { k: "new" });
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`a project's service account has the last word: a ConfigMap is applied, a Secret refused with the API server's 403 [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    ns.kubectl(["create", "namespace", dest]);
    ns.kubectl(
      ["-n", dest, "apply", "-f", "-"],
      [
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer", namespace: dest } },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "Role",
          metadata: { name: "configmaps-only", namespace: dest },
          rules: [
            {
              apiGroups: [""],
              resources: ["configmaps"],
              verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
            },
          ],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: "deployer", namespace: dest },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "configmaps-only" },
          subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: dest }],
        },
      ]
        .map((o) => JSON.stringify(o))
        .join("\n---\n"),
    );
    await repo.commit("a ConfigMap and a Secret", {
      "app/settings.yaml": configMap("settings"),
      "app/creds.yaml": JSON.stringify({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "creds" },
        stringData: { password: "s3cr3t-value" },
      }),
    });
    await startTestAgent(t, ns);
    teamProject(setup, { serviceAccount: { namespace: dest, name: "deployer" } });
    applyApplication(setup, "team-app", { path: "app", project: "team-a" });

    const app = await waitForApp(
      ns,
      "team-app",
      "the sync to fail on the Secret",
      (a) => a.status?.operation?.phase === "Failed",
    );
    const forbidden = new RegExp(
      `secrets "creds" is forbidden: User "system:serviceaccount:${dest}:deployer" cannot patch resource "secrets" in API group "" in the namespace "${dest}"`,
    );
    assert.match(app.status?.operation?.message ?? "", forbidden);
    const secret = app.status?.resources?.find((r) => r.kind === "Secret");
    assert.match(secret?.message ?? "", forbidden);
    assert.deepEqual(
      app.status?.operation?.failures?.map((f) => f.resource),
      [`Secret/${dest}/creds`],
    );
    assert.ok(absent(ns, ["-n", dest, "secret", "creds"]), "the Secret was refused");
    const cm = json<{ metadata: { managedFields: Array<{ manager: string }> } }>(ns, [
      "-n",
      dest,
      "configmap",
      "settings",
      "--show-managed-fields",
    ]);
    assert.ok(
      cm.metadata.managedFields.some((f) => f.manager === "bosun"),
      "the ConfigMap was applied by bosun",
    );
    assert.doesNotMatch(JSON.stringify(app.status), /s3cr3t-value/);
  });
}

test("a ValidatingAdmissionPolicy's denial is shown on the object it denied, and the next wave is not applied [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  ns.kubectl(["create", "namespace", dest]);
  const policy = `no-forbidden-key-${ns.name}`;
  t.after(() => {
    ns.kubectl(["delete", "--ignore-not-found", "validatingadmissionpolicybinding", policy]);
    ns.kubectl(["delete", "--ignore-not-found", "validatingadmissionpolicy", policy]);
  });
  ns.kubectl(
    ["apply", "-f", "-"],
    [
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: policy },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [
              { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["configmaps"] },
            ],
          },
          validations: [
            {
              expression: "!has(object.data) || !('forbidden' in object.data)",
              message: "ConfigMaps may not hold a key named forbidden",
            },
          ],
        },
      },
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: policy },
        spec: {
          policyName: policy,
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dest } } },
        },
      },
    ]
      .map((o) => JSON.stringify(o))
      .join("\n---\n"),
  );
  await waitFor(
    "the policy to be enforced",
    async () => {
      try {
        ns.kubectl(["-n", dest, "create", "configmap", "probe", "--from-literal=forbidden=1", "--dry-run=server"]);
        return false;
      } catch {
        return true;
      }
    },
    { timeoutMs: 60_000 },
  );
  await repo.commit("a denied ConfigMap in wave 0", {
    "app/bad.yaml": configMap("bad", undefined, { forbidden: "yes" }),
    "app/good.yaml": configMap("good"),
    "app/later.yaml": configMap("later", undefined, { k: "v" }, { "bosun.dev/sync-wave": "1" }),
  });
  await startTestAgent(t, ns);
  applyApplication(setup, "guarded", { path: "app" });

  const app = await waitForApp(ns, "guarded", "the wave to fail", (a) => a.status?.operation?.phase === "Failed");
  const denial = /ConfigMaps may not hold a key named forbidden/;
  const bad = app.status?.resources?.find((r) => r.name === "bad");
  assert.match(bad?.message ?? "", denial);
  assert.match(bad?.message ?? "", new RegExp(`ValidatingAdmissionPolicy '${policy}'`));
  assert.equal(app.status?.resources?.find((r) => r.name === "good")?.message, undefined);
  assert.match(app.status?.operation?.message ?? "", denial);
  assert.equal(app.status?.operation?.wave, 0);
  assert.ok(!absent(ns, ["-n", dest, "configmap", "good"]), "the rest of the wave was applied");
  assert.ok(absent(ns, ["-n", dest, "configmap", "bad"]));
  assert.ok(absent(ns, ["-n", dest, "configmap", "later"]), "the next wave was not applied");
});

test("a private repository: its SHA asked for without credentials is refused; credentials come only from labelled Secrets, and not over plain http unless the Secret says insecure [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest } = setup;
  const root = mkdtempSync(join(tmpdir(), "bosun-private-git-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const priv = await Repo.init(join(root, "private"));
  const sha = await priv.commit("private", {
    "app/cm.yaml": configMap("private-config"),
    "stolen/cm.yaml": configMap("stolen-config"),
  });
  const auth = { username: "alice", password: `pw-${ns.name}-x` };
  const server = await startGitHttpServer({ projectRoot: root, auth });
  t.after(() => server.close());
  const url = `${server.url}/private`;
  const secret = (name: string, labels: Record<string, string>, extra: Record<string, string> = {}) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: ns.name, labels },
      stringData: { ...auth, ...extra },
    });
  const repository = { "bosun.dev/secret-type": "repository" };
  ns.kubectl(
    ["apply", "-f", "-"],
    [
      secret("private-creds", repository, { insecure: "true" }),
      secret("unlabelled-creds", {}, { insecure: "true" }),
      secret("plain-http-creds", repository),
    ].join("\n---\n"),
  );
  await startTestAgent(t, ns);
  const withCreds = (name: string, path: string, credentials?: string, revision?: string) =>
    applyApplication(setup, name, {
      path,
      repoURL: url,
      revision,
      source: credentials ? { credentialsRef: { name: credentials } } : {},
    });
  withCreds("private", "app", "private-creds");
  await waitForApp(ns, "private", "the private repository to sync", syncedAndHealthy(sha));

  withCreds("no-creds", "stolen", undefined, sha);
  withCreds("unlabelled", "stolen", "unlabelled-creds", sha);
  withCreds("plain-http", "stolen", "plain-http-creds", sha);
  const failed = (name: string) =>
    waitForApp(ns, name, `${name} to fail at the source`, (a) => ready(a)?.reason === "SourceFailed");
  const noCreds = await failed("no-creds");
  assert.doesNotMatch(ready(noCreds)?.message ?? "", /private-config|stolen-config/);
  assert.match(ready(await failed("unlabelled"))?.message ?? "", /not labelled bosun\.dev\/secret-type=repository/);
  assert.match(ready(await failed("plain-http"))?.message ?? "", /only over https or ssh/);
  assert.ok(absent(ns, ["-n", dest, "configmap", "stolen-config"]), "the private content was not deployed");
  for (const name of ["no-creds", "unlabelled", "plain-http"])
    assert.equal(getApp(ns, name).status?.sync?.revision, undefined, `${name} never synced`);
});

for (const target of CLUSTER_TARGETS) {
  test(`file:// repositories only under the directories the agent allows [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("outside", { "app/cm.yaml": configMap("outside") });
    const allowedRoot = mkdtempSync(join(tmpdir(), "bosun-allowed-"));
    t.after(() => rmSync(allowedRoot, { recursive: true, force: true }));
    const inside = await Repo.init(join(allowedRoot, "repo"));
    const sha = await inside.commit("inside", { "app/cm.yaml": configMap("inside") });
    await startTestAgent(t, ns, { allowFileRepos: [allowedRoot] });
    applyApplication(setup, "outside", { path: "app" });
    applyApplication(setup, "inside", { path: "app", repoURL: inside.fileUrl });
    await waitForApp(ns, "inside", "the allowed repository to sync", syncedAndHealthy(sha));
    const outside = await waitForApp(
      ns,
      "outside",
      "the repository outside to be refused",
      (a) => ready(a)?.reason === "SourceFailed",
    );
    assert.match(ready(outside)?.message ?? "", /--allow-file-repos/);
    assert.ok(absent(ns, ["-n", dest, "configmap", "outside"]));
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`a destination on a cluster bosun does not know applies nothing anywhere [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("elsewhere", { "app/cm.yaml": configMap("elsewhere") });
    await startTestAgent(t, ns);
    applyApplication(setup, "remote", {
      path: "app",
      destination: { server: "https://prod-cluster.example.test:6443", namespace: dest },
    });
    const app = await waitForApp(ns, "remote", "UnknownCluster", (a) => ready(a)?.reason === "UnknownCluster");
    assert.match(ready(app)?.message ?? "", /https:\/\/prod-cluster\.example\.test:6443/);
    assert.equal(stalled(app)?.status, "True");
    assert.ok(absent(ns, ["namespace", dest]), "not even the namespace was created");
  });
}
