import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { LAST_APPLIED_ANNOTATION } from "../diff/index.js";
import { applyOwnershipAsUpdate, clientSideApplyPatch, lastAppliedOf, withLastApplied } from "./client-side-apply.js";

const cm = (data: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cfg", namespace: "app", ...(annotations ? { annotations } : {}) },
  data,
});

test("the last-applied annotation holds the object without itself, keys sorted, the same every time", () => {
  const desired = cm({ b: "2", a: "1" }, { "bosun.dev/tracking-id": "t" });
  const written = withLastApplied(desired);
  const text = written.metadata.annotations?.[LAST_APPLIED_ANNOTATION] ?? "";
  assert.equal(
    text,
    '{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"annotations":{"bosun.dev/tracking-id":"t"},"name":"cfg","namespace":"app"}}',
  );
  assert.equal(withLastApplied(written).metadata.annotations?.[LAST_APPLIED_ANNOTATION], text, "stable");
  assert.deepEqual(lastAppliedOf(written), JSON.parse(text));
  assert.equal(
    withLastApplied(cm({})).metadata.annotations?.[LAST_APPLIED_ANNOTATION],
    '{"apiVersion":"v1","data":{},"kind":"ConfigMap","metadata":{"name":"cfg","namespace":"app"}}',
    "no empty annotations map in it",
  );
  assert.equal(lastAppliedOf(cm({}, { [LAST_APPLIED_ANNOTATION]: "{not json" })), undefined);
});

test("the patch removes what Git dropped since the last apply, keeps what others set, updates the annotation", () => {
  const before = withLastApplied(cm({ a: "1", b: "2" }));
  const live: KubeObject = {
    ...before,
    metadata: { ...before.metadata, resourceVersion: "7", labels: { other: "kept" } },
    data: { a: "1", b: "2", theirs: "3" },
  };
  const desired = cm({ a: "1" });
  const patch = clientSideApplyPatch(desired, live, { precondition: true });
  assert.deepEqual(patch, {
    data: { b: null },
    metadata: {
      annotations: {
        [LAST_APPLIED_ANNOTATION]: withLastApplied(desired).metadata.annotations?.[LAST_APPLIED_ANNOTATION],
      },
      resourceVersion: "7",
    },
  });
  const applied: KubeObject = { ...withLastApplied(desired), data: { a: "1", theirs: "3" } };
  assert.equal(clientSideApplyPatch(desired, applied, { precondition: true }), undefined, "nothing left to write");
});

test("an object bosun applied server-side: its Apply entry becomes an Update entry, merged with one of the same apiVersion", () => {
  const live: KubeObject = {
    ...cm({ a: "1" }),
    metadata: {
      ...cm({ a: "1" }).metadata,
      resourceVersion: "3",
      managedFields: [
        {
          manager: "bosun",
          operation: "Apply",
          apiVersion: "v1",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:data": { "f:a": {} } },
        },
        { manager: "kubectl-edit", operation: "Update", apiVersion: "v1", fieldsV1: { "f:data": { "f:x": {} } } },
        { manager: "bosun", operation: "Update", apiVersion: "v1", fieldsV1: { "f:data": { "f:b": {} } } },
        { manager: "bosun", operation: "Update", apiVersion: "v1", subresource: "status", fieldsV1: {} },
      ],
    },
  };
  assert.deepEqual(applyOwnershipAsUpdate(live), [
    {
      manager: "bosun",
      operation: "Update",
      apiVersion: "v1",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:a": {}, "f:b": {} } },
    },
    { manager: "kubectl-edit", operation: "Update", apiVersion: "v1", fieldsV1: { "f:data": { "f:x": {} } } },
    { manager: "bosun", operation: "Update", apiVersion: "v1", subresource: "status", fieldsV1: {} },
  ]);
  assert.deepEqual(live.metadata.managedFields?.[0]?.operation, "Apply", "the live object is not changed");
  const patch = clientSideApplyPatch(cm({ a: "1" }), live, { precondition: false });
  const metadata = (patch?.metadata ?? {}) as { managedFields?: unknown[]; resourceVersion?: string };
  assert.equal(metadata.managedFields?.length, 3);
  assert.equal(metadata.resourceVersion, undefined, "no precondition");
  assert.equal(applyOwnershipAsUpdate(cm({})), undefined, "no managedFields: nothing to move");
});
