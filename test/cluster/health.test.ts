// health() against the real control plane: the verdicts of src/health/ on objects as kube-apiserver and
// kube-controller-manager actually write them, while a rollout happens.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Health, HealthStatus, KubeObject } from "../../src/api/index.js";
import { health } from "../../src/health/index.js";
import { type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

function deployment(name: string, options: { replicas: number; podAnnotations?: Record<string, string> }) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: options.podAnnotations ?? {} },
        spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      },
    },
  };
}

function asKubeObject(json: string): KubeObject {
  const value: unknown = JSON.parse(json);
  assert.ok(typeof value === "object" && value !== null, "kubectl printed an object");
  const obj = value as Partial<KubeObject>;
  assert.ok(typeof obj.apiVersion === "string" && typeof obj.kind === "string" && typeof obj.metadata === "object");
  return obj as KubeObject;
}

function getObject(ns: TestNamespace, resource: string): KubeObject {
  return asKubeObject(ns.kubectl(["get", resource, "-o", "json"]));
}

/** Polls health() of `resource` until `done` holds; returns every status seen, in order (repeats collapsed). */
async function watchHealth(
  ns: TestNamespace,
  resource: string,
  done: (h: Health) => boolean,
  timeoutMs: number,
): Promise<{ seen: HealthStatus[]; last: Health }> {
  const seen: HealthStatus[] = [];
  let last: Health = { status: "Unknown", message: "not read yet" };
  await waitFor(
    `${resource} to reach the expected health`,
    async () => {
      last = health(getObject(ns, resource));
      if (seen.at(-1) !== last.status) seen.push(last.status);
      return done(last);
    },
    {
      timeoutMs,
      intervalMs: 250,
      detail: () => `last health: ${last.status}: ${last.message}; seen ${seen.join(" → ")}`,
    },
  );
  return { seen, last };
}

test("a Deployment of 2 replicas is Progressing when applied, then Healthy once rolled out", async (t) => {
  const ns = await testNamespace(t);
  // The object the API server returns from the apply is the stored object before any controller saw it.
  const applied = asKubeObject(
    ns.kubectl(["apply", "-o", "json", "-f", "-"], JSON.stringify(deployment("web", { replicas: 2 }))),
  );
  const atApply = health(applied);
  assert.equal(atApply.status, "Progressing", atApply.message);
  assert.match(atApply.message, /observe generation 1/);

  const { seen, last } = await watchHealth(ns, "deployment/web", (h) => h.status === "Healthy", 60_000);
  assert.deepEqual(
    seen.filter((s) => s !== "Progressing" && s !== "Healthy"),
    [],
    `only Progressing and Healthy on the way: ${seen.join(" → ")}`,
  );
  assert.equal(seen.at(-1), "Healthy");
  assert.match(last.message, /2 of 2 replicas/);

  const live = getObject(ns, "deployment/web");
  assert.equal((live.status as { availableReplicas?: number } | undefined)?.availableReplicas, 2);
});

test("a Deployment whose pods never become Ready ends Degraded by ProgressDeadlineExceeded", async (t) => {
  const ns = await testNamespace(t);
  const slow = deployment("stuck", { replicas: 1, podAnnotations: { "bosun.dev/simulate": "unready" } });
  const manifest = { ...slow, spec: { ...slow.spec, progressDeadlineSeconds: 5 } };
  ns.kubectl(["apply", "-f", "-"], JSON.stringify(manifest));

  const { seen, last } = await watchHealth(ns, "deployment/stuck", (h) => h.status === "Degraded", 90_000);
  assert.match(last.message, /ProgressDeadlineExceeded/);
  assert.match(last.message, /has timed out progressing/);
  assert.ok(!seen.includes("Healthy"), `never Healthy on the way: ${seen.join(" → ")}`);

  // Its pod runs but is not Ready: Progressing, with the kubelet-style reason carried into the message.
  const pods = asKubeObject(ns.kubectl(["get", "pods", "-l", "app=stuck", "-o", "json"]));
  const [pod] = (pods.items as KubeObject[] | undefined) ?? [];
  assert.ok(pod, "the Deployment has a pod");
  const podHealth = health(pod);
  assert.equal(podHealth.status, "Progressing", podHealth.message);
  assert.match(podHealth.message, /Running but not Ready: ContainersNotReady/);
});
