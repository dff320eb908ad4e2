import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { type KubeletInput, kubeletStep, podStage } from "./kubelet.js";
import { simulatorSettings } from "./options.js";

const NODE = "bosun-node";
const settings = simulatorSettings({
  podReadyDelayMs: 100,
  slowPodReadyDelayMs: 1000,
  jobDurationMs: 500,
  crashLoopBackOffMs: 200,
  maxCrashLoopBackOffMs: 700,
});

function pod(options: { simulate?: string; restartPolicy?: string; status?: JsonRecord } = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web-abcde",
      namespace: "default",
      uid: "u-1",
      annotations: options.simulate ? { "bosun.dev/simulate": options.simulate } : {},
    },
    spec: {
      nodeName: NODE,
      restartPolicy: options.restartPolicy ?? "Always",
      containers: [{ name: "web", image: "nginx:1" }],
    },
    status: options.status,
  };
}

function input(now: number, since = 0): KubeletInput {
  return { now, since, settings, place: { now: "2026-01-01T00:00:00Z", hostIP: "10.89.0.2", podIP: "10.244.1.2" } };
}

/** Steps the kubelet at `now`, writing the status it reports into the pod. */
function step(p: KubeObject, now: number, since = 0): { pod: KubeObject; wakeAt?: number } {
  const s = kubeletStep(p, NODE, input(now, since));
  return { pod: s.status ? { ...p, status: s.status } : p, wakeAt: s.wakeAt };
}

function condition(p: KubeObject, type: string): JsonRecord | undefined {
  const list = (p.status as { conditions?: JsonRecord[] }).conditions ?? [];
  return list.find((c) => c.type === type);
}

function container(p: KubeObject): JsonRecord {
  const list = (p.status as { containerStatuses: JsonRecord[] }).containerStatuses;
  return list[0] ?? {};
}

test("a bound pod is accepted as Pending, runs and is Ready once podReadyDelayMs has passed", () => {
  const accepted = step(pod(), 0).pod;
  assert.equal(podStage(accepted, NODE), "creating");
  assert.equal((accepted.status as JsonRecord).phase, "Pending");
  assert.equal(condition(accepted, "PodScheduled")?.status, "True");
  assert.equal(condition(accepted, "Ready")?.reason, "ContainersNotReady");
  assert.deepEqual(container(accepted).state, { waiting: { reason: "ContainerCreating" } });
  assert.equal((accepted.status as JsonRecord).hostIP, "10.89.0.2");

  const early = step(accepted, 50, 0);
  assert.equal(early.pod, accepted, "nothing to report before the delay");
  assert.equal(early.wakeAt, 100);

  const running = step(accepted, 100, 0).pod;
  assert.equal(podStage(running, NODE), "ready");
  const status = running.status as JsonRecord;
  assert.equal(status.phase, "Running");
  assert.equal(status.podIP, "10.244.1.2");
  assert.equal(status.startTime, "2026-01-01T00:00:00Z");
  assert.deepEqual(
    ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((t) => condition(running, t)?.status),
    ["True", "True", "True", "True"],
  );
  assert.equal(container(running).ready, true);
  assert.equal(container(running).started, true);
  assert.equal(container(running).restartCount, 0);
  assert.deepEqual(step(running, 10_000, 100), { pod: running, wakeAt: undefined }, "a Ready pod stays as it is");
});

test("slow: runs not ready, then Ready after slowPodReadyDelayMs", () => {
  const creating = step(pod({ simulate: "slow" }), 0).pod;
  const started = step(creating, 100, 0).pod;
  assert.equal(podStage(started, NODE), "starting");
  assert.equal(condition(started, "Ready")?.status, "False");
  assert.equal(container(started).started, true);
  assert.equal(step(started, 500, 100).wakeAt, 1100);
  const ready = step(started, 1100, 100).pod;
  assert.equal(condition(ready, "Ready")?.status, "True");
});

test("unready: Running, never Ready, with the kwok stage's message", () => {
  const started = step(step(pod({ simulate: "unready" }), 0).pod, 100, 0).pod;
  assert.equal((started.status as JsonRecord).phase, "Running");
  assert.equal(
    condition(started, "Ready")?.message,
    "containers with unready status (simulated by bosun.dev/simulate: unready)",
  );
  assert.deepEqual(step(started, 1_000_000, 100), { pod: started, wakeAt: undefined });
});

test("crashloop: CrashLoopBackOff with a restart count that grows after each back-off", () => {
  let current = step(step(pod({ simulate: "crashloop" }), 0).pod, 100, 0).pod;
  assert.equal(podStage(current, NODE), "crashing");
  const first = container(current);
  assert.equal(first.restartCount, 1);
  assert.equal(first.ready, false);
  assert.equal(first.started, false);
  assert.deepEqual((first.state as JsonRecord).waiting, {
    reason: "CrashLoopBackOff",
    message: "back-off 1s restarting failed container=web (simulated by bosun.dev/simulate: crashloop)",
  });
  assert.equal(((first.lastState as JsonRecord).terminated as JsonRecord).exitCode, 1);
  assert.equal(condition(current, "Ready")?.status, "False");
  // back-offs: 200 ms after the first crash, then 400, then capped at 700
  assert.equal(step(current, 150, 100).wakeAt, 300);
  current = step(current, 300, 100).pod;
  assert.equal(container(current).restartCount, 2);
  assert.equal(step(current, 300, 300).wakeAt, 700);
  current = step(current, 700, 300).pod;
  assert.equal(container(current).restartCount, 3);
  assert.equal(step(current, 700, 700).wakeAt, 1400);
});

test("a crashing pod with restartPolicy Never fails instead", () => {
  const failed = step(step(pod({ simulate: "crashloop", restartPolicy: "Never" }), 0).pod, 100, 0).pod;
  assert.equal((failed.status as JsonRecord).phase, "Failed");
  assert.equal(podStage(failed, NODE), "done");
  assert.equal(((container(failed).state as JsonRecord).terminated as JsonRecord).exitCode, 1);
});

test("a pod that runs to completion (restartPolicy OnFailure or Never) succeeds after jobDurationMs", () => {
  const running = step(step(pod({ restartPolicy: "OnFailure" }), 0).pod, 100, 0).pod;
  assert.equal(step(running, 200, 100).wakeAt, 600);
  const done = step(running, 600, 100).pod;
  const status = done.status as JsonRecord;
  assert.equal(status.phase, "Succeeded");
  assert.equal(condition(done, "Ready")?.reason, "PodCompleted");
  assert.deepEqual(((container(done).state as JsonRecord).terminated as JsonRecord).reason, "Completed");
});

test("pods elsewhere, unbound, terminating or finished are left alone", () => {
  const elsewhere = { ...pod(), spec: { containers: [], nodeName: "other" } };
  assert.equal(podStage(elsewhere, NODE), "elsewhere");
  assert.deepEqual(kubeletStep(elsewhere, NODE, input(10)), {});
  const unbound = { ...pod(), spec: { containers: [] } };
  assert.equal(podStage(unbound, NODE), "unscheduled");
  assert.deepEqual(kubeletStep(unbound, NODE, input(10)), {});
  const deleting = { ...pod(), metadata: { ...pod().metadata, deletionTimestamp: "2026-01-01T00:00:00Z" } };
  assert.equal(podStage(deleting, NODE), "terminating");
});

test("a Job's pod runs to completion even with restartPolicy Always (the embedded default for a Job template)", () => {
  const owned = pod();
  owned.metadata.ownerReferences = [{ apiVersion: "batch/v1", kind: "Job", name: "j", uid: "j", controller: true }];
  const running = step(step(owned, 0).pod, 100, 0).pod;
  assert.equal((step(running, 600, 100).pod.status as JsonRecord).phase, "Succeeded");
  const plain = step(step(pod(), 0).pod, 100, 0).pod;
  assert.equal((step(plain, 600, 100).pod.status as JsonRecord).phase, "Running", "other pods keep running");
});
