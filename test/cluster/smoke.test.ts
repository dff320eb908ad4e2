import assert from "node:assert/strict";
import { test } from "node:test";
import { testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

interface Pod {
  metadata: { name: string; annotations?: Record<string, string> };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ ready: boolean; state?: { waiting?: { reason?: string } } }>;
  };
}

const deployment = (name: string, replicas: number, podAnnotations: Record<string, string> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, annotations: podAnnotations },
      spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
    },
  },
});

function podsOf(ns: Awaited<ReturnType<typeof testNamespace>>, app: string): Pod[] {
  return (JSON.parse(ns.kubectl(["get", "pods", "-l", `app=${app}`, "-o", "json"])) as { items: Pod[] }).items;
}

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

test("a Deployment of 2 replicas becomes Available and a Service gets a cluster IP", async (t) => {
  const ns = await testNamespace(t);
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 80 }] },
  };
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "v1", kind: "List", items: [deployment("web", 2), service] }),
  );

  let available: unknown;
  await waitFor(
    "deployment/web availableReplicas == 2",
    async () => {
      const d = JSON.parse(ns.kubectl(["get", "deployment", "web", "-o", "json"])) as {
        status?: { availableReplicas?: number };
      };
      available = d.status?.availableReplicas;
      return available === 2;
    },
    { timeoutMs: 60_000, intervalMs: 500, detail: () => `availableReplicas=${String(available)}` },
  );
  const pods = podsOf(ns, "web");
  assert.equal(pods.length, 2);
  assert.ok(pods.every(isReady), "both pods are Ready");
  const svc = JSON.parse(ns.kubectl(["get", "service", "web", "-o", "json"])) as { spec: { clusterIP?: string } };
  assert.match(svc.spec.clusterIP ?? "", /^10\.96\.\d+\.\d+$/);
});

test("a pod annotated bosun.dev/simulate: unready runs but never becomes Ready", async (t) => {
  const ns = await testNamespace(t);
  ns.kubectl(["apply", "-f", "-"], JSON.stringify(deployment("slow", 1, { "bosun.dev/simulate": "unready" })));
  await waitFor("the unready pod to be Running", async () => podsOf(ns, "slow")[0]?.status?.phase === "Running", {
    timeoutMs: 60_000,
  });
  // Give kwok's ordinary pod-ready stage time to (wrongly) act, then check nothing marked it Ready.
  await new Promise((r) => setTimeout(r, 2000));
  const [pod] = podsOf(ns, "slow");
  assert.ok(pod);
  assert.equal(pod.status?.phase, "Running");
  assert.equal(isReady(pod), false);
  const d = JSON.parse(ns.kubectl(["get", "deployment", "slow", "-o", "json"])) as {
    status?: { availableReplicas?: number };
  };
  assert.equal(d.status?.availableReplicas ?? 0, 0);
});

test("a pod annotated bosun.dev/simulate: crashloop shows CrashLoopBackOff", async (t) => {
  const ns = await testNamespace(t);
  ns.kubectl(["apply", "-f", "-"], JSON.stringify(deployment("crash", 1, { "bosun.dev/simulate": "crashloop" })));
  let reason: string | undefined;
  await waitFor(
    "the container to be in CrashLoopBackOff",
    async () => {
      reason = podsOf(ns, "crash")[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return reason === "CrashLoopBackOff";
    },
    { timeoutMs: 60_000, detail: () => `waiting reason: ${String(reason)}` },
  );
  const [pod] = podsOf(ns, "crash");
  assert.ok(pod);
  assert.equal(isReady(pod), false);
});
