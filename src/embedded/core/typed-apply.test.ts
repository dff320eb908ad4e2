import assert from "node:assert/strict";
import { test } from "node:test";
import { applyBodyErrors, customApplyBodyErrors, typedPatchMessage } from "./typed-apply.js";

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
const body = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", finalizers: ["a", 1] },
  spec: { template: { spec: { containers: [{ name: "c", image: "x", ...container }] } }, ...spec },
});

// The messages are structured-merge-diff's, as kube-apiserver 1.36.3 returned them for the same bodies.
test("an apply body is checked as structured-merge-diff checks it: SMD's paths and Go's renderings of the value", () => {
  assert.deepEqual(applyBodyErrors(body({}, { command: [true], image: 5 }), DEPLOYMENT), [
    ".metadata.finalizers[=1]: expected string, got &value.valueUnstructured{Value:1}",
    '.spec.template.spec.containers[name="c"].command[0]: expected string, got &value.valueUnstructured{Value:true}',
    '.spec.template.spec.containers[name="c"].image: expected string, got &value.valueUnstructured{Value:5}',
  ]);
  assert.deepEqual(applyBodyErrors(body({ strategy: "x", replicas: { a: [1, "b"] } }), DEPLOYMENT).slice(1), [
    ".spec.replicas: expected numeric (int or float), got map[string]interface {}",
    ".spec.strategy: expected map, got &{x}",
  ]);
  // SMD stops at a map's first undeclared field (in key order): `zz` is not reached.
  assert.deepEqual(applyBodyErrors(body({ replicas: "2", wat: 1, zz: "x" }), DEPLOYMENT).slice(1), [
    ".spec.replicas: expected numeric (int or float), got string",
    ".spec.wat: field not declared in schema",
  ]);
  assert.deepEqual(
    applyBodyErrors(
      { apiVersion: "v1", kind: "ConfigMap", data: { a: { b: 1, c: "d" } } },
      "io.k8s.api.core.v1.ConfigMap",
    ),
    ['.data.a: expected string, got &value.valueUnstructured{Value:map[string]interface {}{"b":1, "c":"d"}}'],
  );
  assert.deepEqual(applyBodyErrors({ ...body({ replicas: 2 }), metadata: { name: "web" } }, DEPLOYMENT), []);
});

test("the 500's message names the object as the body does and lists several errors on their own lines", () => {
  const object = { namespace: "", name: "web", apiVersion: "v1", kind: "ConfigMap" };
  assert.equal(
    typedPatchMessage(object, [".data.a: expected string, got x"]),
    "failed to create typed patch object (/web; /v1, Kind=ConfigMap): .data.a: expected string, got x",
  );
  assert.equal(
    typedPatchMessage({ ...object, namespace: "team", apiVersion: "apps/v1", kind: "Deployment" }, ["a: b", "c: d"]),
    "failed to create typed patch object (team/web; apps/v1, Kind=Deployment): errors:\n  a: b\n  c: d",
  );
});

test("a custom resource's apply body is checked against its CRD's schema, envelope and preserved fields allowed", () => {
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          size: { type: "string" },
          extra: {
            type: "object",
            "x-kubernetes-preserve-unknown-fields": true,
            properties: { known: { type: "integer" } },
          },
        },
      },
    },
  };
  const cr = (spec: Record<string, unknown>) => ({
    apiVersion: "example.com/v1",
    kind: "Gadget",
    metadata: { name: "g" },
    spec,
  });
  assert.deepEqual(customApplyBodyErrors(cr({ size: "big", extra: { anything: 1, known: 2 } }), schema), []);
  assert.deepEqual(customApplyBodyErrors(cr({ size: 3, colour: "red" }), schema), [
    ".spec.colour: field not declared in schema",
  ]);
  assert.deepEqual(customApplyBodyErrors(cr({ size: 3 }), schema), [
    ".spec.size: expected string, got &value.valueUnstructured{Value:3}",
  ]);
  assert.deepEqual(customApplyBodyErrors({ ...cr({}), metadata: { name: 5 } }, schema), [
    ".metadata.name: expected string, got &value.valueUnstructured{Value:5}",
  ]);
});
