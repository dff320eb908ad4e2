import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { keepIgnoredFields } from "./respect-ignore.js";

const deployment = (spec: Record<string, unknown>, extra: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "app", ...extra },
  spec,
});

test("a pointer takes the live value, or goes when the field is not set live; other kinds are left alone", () => {
  const desired = deployment({ replicas: 2, paused: false, template: { a: 1 } });
  const live = deployment({ replicas: 9, template: { a: 2 } });
  const rules = [
    { group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas", "/spec/paused", "/spec/missing/deep"] },
    { group: "", kind: "ConfigMap", jsonPointers: ["/spec/template"] },
  ];
  assert.deepEqual(keepIgnoredFields(desired, live, rules).spec, { replicas: 9, template: { a: 1 } });
  assert.deepEqual(
    desired.spec,
    { replicas: 2, paused: false, template: { a: 1 } },
    "the desired object is not changed",
  );
  assert.equal(keepIgnoredFields(desired, live, rules.slice(1)), desired, "no applicable rule: the object as it is");
  assert.throws(
    () => keepIgnoredFields(desired, live, [{ group: "apps", kind: "Deployment", jsonPointers: ["spec/replicas"] }]),
    /ignoreDifferences for Deployment.apps\/app\/web/,
  );
});

test("fields a named manager owns live are kept, outside lists only", () => {
  const live = deployment(
    { replicas: 5, template: { spec: { containers: [{ name: "web", image: "web:9" }] } } },
    {
      managedFields: [
        {
          manager: "hpa",
          operation: "Update",
          fieldsV1: {
            "f:spec": {
              "f:replicas": {},
              "f:template": { "f:spec": { "f:containers": { 'k:{"name":"web"}': { "f:image": {} } } } },
            },
          },
        },
      ],
    },
  );
  const desired = deployment({ replicas: 1, template: { spec: { containers: [{ name: "web", image: "web:1" }] } } });
  const kept = keepIgnoredFields(desired, live, [
    { group: "apps", kind: "Deployment", managedFieldsManagers: ["hpa"] },
  ]);
  assert.deepEqual(kept.spec, { replicas: 5, template: { spec: { containers: [{ name: "web", image: "web:1" }] } } });
});
