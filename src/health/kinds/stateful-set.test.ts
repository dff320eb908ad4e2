import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { statefulSetHealth } from "./stateful-set.js";

const sts = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "db" },
  spec,
  status,
});

const partitioned = (partition: number, replicas = 3) => ({
  replicas,
  updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition } },
});

test("spec.replicas defaults to 1", () => {
  assert.equal(statefulSetHealth(sts({}, {})).status, "Progressing");
  assert.equal(
    statefulSetHealth(sts({}, { readyReplicas: 1, currentRevision: "db-1", updateRevision: "db-1" })).status,
    "Healthy",
  );
});

test("only pods at ordinal >= partition must be updated", () => {
  const base = { readyReplicas: 3, currentRevision: "db-1", updateRevision: "db-2" };
  assert.equal(statefulSetHealth(sts(partitioned(1), { ...base, updatedReplicas: 1 })).status, "Progressing");
  assert.match(
    statefulSetHealth(sts(partitioned(1), { ...base, updatedReplicas: 1 })).message,
    /1 of 2 pods at ordinal 1/,
  );
  assert.equal(statefulSetHealth(sts(partitioned(1), { ...base, updatedReplicas: 2 })).status, "Healthy");
});

test("a partition at or above replicas means nothing is to be updated", () => {
  const h = statefulSetHealth(
    sts(partitioned(5), { readyReplicas: 3, updatedReplicas: 0, currentRevision: "db-1", updateRevision: "db-2" }),
  );
  assert.equal(h.status, "Healthy");
  assert.match(h.message, /3 pods below keep the current revision/);
});

test("without a partition, the rollout is done when currentRevision reaches updateRevision", () => {
  const rolling = { replicas: 2, updateStrategy: { type: "RollingUpdate" } };
  assert.equal(
    statefulSetHealth(
      sts(rolling, { readyReplicas: 2, updatedReplicas: 2, currentRevision: "db-1", updateRevision: "db-2" }),
    ).status,
    "Progressing",
  );
  assert.equal(
    statefulSetHealth(
      sts(rolling, { readyReplicas: 2, updatedReplicas: 2, currentRevision: "db-2", updateRevision: "db-2" }),
    ).status,
    "Healthy",
  );
});

test("OnDelete ignores revisions but not readiness", () => {
  const onDelete = { replicas: 2, updateStrategy: { type: "OnDelete" } };
  assert.equal(
    statefulSetHealth(sts(onDelete, { readyReplicas: 2, currentRevision: "db-1", updateRevision: "db-9" })).status,
    "Healthy",
  );
  assert.equal(
    statefulSetHealth(sts(onDelete, { readyReplicas: 1, currentRevision: "db-1", updateRevision: "db-1" })).status,
    "Progressing",
  );
});

test("with minReadySeconds, ready pods must also have become available", () => {
  const spec = { replicas: 2, minReadySeconds: 30 };
  const status = { readyReplicas: 2, availableReplicas: 1, currentRevision: "db-1", updateRevision: "db-1" };
  assert.match(statefulSetHealth(sts(spec, status)).message, /ready for 30s\): 1 of 2 pods available/);
  assert.equal(
    statefulSetHealth(sts({ replicas: 2 }, status)).status,
    "Healthy",
    "without minReadySeconds, ready is enough",
  );
});

test("a partition with nothing to roll out (revisions equal) is an ordinary complete rollout", () => {
  const h = statefulSetHealth(
    sts(partitioned(2), { readyReplicas: 3, updatedReplicas: 3, currentRevision: "db-1", updateRevision: "db-1" }),
  );
  assert.deepEqual(h, { status: "Healthy", message: "Rollout complete: 3 of 3 pods ready at revision db-1" });
});
