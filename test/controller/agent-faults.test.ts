// Faults during a multi-wave sync: the agent killed with SIGKILL resumes from status.operation without
// running a hook twice; an API server restart mid-sync is survived.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { privateCluster, type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";
import { kubectl, restartComponent } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";
import { Repo, TempDirs } from "../source/git-fixture.js";
import { startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";
import { startAgentProcess } from "./agent-process.js";

const files = {
  "app/migrate.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: { bosun.dev/hook: PreSync }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: busybox }]
`,
  // minReadySeconds keeps wave 1 waiting long enough to interrupt it.
  "app/slow.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
  annotations: { bosun.dev/sync-wave: "1" }
spec:
  replicas: 2
  minReadySeconds: 8
  selector: { matchLabels: { app: slow } }
  template:
    metadata: { labels: { app: slow } }
    spec:
      containers: [{ name: web, image: nginx }]
`,
  "app/last.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: last
  annotations: { bosun.dev/sync-wave: "2" }
data: { done: "yes" }
`,
};

async function setupRepo(t: TestContext): Promise<{ repo: Repo; sha: string }> {
  const temp = new TempDirs();
  t.after(() => temp.cleanup());
  const repo = await Repo.init(await temp.make("bosun-faults-repo-"));
  return { repo, sha: await repo.commit("three waves", files) };
}

function application(ns: string, dest: string, repoUrl: string): string {
  return JSON.stringify({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "faults", namespace: ns },
    spec: {
      source: { repoURL: repoUrl, path: "app" },
      destination: { namespace: dest },
      syncPolicy: { automated: { prune: true, selfHeal: true }, interval: "2s", syncOptions: ["CreateNamespace=true"] },
    },
  });
}

const waitingOnWave1 = (a: { status?: { operation?: { phase: string; wave?: number; stepApplied: boolean } } }) =>
  a.status?.operation?.phase === "Running" && a.status.operation.wave === 1 && a.status.operation.stepApplied;

test("an agent killed with SIGKILL mid-sync resumes, runs no hook twice and converges", async (t) => {
  const ns = await testNamespace(t);
  const dest = `${ns.name}-app`;
  t.after(() => ns.kubectl(["delete", "namespace", dest, "--wait=false", "--ignore-not-found"]));
  const { repo, sha } = await setupRepo(t);
  const cacheDir = mkdtempSync(join(tmpdir(), "bosun-faults-cache-"));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));

  const first = startAgentProcess(t, ns, { cacheDir });
  // The agent installs the Application CRD when it starts.
  await waitFor(
    "the Application CRD",
    async () => {
      try {
        ns.kubectl(["get", "applications.bosun.dev"]);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 60_000 },
  );
  ns.kubectl(["apply", "-f", "-"], application(ns.name, dest, repo.fileUrl));
  await waitForApp(ns, "faults", "the sync to wait on wave 1", waitingOnWave1, 60_000);
  await first.kill();
  const hookUid = ns.kubectl(["-n", dest, "get", "job", "migrate", "-o", "jsonpath={.metadata.uid}"]);
  assert.ok(hookUid, "the PreSync hook ran before the kill");
  assert.equal(
    ns.kubectl(["-n", dest, "get", "configmaps", "-o", "name"]).includes("configmap/last"),
    false,
    "wave 2 had not started",
  );

  startAgentProcess(t, ns, { cacheDir });
  const app = await waitForApp(ns, "faults", "the resumed sync to converge", syncedAndHealthy(sha), 90_000);
  assert.equal(
    ns.kubectl(["-n", dest, "get", "job", "migrate", "-o", "jsonpath={.metadata.uid}"]),
    hookUid,
    "the hook was not run again",
  );
  assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "last", "-o", "jsonpath={.data.done}"]), "yes");
  assert.deepEqual(
    app.status?.inventory?.map((id) => id.split("_")[1]).sort(),
    ["ConfigMap", "Deployment"],
    "hooks are not in the inventory; nothing was pruned",
  );
  assert.equal(app.status?.history?.filter((h) => h.result === "Succeeded").length, 1);
});

test("an API server restart during a sync: the agent reconnects its watches and converges", async (t) => {
  const cluster = await privateCluster(t);
  const name = "faults-ns";
  kubectl(cluster.kubeconfig, ["create", "namespace", name]);
  const ns: TestNamespace = {
    kubeconfig: cluster.kubeconfig,
    name,
    kubectl: (args, input) => kubectl(cluster.kubeconfig, ["-n", name, ...args], input),
  };
  await waitFor(
    "the default service account",
    async () => {
      try {
        return ns.kubectl(["get", "sa", "default", "-o", "name"]).trim() !== "";
      } catch {
        return false; // not created yet by the controller manager
      }
    },
    { timeoutMs: 30_000 },
  );
  const { repo, sha } = await setupRepo(t);
  await startTestAgent(t, ns);
  ns.kubectl(["apply", "-f", "-"], application(name, `${name}-app`, repo.fileUrl));
  await waitForApp(ns, "faults", "the sync to wait on wave 1", waitingOnWave1, 60_000);
  await restartComponent(cluster.dir, "kube-apiserver");
  const app = await waitForApp(ns, "faults", "the sync to converge after the restart", syncedAndHealthy(sha), 120_000);
  assert.equal(app.status?.operation?.phase, "Succeeded");
  const live = JSON.parse(
    kubectl(cluster.kubeconfig, ["-n", `${name}-app`, "get", "configmap", "last", "-o", "json"]),
  ) as KubeObject;
  assert.deepEqual(live.data, { done: "yes" });
});
