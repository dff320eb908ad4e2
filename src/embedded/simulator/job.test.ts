import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { type JobPlan, planJob } from "./job.js";
import { simulatorSettings } from "./options.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const settings = simulatorSettings({ crashLoopBackOffMs: 10_000 });

function job(spec: JsonRecord = {}, status?: JsonRecord, restartPolicy = "Never"): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "migrate", namespace: "default", uid: "job-uid", generation: 1 },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 2,
      template: {
        metadata: { labels: { app: "migrate" } },
        spec: { restartPolicy, containers: [{ name: "m", image: "m:1" }] },
      },
      ...spec,
    },
    status,
  };
}

function pod(name: string, phase: string, finishedAt = T0, restarts = 0): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { containers: [] },
    status: {
      phase,
      conditions: [{ type: "Ready", status: phase === "Running" ? "True" : "False" }],
      containerStatuses: [
        { name: "m", restartCount: restarts, state: { terminated: { finishedAt: stamp(finishedAt) } } },
      ],
    },
  };
}

function plan(j: KubeObject, pods: KubeObject[], now: number): JobPlan {
  return planJob({ job: j, pods, now, nowStamp: stamp(now), settings });
}

function conditions(p: JobPlan): Array<[unknown, unknown, unknown]> {
  return ((p.status.conditions as JsonRecord[] | undefined) ?? []).map((c) => [c.type, c.status, c.reason]);
}

test("a Job starts a pod with the job labels, and completes with SuccessCriteriaMet and Complete", () => {
  const first = plan(job(), [], T0);
  assert.equal(first.create.length, 1);
  const p = first.create[0] as KubeObject;
  assert.equal(p.metadata.generateName, "migrate-");
  assert.equal(p.metadata.labels?.["batch.kubernetes.io/job-name"], "migrate");
  assert.equal(p.metadata.labels?.["batch.kubernetes.io/controller-uid"], "job-uid");
  assert.equal(p.metadata.labels?.["job-name"], "migrate");
  assert.equal(first.status.startTime, stamp(T0));
  assert.equal(first.status.active, 1);

  const running = plan(job({}, first.status), [pod("migrate-a", "Running")], T0 + 1000);
  assert.deepEqual(running.create, []);
  assert.equal(running.status.ready, 1);
  assert.deepEqual(conditions(running), []);

  const done = plan(job({}, running.status), [pod("migrate-a", "Succeeded")], T0 + 3000);
  assert.deepEqual(conditions(done), [
    ["SuccessCriteriaMet", "True", "CompletionsReached"],
    ["Complete", "True", "CompletionsReached"],
  ]);
  assert.equal(done.status.succeeded, 1);
  assert.equal(done.status.active, undefined);
  assert.equal(done.status.completionTime, stamp(T0 + 3000));
  assert.equal(done.status.startTime, stamp(T0), "startTime is kept");
  const after = plan(job({}, done.status), [pod("migrate-a", "Succeeded")], T0 + 9000);
  assert.deepEqual(after.status, done.status, "a finished Job's status stays");
  assert.deepEqual(after.create, []);
});

test("failed pods are replaced after a back-off until backoffLimit is passed, then the Job fails", () => {
  const started = { startTime: stamp(T0) };
  const one = plan(job({}, started), [pod("a", "Failed", T0)], T0 + 1000);
  assert.deepEqual(one.create, [], "backing off");
  assert.equal(one.wakeAt, T0 + 10_000);
  assert.equal(one.status.failed, 1);
  assert.equal(plan(job({}, started), [pod("a", "Failed", T0)], T0 + 10_000).create.length, 1);

  const failed = plan(job({}, started), [pod("a", "Failed"), pod("b", "Failed"), pod("c", "Failed")], T0 + 90_000);
  assert.deepEqual(conditions(failed), [
    ["FailureTarget", "True", "BackoffLimitExceeded"],
    ["Failed", "True", "BackoffLimitExceeded"],
  ]);
  assert.equal(failed.status.failed, 3);
  assert.equal(failed.status.completionTime, undefined);
});

test("restartPolicy OnFailure: container restarts count against backoffLimit; the active pod is deleted", () => {
  const crashing = pod("a", "Running", T0, 2);
  const failed = plan(job({}, { startTime: stamp(T0) }, "OnFailure"), [crashing], T0 + 1000);
  assert.deepEqual(conditions(failed).at(-1), ["Failed", "True", "BackoffLimitExceeded"]);
  assert.deepEqual(failed.delete, [crashing]);
});

test("activeDeadlineSeconds fails a Job that runs too long", () => {
  const j = job({ activeDeadlineSeconds: 30 }, { startTime: stamp(T0) });
  assert.equal(plan(j, [pod("a", "Running")], T0 + 10_000).wakeAt, T0 + 30_000);
  assert.deepEqual(conditions(plan(j, [pod("a", "Running")], T0 + 30_000)).at(-1), [
    "Failed",
    "True",
    "DeadlineExceeded",
  ]);
});

test("suspend deletes active pods and says so; resuming starts again", () => {
  const active = pod("a", "Running");
  const suspended = plan(job({ suspend: true }, { startTime: stamp(T0) }), [active], T0 + 1000);
  assert.deepEqual(suspended.delete, [active]);
  assert.deepEqual(conditions(suspended), [["Suspended", "True", "JobSuspended"]]);
  const resumed = plan(job({}, suspended.status), [], T0 + 2000);
  assert.deepEqual(conditions(resumed), [["Suspended", "False", "JobResumed"]]);
  assert.equal(resumed.create.length, 1);
});

test("ttlSecondsAfterFinished deletes a finished Job when it has passed", () => {
  const done = { conditions: [{ type: "Complete", status: "True" }], completionTime: stamp(T0), succeeded: 1 };
  const j = job({ ttlSecondsAfterFinished: 60 }, done);
  assert.equal(plan(j, [], T0 + 1000).wakeAt, T0 + 60_000);
  assert.equal(plan(j, [], T0 + 1000).deleteJob, false);
  assert.equal(plan(j, [], T0 + 60_000).deleteJob, true);
});

test("parallelism and completions bound the pods running at once", () => {
  const p = plan(job({ completions: 5, parallelism: 2 }), [pod("a", "Succeeded"), pod("b", "Succeeded")], T0);
  assert.equal(p.create.length, 2);
  const last = plan(
    job({ completions: 5, parallelism: 2 }),
    [1, 2, 3, 4].map((i) => pod(`p${i}`, "Succeeded")),
    T0,
  );
  assert.equal(last.create.length, 1, "only one completion is left");
});
