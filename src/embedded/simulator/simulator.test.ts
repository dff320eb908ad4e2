// The simulator in-process over a real SqliteStore and EmbeddedApi: the objects it makes, their status as
// the real controllers write it, convergence after a restart, no write loops, and nothing left behind.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { EmbeddedApi } from "../core/embedded-api.js";
import type { Target } from "../core/target.js";
import { SqliteStore } from "../store/sqlite-store.js";
import type { SimulatorOptions } from "./options.js";
import { WorkloadSimulator } from "./simulator.js";

type After = { after: (fn: () => void | Promise<void>) => void };

const FAST: SimulatorOptions = { podReadyDelayMs: 20, jobDurationMs: 50, crashLoopBackOffMs: 50 };

interface Harness {
  api: EmbeddedApi;
  store: SqliteStore;
  sim: WorkloadSimulator;
  errors: Error[];
  t: (apiVersion: string, kind: string, namespace?: string) => Target;
}

function open(dataDir: string, options: SimulatorOptions = FAST): Harness {
  const store = SqliteStore.open({ dataDir });
  const api = new EmbeddedApi({ store });
  const errors: Error[] = [];
  const sim = new WorkloadSimulator(api, { ...options, onError: (e) => errors.push(e) });
  sim.start();
  const t = (apiVersion: string, kind: string, namespace = "default") => {
    const target = api.targetFor(apiVersion, kind, namespace);
    if (!target) throw new Error(`no target for ${kind}`);
    return target;
  };
  return { api, store, sim, errors, t };
}

async function close(h: Harness): Promise<void> {
  h.sim.stop();
  await h.api.idle();
  h.api.close();
  h.store.close();
}

function start(t: After, options?: SimulatorOptions): Harness {
  const h = open(":memory:", options);
  t.after(async () => {
    await close(h);
    assert.deepEqual(h.errors, [], "the simulator reported no failures");
  });
  return h;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function deployment(name: string, spec: JsonRecord = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      },
      ...spec,
    },
  };
}

const status = (obj: KubeObject): JsonRecord => (obj.status as JsonRecord | undefined) ?? {};
const conditionOf = (obj: KubeObject, type: string): JsonRecord | undefined =>
  ((status(obj).conditions as JsonRecord[] | undefined) ?? []).find((c) => c.type === type);

function rolledOut(h: Harness, name: string, replicas: number): KubeObject | undefined {
  const d = h.api.get(h.t("apps/v1", "Deployment"), name);
  const s = status(d);
  const done =
    s.observedGeneration === d.metadata.generation &&
    s.updatedReplicas === replicas &&
    s.availableReplicas === replicas &&
    (s.replicas ?? 0) === replicas &&
    conditionOf(d, "Progressing")?.reason === "NewReplicaSetAvailable";
  return done || (replicas === 0 && s.replicas === undefined && s.observedGeneration === d.metadata.generation)
    ? d
    : undefined;
}

function podsOf(h: Harness, app: string, namespace = "default"): KubeObject[] {
  return h.api.list(h.t("v1", "Pod", namespace), { labelSelector: `app=${app}` }).items;
}

function managerOf(obj: KubeObject, field: string, subresource?: string): string | undefined {
  return obj.metadata.managedFields?.find(
    (m) => m.subresource === subresource && JSON.stringify(m.fieldsV1 ?? {}).includes(`"f:${field}"`),
  )?.manager;
}

test("the node is registered Ready; a Deployment gets a ReplicaSet and Ready pods, and reports a complete rollout", async (t) => {
  const h = start(t);
  const node = await waitFor("the node", () => h.api.list(h.t("v1", "Node", "")).items[0]);
  assert.equal(node.metadata.name, "bosun-node");
  const ready = await waitFor("the node Ready", () =>
    conditionOf(h.api.get(h.t("v1", "Node", ""), "bosun-node"), "Ready"),
  );
  assert.equal(ready.status, "True");

  h.api.create(h.t("apps/v1", "Deployment"), deployment("web"), { fieldManager: "test" });
  const d = await waitFor("the rollout", () => rolledOut(h, "web", 2));
  assert.equal(conditionOf(d, "Available")?.reason, "MinimumReplicasAvailable");
  assert.equal(d.metadata.annotations?.["deployment.kubernetes.io/revision"], "1");

  const [rs, ...others] = h.api.list(h.t("apps/v1", "ReplicaSet")).items;
  assert.ok(rs);
  assert.deepEqual(others, []);
  const hash = rs.metadata.labels?.["pod-template-hash"];
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.equal(rs.metadata.ownerReferences?.[0]?.uid, d.metadata.uid);
  assert.equal(managerOf(rs, "replicas"), "kube-controller-manager");
  assert.deepEqual(status(rs), {
    replicas: 2,
    fullyLabeledReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    observedGeneration: 1,
  });

  const pods = podsOf(h, "web");
  assert.equal(pods.length, 2);
  for (const pod of pods) {
    assert.match(pod.metadata.name ?? "", new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.equal((pod.spec as JsonRecord).nodeName, "bosun-node");
    assert.equal(status(pod).phase, "Running");
    assert.equal(status(pod).hostIP, "10.89.0.2");
    assert.match(String(status(pod).podIP), /^10\.244\.\d+\.\d+$/);
    assert.equal(conditionOf(pod, "Ready")?.status, "True");
    assert.equal(managerOf(pod, "nodeName"), "kube-scheduler");
    assert.equal(managerOf(pod, "phase", "status"), "kubelet");
  }
  assert.equal(h.sim.pendingTimers(), 0, "a converged cluster has nothing to wait for");
});

test("scaling through the scale subresource converges up and down", async (t) => {
  const h = start(t);
  const deploys = h.t("apps/v1", "Deployment");
  h.api.create(deploys, deployment("web"), { fieldManager: "test" });
  await waitFor("2 replicas", () => rolledOut(h, "web", 2));
  const scale = (replicas: number) =>
    h.api.update(
      deploys,
      "web",
      { metadata: { name: "web" }, spec: { replicas } },
      { fieldManager: "kubectl", subresource: "scale" },
    );
  scale(5);
  await waitFor("5 replicas", () => rolledOut(h, "web", 5));
  assert.equal(podsOf(h, "web").length, 5);
  scale(1);
  await waitFor("1 replica", () => rolledOut(h, "web", 1));
  await waitFor("1 pod left", () => podsOf(h, "web").length === 1);
  scale(0);
  await waitFor("no pods", () => podsOf(h, "web").length === 0);
  assert.equal(status(h.api.get(h.t("apps/v1", "Deployment"), "web")).availableReplicas, undefined);
});

test("a rolling update replaces the pods; restoring the old template rolls back with the next revision", async (t) => {
  const h = start(t);
  const deploys = h.t("apps/v1", "Deployment");
  h.api.create(deploys, deployment("web", { replicas: 3 }), { fieldManager: "test" });
  await waitFor("v1", () => rolledOut(h, "web", 3));
  const image = (tag: string) =>
    h.api.patch(
      deploys,
      "web",
      "merge",
      { spec: { template: { spec: { containers: [{ name: "web", image: `nginx:${tag}` }] } } } },
      { fieldManager: "test" },
    );
  image("1.28");
  const v2 = await waitFor("v2", () => rolledOut(h, "web", 3));
  assert.equal(v2.metadata.annotations?.["deployment.kubernetes.io/revision"], "2");
  const images = () => podsOf(h, "web").map((p) => (p.spec as { containers: JsonRecord[] }).containers[0]?.image);
  await waitFor("only new pods", () => images().length === 3 && images().every((i) => i === "nginx:1.28"));
  const sets = h.api.list(h.t("apps/v1", "ReplicaSet")).items;
  assert.deepEqual(
    sets.map((rs) => (rs.spec as JsonRecord).replicas).sort(),
    [0, 3],
    "the old ReplicaSet is kept, scaled to zero",
  );
  image("1.27");
  const back = await waitFor("rolled back", () => rolledOut(h, "web", 3));
  assert.equal(back.metadata.annotations?.["deployment.kubernetes.io/revision"], "3");
  assert.equal(h.api.list(h.t("apps/v1", "ReplicaSet")).items.length, 2, "the old ReplicaSet was reused");
});

test("crashloop pods restart in CrashLoopBackOff; the Deployment's progress deadline passes", async (t) => {
  const h = start(t);
  h.api.create(
    h.t("apps/v1", "Deployment"),
    deployment("bad", { replicas: 1, progressDeadlineSeconds: 1 }, { "bosun.dev/simulate": "crashloop" }),
    { fieldManager: "test" },
  );
  const pod = await waitFor("a restarted pod", () =>
    podsOf(h, "bad").find((p) => {
      const cs = (status(p).containerStatuses as JsonRecord[] | undefined)?.[0];
      return cs && Number(cs.restartCount) >= 2 ? p : undefined;
    }),
  );
  const cs = (status(pod).containerStatuses as JsonRecord[])[0] ?? {};
  assert.equal((cs.state as { waiting: JsonRecord }).waiting.reason, "CrashLoopBackOff");
  assert.equal(conditionOf(pod, "Ready")?.status, "False");
  const d = await waitFor("the deadline", () => {
    const live = h.api.get(h.t("apps/v1", "Deployment"), "bad");
    return conditionOf(live, "Progressing")?.reason === "ProgressDeadlineExceeded" ? live : undefined;
  });
  assert.equal(conditionOf(d, "Progressing")?.status, "False");
  assert.equal(conditionOf(d, "Available")?.status, "False");
});

test("unready pods run and never become Ready; slow ones become Ready later", async (t) => {
  const h = start(t, { ...FAST, slowPodReadyDelayMs: 200 });
  const deploys = h.t("apps/v1", "Deployment");
  h.api.create(deploys, deployment("never", { replicas: 1 }, { "bosun.dev/simulate": "unready" }), {
    fieldManager: "t",
  });
  h.api.create(deploys, deployment("slow", { replicas: 1 }, { "bosun.dev/simulate": "slow" }), { fieldManager: "t" });
  const slowPod = await waitFor("slow running", () => podsOf(h, "slow").find((p) => status(p).phase === "Running"));
  assert.equal(conditionOf(slowPod, "Ready")?.status, "False", "running, not ready yet");
  await waitFor("slow rolled out", () => rolledOut(h, "slow", 1));
  const never = await waitFor("unready running", () => podsOf(h, "never").find((p) => status(p).phase === "Running"));
  assert.equal(conditionOf(never, "Ready")?.status, "False");
  await h.sim.idle();
  assert.equal(conditionOf(podsOf(h, "never")[0] as KubeObject, "Ready")?.status, "False", "still not ready");
  assert.equal(status(h.api.get(deploys, "never")).readyReplicas, undefined);
});

test("a StatefulSet makes its pods in order with Bound claims; a DaemonSet one pod; a Job completes", async (t) => {
  const h = start(t);
  h.api.create(
    h.t("apps/v1", "StatefulSet"),
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: {
        replicas: 2,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", image: "postgres:16" }] } },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } },
          },
        ],
      },
    },
    { fieldManager: "t" },
  );
  h.api.create(
    h.t("apps/v1", "DaemonSet"),
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "agent" },
      spec: {
        selector: { matchLabels: { app: "agent" } },
        template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "a", image: "agent:1" }] } },
      },
    },
    { fieldManager: "t" },
  );
  h.api.create(
    h.t("batch/v1", "Job"),
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "once" },
      spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "j", image: "busybox" }] } } },
    },
    { fieldManager: "t" },
  );
  const sts = await waitFor("the StatefulSet", () => {
    const s = h.api.get(h.t("apps/v1", "StatefulSet"), "db");
    return status(s).readyReplicas === 2 && status(s).currentRevision === status(s).updateRevision ? s : undefined;
  });
  assert.equal(status(sts).observedGeneration, 1);
  assert.equal(status(sts).availableReplicas, 2);
  const claims = h.api.list(h.t("v1", "PersistentVolumeClaim")).items;
  assert.deepEqual(claims.map((c) => c.metadata.name).sort(), ["data-db-0", "data-db-1"]);
  for (const claim of claims) {
    const bound = await waitFor("bound", () => {
      const c = h.api.get(h.t("v1", "PersistentVolumeClaim"), claim.metadata.name ?? "");
      return status(c).phase === "Bound" ? c : undefined;
    });
    assert.deepEqual(status(bound).capacity, { storage: "2Gi" });
    assert.equal((bound.spec as JsonRecord).volumeName, `pvc-${bound.metadata.uid}`);
  }
  const [p0, p1] = ["db-0", "db-1"].map((n) => h.api.get(h.t("v1", "Pod"), n));
  assert.ok(
    String(p0?.metadata.creationTimestamp) <= String(p1?.metadata.creationTimestamp),
    "db-0 was created no later than db-1",
  );
  const ds = await waitFor("the DaemonSet", () => {
    const s = h.api.get(h.t("apps/v1", "DaemonSet"), "agent");
    return status(s).numberAvailable === 1 ? s : undefined;
  });
  assert.equal(status(ds).desiredNumberScheduled, 1);
  assert.equal(status(ds).updatedNumberScheduled, 1);
  const job = await waitFor("the Job", () => {
    const j = h.api.get(h.t("batch/v1", "Job"), "once");
    return conditionOf(j, "Complete")?.status === "True" ? j : undefined;
  });
  assert.equal(status(job).succeeded, 1);
  assert.equal(conditionOf(job, "SuccessCriteriaMet")?.status, "True");
  assert.ok(status(job).completionTime);
});

test("a Job whose pods crash fails with BackoffLimitExceeded once backoffLimit is passed", async (t) => {
  const h = start(t);
  h.api.create(
    h.t("batch/v1", "Job"),
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "broken" },
      spec: {
        backoffLimit: 1,
        template: {
          metadata: { annotations: { "bosun.dev/simulate": "crashloop" } },
          spec: { restartPolicy: "Never", containers: [{ name: "j", image: "busybox" }] },
        },
      },
    },
    { fieldManager: "t" },
  );
  const job = await waitFor("the failure", () => {
    const j = h.api.get(h.t("batch/v1", "Job"), "broken");
    return conditionOf(j, "Failed")?.status === "True" ? j : undefined;
  });
  assert.equal(conditionOf(job, "Failed")?.reason, "BackoffLimitExceeded");
  assert.equal(status(job).failed, 2);
});

test("a Service gets a cluster IP; a headless one does not", async (t) => {
  const h = start(t);
  const services = h.t("v1", "Service");
  h.api.create(
    services,
    { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [{ port: 80 }] } },
    { fieldManager: "t" },
  );
  h.api.create(
    services,
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "db" },
      spec: { clusterIP: "None", ports: [{ port: 5432 }] },
    },
    { fieldManager: "t" },
  );
  const web = await waitFor("an address", () => {
    const s = h.api.get(services, "web");
    return (s.spec as JsonRecord).clusterIP ? s : undefined;
  });
  assert.match(String((web.spec as JsonRecord).clusterIP), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
  await h.sim.idle();
  assert.equal((h.api.get(services, "db").spec as JsonRecord).clusterIP, "None");
});

test("a Service's EndpointSlice lists the Pods it selects as they come, become ready and go", async (t) => {
  const h = start(t, { ...FAST, podReadyDelayMs: 300 });
  const services = h.t("v1", "Service");
  const slices = h.t("discovery.k8s.io/v1", "EndpointSlice");
  h.api.create(
    services,
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", labels: { tier: "front" } },
      spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
    { fieldManager: "t" },
  );
  h.api.create(
    services,
    { apiVersion: "v1", kind: "Service", metadata: { name: "none" }, spec: { ports: [{ port: 81 }] } },
    { fieldManager: "t" },
  );
  const web = deployment("web");
  const container = ((web.spec as JsonRecord).template as { spec: { containers: JsonRecord[] } }).spec.containers[0];
  if (container) container.ports = [{ name: "http", containerPort: 8080 }];
  h.api.create(h.t("apps/v1", "Deployment"), web, { fieldManager: "t" });
  type Slice = KubeObject & {
    endpoints?: Array<{ addresses: string[]; conditions: { ready: boolean } }>;
    ports?: unknown;
  };
  const sliceOf = () => h.api.list(slices).items[0] as Slice | undefined;
  const listed = await waitFor("two endpoints", () => (sliceOf()?.endpoints?.length === 2 ? sliceOf() : undefined));
  assert.equal(h.api.list(slices).items.length, 1, "a Service without a selector has no slice");
  assert.match(listed.metadata.name ?? "", /^web-[a-z0-9]{5}$/);
  assert.equal(listed.metadata.labels?.["kubernetes.io/service-name"], "web");
  assert.equal(listed.metadata.labels?.tier, "front", "the Service's labels are copied");
  assert.equal(listed.metadata.ownerReferences?.[0]?.kind, "Service");
  assert.deepEqual(listed.ports, [{ name: "http", port: 8080, protocol: "TCP" }], "a named target port is resolved");
  const ready = await waitFor("both ready", () =>
    sliceOf()?.endpoints?.every((e) => e.conditions.ready) ? sliceOf() : undefined,
  );
  const podIps = podsOf(h, "web").map((p) => (p.status as JsonRecord).podIP);
  assert.deepEqual(ready.endpoints?.flatMap((e) => e.addresses).sort(), [...podIps].sort());
  h.api.delete(services, "web", { dryRun: false, propagationPolicy: "Background" });
  await waitFor("the slice gone with its Service", () => h.api.list(slices).items.length === 0);
});

test("deleting a Deployment takes its ReplicaSet and pods along", async (t) => {
  const h = start(t);
  const deploys = h.t("apps/v1", "Deployment");
  h.api.create(deploys, deployment("web"), { fieldManager: "test" });
  await waitFor("rolled out", () => rolledOut(h, "web", 2));
  h.api.delete(deploys, "web", { dryRun: false, propagationPolicy: "Background" });
  await waitFor(
    "all gone",
    () => h.api.list(h.t("apps/v1", "ReplicaSet")).items.length === 0 && podsOf(h, "web").length === 0,
  );
  await h.api.idle();
  await h.sim.idle();
  assert.equal(podsOf(h, "web").length, 0, "and nothing was recreated");
});

test("after a restart over the same data, a rollout left half-way converges; stop leaves no timers", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bosun-sim-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = open(dir, { ...FAST, podReadyDelayMs: 60_000 });
  first.api.create(first.t("apps/v1", "Deployment"), deployment("web", { replicas: 3 }), { fieldManager: "t" });
  await waitFor("pods pending", () => {
    const pods = podsOf(first, "web");
    return pods.length === 3 && pods.every((p) => status(p).phase === "Pending");
  });
  assert.ok(first.sim.pendingTimers() > 0, "the pods wait on timers");
  await close(first);
  assert.equal(first.sim.pendingTimers(), 0);

  const second = open(dir);
  t.after(() => close(second));
  await waitFor("converged after the restart", () => rolledOut(second, "web", 3));
  assert.equal(podsOf(second, "web").length, 3, "the same pods, not new ones");
  assert.deepEqual([...first.errors, ...second.errors], []);
});

test("200 Deployments converge without a write loop", async (t) => {
  const h = start(t, { podReadyDelayMs: 10 });
  const deploys = h.t("apps/v1", "Deployment");
  await waitFor("the node", () => h.api.list(h.t("v1", "Node", "")).items.length === 1);
  const before = h.store.revision();
  for (let i = 0; i < 200; i++) h.api.create(deploys, deployment(`app-${i}`, { replicas: 1 }), { fieldManager: "t" });
  await waitFor(
    "all rolled out",
    () => {
      for (let i = 0; i < 200; i++) if (!rolledOut(h, `app-${i}`, 1)) return false;
      return true;
    },
    60_000,
  );
  await h.sim.idle();
  // Each rollout records six Events (ScalingReplicaSet, SuccessfulCreate, Scheduled, Pulled, Created, Started).
  const events = h.api.list(h.t("v1", "Event", "")).items.length;
  assert.equal(events, 200 * 6);
  const writes = h.store.revision() - before - events;
  assert.ok(writes <= 200 * 14, `${writes} writes besides Events for 200 one-replica Deployments`);
  assert.equal(h.sim.pendingTimers(), 0);
  await new Promise((r) => setTimeout(r, 200));
  await h.sim.idle();
  assert.equal(h.store.revision() - before, writes + events, "no writes once converged");
});
