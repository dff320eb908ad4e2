import assert from "node:assert/strict";
import { test } from "node:test";
import { resourcePath, splitApiVersion } from "./discovery.js";

test("resource paths for core and grouped, namespaced and cluster-scoped kinds", () => {
  const deployments = {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    resource: "deployments",
    namespaced: true,
    verbs: [],
  };
  const namespaces = {
    group: "",
    version: "v1",
    kind: "Namespace",
    resource: "namespaces",
    namespaced: false,
    verbs: [],
  };
  assert.equal(resourcePath(deployments, "prod", "web"), "/apis/apps/v1/namespaces/prod/deployments/web");
  assert.equal(resourcePath(deployments), "/apis/apps/v1/deployments");
  assert.equal(resourcePath(namespaces, "ignored", "prod"), "/api/v1/namespaces/prod");
  assert.equal(resourcePath(deployments, "a b", "x/y"), "/apis/apps/v1/namespaces/a%20b/deployments/x%2Fy");
});

test("apiVersion splits into group and version", () => {
  assert.deepEqual(splitApiVersion("apps/v1"), ["apps", "v1"]);
  assert.deepEqual(splitApiVersion("v1"), ["", "v1"]);
  assert.deepEqual(splitApiVersion("rbac.authorization.k8s.io/v1"), ["rbac.authorization.k8s.io", "v1"]);
});
