import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { assessHealth } from "../health.js";

const sealed = (status?: Record<string, unknown>, generation = 1): KubeObject => ({
  apiVersion: "bitnami.com/v1alpha1",
  kind: "SealedSecret",
  metadata: { name: "db", namespace: "prod", generation },
  spec: { encryptedData: { password: "AgB..." } },
  ...(status ? { status } : {}),
});

const syncedCondition = (status: string, reason: string, message: string) => ({
  type: "Synced",
  status,
  reason,
  message,
});

test("a SealedSecret is Healthy once unsealed and Degraded with the controller's reason when it is not", () => {
  const ok = assessHealth(sealed({ observedGeneration: 1, conditions: [syncedCondition("True", "Unsealed", "")] }));
  assert.deepEqual([ok.health.status, ok.basis], ["Healthy", "kind"]);
  const failed = assessHealth(
    sealed({
      observedGeneration: 1,
      conditions: [syncedCondition("False", "ErrUnsealFailed", "no key could decrypt encryptedData.password")],
    }),
  );
  assert.equal(failed.health.status, "Degraded");
  assert.match(failed.health.message ?? "", /ErrUnsealFailed: no key could decrypt/);
});

test("a SealedSecret not unsealed yet, or whose status is about an older generation, is Progressing", () => {
  assert.equal(assessHealth(sealed()).health.status, "Progressing");
  const stale = sealed({ observedGeneration: 1, conditions: [syncedCondition("True", "Unsealed", "")] }, 2);
  assert.equal(assessHealth(stale).health.status, "Progressing");
});
