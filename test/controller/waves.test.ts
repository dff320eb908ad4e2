// Sync waves with health gates, on the real control plane: wave N+1 starts only when wave N is healthy.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { CLUSTER_TARGETS, type ClusterTarget } from "../harness/cluster-fixture.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const job = (name: string, wave: number) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations: { bosun.dev/sync-wave: "${wave}" }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: busybox }]
`;

const deployment = (name: string, wave: number, podAnnotations = "{}", extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: { argocd.argoproj.io/sync-wave: "${wave}" }
spec:
  replicas: 1${extra}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name} }
      annotations: ${podAnnotations}
    spec:
      containers: [{ name: web, image: nginx }]
`;

async function setup(t: TestContext, target: ClusterTarget, files: Record<string, string>) {
  const app = await appTestSetup(t, target);
  const sha = await app.repo.commit("waves", files);
  await startTestAgent(t, app.ns);
  applyApplication(app, "waves", { path: "app", interval: "2s", timeout: "2m" });
  return { ns: app.ns, dest: app.dest, sha };
}

for (const target of CLUSTER_TARGETS) {
  test(`a Deployment in wave 1 is created only after the Job in wave -1 completed [${target}]`, async (t) => {
    const { ns, dest, sha } = await setup(t, target, {
      "app/job.yaml": job("migrate", -1),
      "app/web.yaml": deployment("web", 1),
    });
    await waitForApp(ns, "waves", "the app to be Synced and Healthy", syncedAndHealthy(sha));
    const jobObj = JSON.parse(ns.kubectl(["-n", dest, "get", "job", "migrate", "-o", "json"])) as {
      status: { completionTime?: string };
    };
    const web = JSON.parse(ns.kubectl(["-n", dest, "get", "deployment", "web", "-o", "json"])) as {
      metadata: { creationTimestamp: string };
    };
    assert.ok(jobObj.status.completionTime, "the Job completed");
    assert.ok(
      Date.parse(web.metadata.creationTimestamp) >= Date.parse(jobObj.status.completionTime),
      `Deployment created ${web.metadata.creationTimestamp}, Job completed ${jobObj.status.completionTime}`,
    );
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`a wave that never becomes healthy stops the sync; the next wave is never created [${target}]`, async (t) => {
    const { ns, dest } = await setup(t, target, {
      "app/stuck.yaml": deployment("stuck", 0, '{ "bosun.dev/simulate": "unready" }', "\n  progressDeadlineSeconds: 3"),
      "app/after.yaml": deployment("after", 1),
    });
    const app = await waitForApp(ns, "waves", "the sync to fail", (a) => a.status?.operation?.phase === "Failed");
    assert.match(app.status?.operation?.message ?? "", /Deployment\.apps\/.*\/stuck is Degraded/);
    assert.equal(app.status?.health?.status, "Degraded");
    assert.match(app.status?.health?.message ?? "", /stuck/);
    const ready = app.status?.conditions?.find((c) => c.type === "Ready");
    assert.equal(ready?.status, "False");
    assert.equal(ready?.reason, "SyncFailed");
    assert.match(
      ns.kubectl(["-n", dest, "get", "deployments", "-o", "name"]),
      /^deployment\.apps\/stuck\n?$/,
      "wave 1 was never applied",
    );
    assert.ok((app.status?.history ?? []).some((h) => h.result === "Failed"));
  });
}
