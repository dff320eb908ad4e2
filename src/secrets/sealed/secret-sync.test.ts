import assert from "node:assert/strict";
import { test } from "node:test";
import { isControlledBy, mayManage, updatedSecret } from "./secret-sync.js";
import type { SealedSecret, SecretObject } from "./types.js";

const sealed: SealedSecret = {
  apiVersion: "bitnami.com/v1alpha1",
  kind: "SealedSecret",
  metadata: { name: "db", namespace: "prod", uid: "ss-uid" },
  spec: { encryptedData: {} },
};
const owner = { apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret", name: "db", uid: "ss-uid", controller: true };

const live = (
  meta: Partial<SecretObject["metadata"]> = {},
  data: Record<string, string> = { a: "MQ==" },
): SecretObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db", namespace: "prod", resourceVersion: "7", finalizers: ["keep/me"], ...meta },
  type: "Opaque",
  data,
});

test("the controller may write a Secret it controls or one annotated managed, nothing else", () => {
  assert.ok(isControlledBy(live({ ownerReferences: [owner] }), sealed));
  assert.ok(!isControlledBy(live({ ownerReferences: [{ ...owner, uid: "other" }] }), sealed));
  assert.ok(!isControlledBy(live({ ownerReferences: [{ ...owner, controller: false }] }), sealed));
  assert.ok(!mayManage(live(), sealed));
  assert.ok(mayManage(live({ annotations: { "sealedsecrets.bitnami.com/managed": "true" } }), sealed));
  assert.ok(!mayManage(live({ annotations: { "sealedsecrets.bitnami.com/managed": "yes" } }), sealed));
});

test("an up-to-date Secret is not rewritten; a changed one keeps its server metadata and finalizers", () => {
  const desired: SecretObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db", namespace: "prod", labels: { app: "x" }, ownerReferences: [owner] },
    data: { a: "MQ==" },
  };
  const current = live({ labels: { app: "x" }, ownerReferences: [owner] });
  assert.equal(updatedSecret(current, desired), undefined);
  const changed = updatedSecret(current, { ...desired, data: { a: "Mg==", b: "Mw==" } });
  assert.deepEqual(changed?.data, { a: "Mg==", b: "Mw==" });
  assert.equal(changed?.metadata.resourceVersion, "7");
  assert.deepEqual(changed?.metadata.finalizers, ["keep/me"]);
  const relabelled = updatedSecret(live({ labels: { app: "x", extra: "1" }, ownerReferences: [owner] }), desired);
  assert.deepEqual(relabelled?.metadata.labels, { app: "x" }, "labels are replaced, not merged");
  const takenOver = updatedSecret(live({ annotations: { "sealedsecrets.bitnami.com/managed": "true" } }), desired);
  assert.deepEqual(takenOver?.metadata.ownerReferences, [owner]);
  assert.equal(takenOver?.metadata.annotations, undefined);
});
