import assert from "node:assert/strict";
import { test } from "node:test";
import { orderForApply, orderForDelete } from "./kind-order.js";
import type { KubeObject } from "./object.js";

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});

test("objects apply in the order users expect, custom resources after their CRDs, deletes in reverse", () => {
  const shuffled = [
    obj("example.com/v1", "Widget", "w"),
    obj("apps/v1", "Deployment", "web", "app"),
    obj("v1", "Service", "web", "app"),
    obj("v1", "ConfigMap", "cfg", "app"),
    obj("rbac.authorization.k8s.io/v1", "RoleBinding", "rb", "app"),
    obj("rbac.authorization.k8s.io/v1", "Role", "r", "app"),
    obj("v1", "ServiceAccount", "sa", "app"),
    obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
    obj("v1", "Namespace", "app"),
    obj("networking.k8s.io/v1", "Ingress", "web", "app"),
    obj("v1", "Secret", "s", "app"),
    obj("batch/v1", "Job", "migrate", "app"),
  ];
  const kinds = orderForApply(shuffled).map((o) => o.kind);
  assert.deepEqual(kinds, [
    "Namespace",
    "CustomResourceDefinition",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "Secret",
    "ConfigMap",
    "Service",
    "Deployment",
    "Job",
    "Ingress",
    "Widget",
  ]);
  assert.deepEqual(
    orderForDelete(shuffled).map((o) => o.kind),
    [...kinds].reverse(),
  );
});

test("the same kind orders by namespace then name, and the input is not modified", () => {
  const input = [obj("v1", "ConfigMap", "b", "y"), obj("v1", "ConfigMap", "a", "y"), obj("v1", "ConfigMap", "z", "x")];
  assert.deepEqual(
    orderForApply(input).map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
    ["x/z", "y/a", "y/b"],
  );
  assert.equal(input[0]?.metadata.name, "b");
});

test("built-in kinds missing from the table come after the known ones but before custom resources", () => {
  const ordered = orderForApply([
    obj("example.com/v1", "Widget", "w"),
    obj("v1", "PodTemplate", "p"),
    obj("apps/v1", "Deployment", "d"),
  ]);
  assert.deepEqual(
    ordered.map((o) => o.kind),
    ["Deployment", "PodTemplate", "Widget"],
  );
});
