// The workload simulator seen from outside, over HTTPS with the pinned kubectl: rollouts that
// `kubectl rollout status` follows to the end, scaling, rollback, failures on purpose, Jobs, StatefulSets
// with claims, DaemonSets and Services, each judged by bosun's own health checks, and the Events the real
// controllers, scheduler and kubelet record.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import type { SimulatorOptions } from "../../src/embedded/index.js";
import { assessHealth } from "../../src/health/index.js";
import { type EmbeddedFixture, startFixture } from "./embedded-fixture.js";

const FAST: SimulatorOptions = {
  podReadyDelayMs: 200,
  jobDurationMs: 500,
  crashLoopBackOffMs: 500,
  slowPodReadyDelayMs: 600_000,
};

type After = Parameters<typeof startFixture>[0];

function start(t: After, simulator: SimulatorOptions = FAST): Promise<EmbeddedFixture> {
  return startFixture(t, { simulator });
}

const deployment = (name: string, extra: { replicas?: number; deadline?: number; simulate?: string } = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${extra.replicas ?? 2}
  ${extra.deadline ? `progressDeadlineSeconds: ${extra.deadline}` : ""}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}
      ${extra.simulate ? `annotations: {bosun.dev/simulate: ${extra.simulate}}` : ""}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;

async function getJson(f: EmbeddedFixture, ...what: string[]): Promise<KubeObject> {
  return JSON.parse(await f.kubectl(["get", ...what, "-o", "json"])) as KubeObject;
}

async function items(f: EmbeddedFixture, ...what: string[]): Promise<KubeObject[]> {
  return (JSON.parse(await f.kubectl(["get", ...what, "-o", "json"])) as { items: KubeObject[] }).items;
}

async function healthOf(f: EmbeddedFixture, ...what: string[]): Promise<string> {
  return assessHealth(await getJson(f, ...what)).health.status;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("simulator: kubectl apply, then rollout status succeeds; Deployment, ReplicaSet and pods are Healthy", async (t) => {
  const f = await start(t);
  assert.match(await f.kubectl(["apply", "-f", "-"], deployment("web")), /deployment.apps\/web created/);
  assert.match(
    await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]),
    /deployment "web" successfully rolled out/,
  );
  assert.equal(await healthOf(f, "deployment", "web"), "Healthy");
  const [rs, ...more] = await items(f, "replicasets");
  assert.ok(rs);
  assert.deepEqual(more, []);
  assert.equal(assessHealth(rs).health.status, "Healthy");
  const pods = await items(f, "pods", "-l", "app=web");
  assert.equal(pods.length, 2);
  for (const pod of pods) assert.equal(assessHealth(pod).health.status, "Healthy", pod.metadata.name);
  const node = await getJson(f, "node", "bosun-node");
  assert.equal(assessHealth(node).health.status, "Healthy");
  const wide = await f.kubectl([
    "get",
    "pods",
    "-l",
    "app=web",
    "--field-selector",
    "spec.nodeName=bosun-node",
    "-o",
    "name",
  ]);
  assert.equal(wide.trim().split("\n").length, 2, "both pods run on the simulated node");
});

test("simulator: kubectl scale converges the pod count up and down", async (t) => {
  const f = await start(t);
  await f.kubectl(["apply", "-f", "-"], deployment("web", { replicas: 1 }));
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  await f.kubectl(["scale", "deployment/web", "--replicas=4"]);
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  assert.equal((await items(f, "pods", "-l", "app=web")).length, 4);
  assert.equal(await healthOf(f, "deployment", "web"), "Healthy");
  await f.kubectl(["scale", "deployment/web", "--replicas=1"]);
  await eventually("one pod", async () => ((await items(f, "pods", "-l", "app=web")).length === 1 ? true : undefined));
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  const d = await getJson(f, "deployment", "web");
  assert.equal((d.status as { replicas?: number }).replicas, 1);
  assert.equal(assessHealth(d).health.status, "Healthy");
});

test("simulator: a new image rolls out, and kubectl rollout undo rolls back to the previous ReplicaSet", async (t) => {
  const f = await start(t);
  await f.kubectl(["apply", "-f", "-"], deployment("web"));
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  await f.kubectl(["set", "image", "deployment/web", "web=nginx:1.28"]);
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  assert.match(await f.kubectl(["rollout", "history", "deployment/web"]), /^1\s.*\n2\s/m);
  await f.kubectl(["rollout", "undo", "deployment/web"]);
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  const d = await getJson(f, "deployment", "web");
  assert.equal(d.metadata.annotations?.["deployment.kubernetes.io/revision"], "3");
  assert.equal(assessHealth(d).health.status, "Healthy");
  await eventually("only the old image", async () => {
    const now = (await items(f, "pods", "-l", "app=web")).map(
      (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image,
    );
    return now.length === 2 && now.every((i) => i === "nginx:1.27") ? true : undefined;
  });
  assert.equal((await items(f, "replicasets")).length, 2, "the first ReplicaSet was reused");
});

test("simulator: while pods are slow to be Ready the Deployment is Progressing", async (t) => {
  const f = await start(t);
  await f.kubectl(["apply", "-f", "-"], deployment("slow", { simulate: "slow" }));
  const running = await eventually("running pods", async () => {
    const pods = await items(f, "pods", "-l", "app=slow");
    return pods.length === 2 && pods.every((p) => (p.status as { phase?: string }).phase === "Running")
      ? pods
      : undefined;
  });
  for (const pod of running) assert.equal(assessHealth(pod).health.status, "Progressing");
  assert.equal(await healthOf(f, "deployment", "slow"), "Progressing");
  const r = await f.kubectlResult(["rollout", "status", "deployment/slow", "--timeout=1s"]);
  assert.notEqual(r.code, 0, "the rollout is not finished");
});

test("simulator: crashloop pods are Degraded; the Deployment passes its progress deadline and is Degraded", async (t) => {
  const f = await start(t);
  await f.kubectl(["apply", "-f", "-"], deployment("bad", { replicas: 1, deadline: 2, simulate: "crashloop" }));
  const r = await f.kubectlResult(["rollout", "status", "deployment/bad", "--timeout=60s"], undefined, 90_000);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /deployment "bad" exceeded its progress deadline/);
  const d = await getJson(f, "deployment", "bad");
  const health = assessHealth(d).health;
  assert.equal(health.status, "Degraded");
  assert.match(health.message ?? "", /ProgressDeadlineExceeded/);
  const [pod] = await items(f, "pods", "-l", "app=bad");
  assert.ok(pod);
  const podHealth = assessHealth(pod).health;
  assert.equal(podHealth.status, "Degraded");
  assert.match(podHealth.message ?? "", /CrashLoopBackOff/);
});

test("simulator: a Job completes (kubectl wait) and is Healthy; a crashing Job fails and is Degraded", async (t) => {
  const f = await start(t);
  const job = (name: string, extra: string) => `
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: default}
spec:
  backoffLimit: 0
  template:
    ${extra}
    spec:
      restartPolicy: Never
      containers: [{name: j, image: busybox}]
`;
  await f.kubectl(["apply", "-f", "-"], job("once", ""));
  await f.kubectl(["apply", "-f", "-"], job("broken", "metadata: {annotations: {bosun.dev/simulate: crashloop}}"));
  assert.match(await f.kubectl(["wait", "--for=condition=complete", "job/once", "--timeout=60s"]), /condition met/);
  assert.equal(await healthOf(f, "job", "once"), "Healthy");
  const [done] = await items(f, "pods", "-l", "batch.kubernetes.io/job-name=once");
  assert.equal((done?.status as { phase?: string } | undefined)?.phase, "Succeeded");
  assert.match(await f.kubectl(["wait", "--for=condition=failed", "job/broken", "--timeout=60s"]), /condition met/);
  const broken = await getJson(f, "job", "broken");
  assert.equal(assessHealth(broken).health.status, "Degraded");
  assert.match(assessHealth(broken).health.message ?? "", /BackoffLimitExceeded/);
});

test("simulator: a StatefulSet with a volumeClaimTemplate rolls out with Bound claims; a DaemonSet and a Service are Healthy", async (t) => {
  const f = await start(t);
  await f.kubectl(
    ["apply", "-f", "-"],
    `
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "agent:1"}]
`,
  );
  assert.match(
    await f.kubectl(["rollout", "status", "statefulset/db", "--timeout=60s"]),
    /partitioned roll out complete|roll out complete/,
  );
  assert.equal(await healthOf(f, "statefulset", "db"), "Healthy");
  const claims = await eventually("bound claims", async () => {
    const list = await items(f, "persistentvolumeclaims");
    return list.length === 2 && list.every((c) => (c.status as { phase?: string }).phase === "Bound")
      ? list
      : undefined;
  });
  assert.deepEqual(claims.map((c) => c.metadata.name).sort(), ["data-db-0", "data-db-1"]);
  for (const claim of claims) assert.equal(assessHealth(claim).health.status, "Healthy");
  assert.match(await f.kubectl(["rollout", "status", "daemonset/agent", "--timeout=60s"]), /successfully rolled out/);
  assert.equal(await healthOf(f, "daemonset", "agent"), "Healthy");
  const svc = await eventually("a cluster IP", async () => {
    const s = await getJson(f, "service", "db");
    return (s.spec as { clusterIP?: string }).clusterIP ? s : undefined;
  });
  assert.match(String((svc.spec as { clusterIP?: string }).clusterIP), /^10\.(9[6-9]|10\d|11[01])\./);
  assert.equal(assessHealth(svc).health.status, "Healthy");
});

function restartsOf(pod: KubeObject): number {
  const statuses = (pod.status as { containerStatuses?: Array<{ restartCount?: number }> } | undefined)
    ?.containerStatuses;
  return statuses?.[0]?.restartCount ?? 0;
}

/** The literal `key: value` lines of a kwok statusTemplate (those without template expressions). */
function literalPairs(template: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of template.split("\n")) {
    const m = /^\s*-?\s*([A-Za-z]+):\s+(.+?)\s*$/.exec(line);
    if (!m?.[1] || !m[2] || m[2].includes("{{")) continue;
    out.push([m[1], m[2].replace(/^"(.*)"$/, "$1")]);
  }
  return out;
}

function hasPair(value: unknown, key: string, expected: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasPair(v, key, expected));
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([k, v]) => (k === key && String(v) === expected) || hasPair(v, key, expected));
}

test("simulator: unready and crashloop pods report what the test cluster's kwok stages write", async (t) => {
  const f = await start(t);
  const stagesFile = new URL("../harness/kwok/bosun-simulate-stages.yaml", import.meta.url);
  const stages = parseAllDocuments(readFileSync(stagesFile, "utf8")).map(
    (d) => d.toJS() as { metadata: { name: string }; spec: { next: { statusTemplate: string } } },
  );
  await f.kubectl(["apply", "-f", "-"], deployment("never", { replicas: 1, simulate: "unready" }));
  await f.kubectl(["apply", "-f", "-"], deployment("crash", { replicas: 1, simulate: "crashloop" }));
  const running = async (app: string) =>
    eventually(`${app} running`, async () => {
      const [pod] = await items(f, "pods", "-l", `app=${app}`);
      return (pod?.status as { phase?: string } | undefined)?.phase === "Running" ? pod : undefined;
    });
  for (const [app, stage] of [
    ["never", "bosun-pod-unready"],
    ["crash", "bosun-pod-crashloop"],
  ] as const) {
    const pod = await running(app);
    const template = stages.find((s) => s.metadata.name === stage)?.spec.next.statusTemplate ?? "";
    const pairs = literalPairs(template).filter(([k]) => k !== "restartCount" || app !== "crash");
    assert.ok(pairs.length >= 8, `${stage} has literal fields to compare (${pairs.length})`);
    for (const [key, value] of pairs) assert.ok(hasPair(pod.status, key, value), `${app}: status has ${key}: ${value}`);
    for (const field of ["hostIP", "podIP", "startTime"])
      assert.ok((pod.status as Record<string, unknown>)[field], `${app}: status.${field}`);
  }
  const restarts = restartsOf(await running("crash"));
  assert.ok(restarts >= 1, "kwok's count is fixed at 5; the simulator's grows from 1");
  await eventually("another restart", async () => {
    const [pod] = await items(f, "pods", "-l", "app=crash");
    return pod && restartsOf(pod) > restarts ? true : undefined;
  });
});

test("simulator: the controllers, scheduler and kubelet record the Events a real cluster shows", async (t) => {
  const f = await start(t);
  await f.kubectl(["apply", "-f", "-"], deployment("web", { replicas: 2 }));
  await f.kubectl(["rollout", "status", "deployment/web", "--timeout=60s"]);
  const [rs] = await items(f, "replicasets", "-l", "app=web");
  const pods = await items(f, "pods", "-l", "app=web");
  const reasons = async () => {
    const events = await items(f, "events");
    return events.map((e) => `${(e.involvedObject as { kind: string }).kind} ${e.reason}: ${e.message}`);
  };
  const expected = [
    `Deployment ScalingReplicaSet: Scaled up replica set ${rs?.metadata.name} from 0 to 2`,
    ...pods.flatMap((p) => [
      `ReplicaSet SuccessfulCreate: Created pod: ${p.metadata.name}`,
      `Pod Scheduled: Successfully assigned default/${p.metadata.name} to bosun-node`,
      'Pod Pulled: Container image "nginx:1.27" already present on machine',
      "Pod Created: Created container: web",
      "Pod Started: Started container web",
    ]),
  ];
  const seen = await eventually("every Event", async () => {
    const now = await reasons();
    return expected.every((e) => now.includes(e)) ? now : undefined;
  });
  assert.equal(seen.length, expected.length, seen.join("\n"));
  await f.kubectl(["scale", "deployment/web", "--replicas=1"]);
  await eventually("the scale-down Event", async () =>
    (await reasons()).includes(`Deployment ScalingReplicaSet: Scaled down replica set ${rs?.metadata.name} from 2 to 1`)
      ? true
      : undefined,
  );
  const table = await f.kubectl(["get", "events", "--field-selector", "reason=ScalingReplicaSet"]);
  assert.match(table, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m);
  assert.match(table, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled down replica set/);
  assert.match(
    await f.kubectl(["describe", "deployment", "web"]),
    /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up/,
  );
});

test("simulator: LoadBalancer Services and Ingresses get addresses and are Healthy; an HPA scales its Deployment", async (t) => {
  const f = await start(t);
  await f.kubectl(["apply", "-f", "-"], deployment("api", { replicas: 2 }));
  await f.kubectl(
    ["apply", "-f", "-"],
    `apiVersion: v1
kind: Service
metadata: {name: api, namespace: default}
spec:
  type: LoadBalancer
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: api, namespace: default}
spec:
  rules:
  - host: api.example.com
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: default
  annotations: {bosun.dev/simulate-utilization: "160"}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
`,
  );
  const lbIp = await eventually("the load balancer's address", async () => {
    const svc = await getJson(f, "service", "api");
    return (svc.status as { loadBalancer?: { ingress?: { ip: string }[] } }).loadBalancer?.ingress?.[0]?.ip;
  });
  assert.match(lbIp, /^198\.51\.100\.\d+$/);
  assert.equal(await healthOf(f, "service", "api"), "Healthy");
  assert.match(
    await f.kubectl(["get", "service", "api"]),
    new RegExp(`LoadBalancer\\s+\\S+\\s+${lbIp.replace(/\./g, "\\.")}\\s+80:\\d+/TCP`),
  );
  await eventually("the ingress address", async () =>
    (await healthOf(f, "ingress", "api")) === "Healthy" ? true : undefined,
  );
  assert.match(await f.kubectl(["get", "ingress", "api"]), /api\.example\.com\s+198\.51\.100\.1\s+80/);
  // 160% of an 80% target doubles the replicas: 2 → 4, then (still 160%) 4 → 5, the maximum.
  await eventually("the HPA's first rescale", async () => {
    const d = await getJson(f, "deployment", "api");
    return Number((d.spec as { replicas: number }).replicas) >= 4 ? true : undefined;
  });
  const hpa = await getJson(f, "hpa", "api");
  const status = hpa.status as { desiredReplicas: number; currentMetrics: unknown[]; conditions: { type: string }[] };
  assert.ok(status.desiredReplicas >= 4);
  assert.deepEqual(
    status.conditions.map((c) => c.type),
    ["AbleToScale", "ScalingActive", "ScalingLimited"],
  );
  const managers = ((await getJson(f, "deployment", "api", "--show-managed-fields")).metadata.managedFields ?? []).map(
    (m) => `${m.manager}/${m.subresource ?? ""}`,
  );
  assert.ok(managers.includes("kube-controller-manager/scale"), managers.join(", "));
  const events = await items(f, "events", "--field-selector", "involvedObject.kind=HorizontalPodAutoscaler");
  assert.match(
    String(events[0]?.message),
    /^New size: 4; reason: cpu resource utilization \(percentage of request\) above target$/,
  );
});
