import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { persistentVolumeClaimHealth } from "./persistent-volume-claim.js";

const pvc = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data" },
  spec: {},
  status,
});

test("a claim without a phase yet is Pending; an unknown phase is Unknown", () => {
  assert.equal(persistentVolumeClaimHealth(pvc({})).status, "Progressing");
  assert.equal(persistentVolumeClaimHealth(pvc({ phase: "Resizing" })).status, "Unknown");
});
