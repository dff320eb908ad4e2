// Repositories written the way Argo CD's example apps and common Helm charts are, synced unchanged: hooks
// named by metadata.generateName, Helm's hook annotations and test Pods, and a last wave that never becomes
// healthy (an Ingress with no controller). Each case asserts the order, the result, and that nothing churns.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  getApp,
  runBosun,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "../controller/agent-harness.js";
import { CLUSTER_TARGETS, type ClusterTarget } from "../harness/cluster-fixture.js";

interface Listed {
  items: KubeObject[];
}

const list = (setup: AppTestSetup, kind: string): KubeObject[] =>
  (JSON.parse(setup.ns.kubectl(["-n", setup.dest, "get", kind, "-o", "json"])) as Listed).items;

const job = (annotations: Record<string, string>, metadata: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { ...metadata, annotations },
    spec: {
      template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
    },
  });

const deployment = (name: string, annotations: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
    },
  });

async function start(t: TestContext, target: ClusterTarget, files: Record<string, string>) {
  const setup = await appTestSetup(t, target);
  const sha = await setup.repo.commit("app", files);
  await startTestAgent(t, setup.ns);
  applyApplication(setup, "compat", { path: "app", interval: "1s", timeout: "2m" });
  return { setup, sha };
}

const time = (o: KubeObject | undefined, at: (o: KubeObject) => unknown) => Date.parse(String(o ? at(o) : ""));

for (const target of CLUSTER_TARGETS) {
  test(`Argo CD's sync-waves shape: generateName hooks are created once per sync, in order, old ones replaced [${target}]`, async (t) => {
    const files = {
      "app/upgrade-schema.yaml": job({ "argocd.argoproj.io/hook": "PreSync" }, { generateName: "upgrade-sql-schema-" }),
      "app/backend.yaml": deployment("backend", { "argocd.argoproj.io/sync-wave": "1" }),
      "app/smoke.yaml": job(
        { "argocd.argoproj.io/hook": "PostSync", "argocd.argoproj.io/hook-delete-policy": "HookSucceeded" },
        { generateName: "smoke-" },
      ),
    };
    const { setup, sha } = await start(t, target, files);
    const first = await waitForApp(setup.ns, "compat", "Synced and Healthy", syncedAndHealthy(sha));
    assert.equal(first.status?.operation?.phase, "Succeeded");
    const jobs = list(setup, "jobs");
    assert.deepEqual(
      jobs.map((j) => j.metadata.generateName),
      ["upgrade-sql-schema-"],
      "one PreSync Job; the PostSync Job was deleted once it succeeded",
    );
    const [schema] = jobs;
    assert.match(schema?.metadata.name ?? "", /^upgrade-sql-schema-[a-z0-9]{5}$/);
    assert.match(schema?.metadata.labels?.["bosun.dev/hook-operation"] ?? "", /^[0-9a-f]{20}$/);
    const [backend] = list(setup, "deployments");
    assert.ok(
      time(backend, (o) => o.metadata.creationTimestamp) >=
        time(schema, (o) => (o.status as { completionTime?: string }).completionTime),
      "the Deployment of wave 1 was created after the PreSync Job completed",
    );

    // A second sync (a new commit changing the Deployment): the hooks run again, the old PreSync Job is
    // replaced (BeforeHookCreation, the default), never doubled.
    const second = await setup.repo.commit("scale", {
      ...files,
      "app/backend.yaml": deployment("backend", { "argocd.argoproj.io/sync-wave": "1", "example.com/rev": "2" }),
    });
    await waitForApp(setup.ns, "compat", "the second sync", syncedAndHealthy(second));
    const after = list(setup, "jobs");
    assert.equal(after.length, 1, `one PreSync Job after two syncs: ${after.map((j) => j.metadata.name).join(", ")}`);
    assert.notEqual(after[0]?.metadata.name, schema?.metadata.name, "made anew for the new sync");
    const history = getApp(setup.ns, "compat").status?.history ?? [];
    assert.ok(history.length >= 2 && history.every((h) => h.result === "Succeeded"), JSON.stringify(history));
  });
}

const chart = {
  "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
  "chart/values.yaml": "replicas: 1\n",
  "chart/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx }]
`,
  "chart/templates/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`,
  "chart/templates/migrate.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: busybox }]
`,
  // As podinfo's chart: test Pods with random names, which Helm runs only under `helm test`.
  "chart/templates/tests/test-connection.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers: [{ name: curl, image: curlimages/curl }]
`,
  "chart/templates/tests/test-grpc.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-grpc-{{ randAlphaNum 5 | lower }}
  annotations:
    helm.sh/hook: test-success
spec:
  restartPolicy: Never
  containers: [{ name: grpc, image: busybox }]
`,
};

for (const target of CLUSTER_TARGETS) {
  test(`a Helm chart's hooks run as Argo CD maps them; its test Pods are never applied, and unrelated commits change nothing [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const sha = await setup.repo.commit("chart", chart);
    await startTestAgent(t, setup.ns);
    applyApplication(setup, "compat", { path: "chart", interval: "1s", timeout: "2m" });
    const app = await waitForApp(setup.ns, "compat", "Synced and Healthy", syncedAndHealthy(sha));
    assert.equal(app.status?.operation?.phase, "Succeeded");
    const pods = list(setup, "pods").filter((p) => /-(test|grpc)-/.test(p.metadata.name ?? ""));
    assert.deepEqual(
      pods.map((p) => p.metadata.name),
      [],
      "no test Pod was applied",
    );
    assert.deepEqual(list(setup, "jobs"), [], "the pre-install Job ran and was deleted (hook-succeeded)");
    assert.ok(
      !(app.status?.resources ?? []).some((r) => r.kind === "Pod" || r.kind === "Job"),
      "hooks and tests are not resources of the Application",
    );
    const versions = () =>
      [...list(setup, "deployments"), ...list(setup, "services")].map(
        (o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`,
      );
    const before = versions();
    assert.equal(before.length, 2);

    let head = sha;
    for (let i = 1; i <= 10; i++)
      head = await setup.repo.commit(`readme ${i}`, { ...chart, "chart/README.md": `${i}\n` });
    const settled = await waitForApp(setup.ns, "compat", "the tenth commit", syncedAndHealthy(head));
    assert.deepEqual(versions(), before, "the release's objects were not written again");
    assert.deepEqual(
      list(setup, "pods").filter((p) => /-(test|grpc)-/.test(p.metadata.name ?? "")),
      [],
    );
    assert.ok(!(settled.status?.resources ?? []).some((r) => r.status !== "Synced"));
    const diff = await runBosun(setup.ns, ["app", "diff", "compat", "--exit-code"]);
    assert.equal(diff.code, 0, `app diff sees what the agent sees (no test Pods to create): ${diff.out}${diff.err}`);
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`an Ingress no controller serves, in the last wave: the sync succeeds once applied and the health says Progressing [${target}]`, async (t) => {
    const { setup, sha } = await start(t, target, {
      "app/config.yaml": JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "config" } }),
      "app/ingress.yaml": JSON.stringify({
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "front", annotations: { "argocd.argoproj.io/sync-wave": "1" } },
        // A class no controller serves, on either target (the embedded server's simulated controller serves
        // Ingresses of no class and of a few common classes).
        spec: { ingressClassName: "unserved", rules: [{ host: "front.example.test" }] },
      }),
    });
    const app = await waitForApp(
      setup.ns,
      "compat",
      "the sync to finish",
      (a) => a.status?.sync?.revision === sha && a.status.operation?.phase !== "Running",
    );
    assert.equal(app.status?.operation?.phase, "Succeeded", app.status?.operation?.message);
    assert.equal(app.status?.sync?.status, "Synced");
    assert.equal(app.status?.health?.status, "Progressing");
    assert.match(app.status?.health?.message ?? "", /ingress controller/);
    assert.ok((app.status?.history ?? []).every((h) => h.result === "Succeeded"));
  });
}
