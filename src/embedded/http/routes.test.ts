import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRoute } from "./routes.js";

const served = new Set(["/configmaps", "/namespaces", "apps/deployments", "example.com/widgets"]);
const isPlural = (group: string, plural: string) => served.has(`${group}/${plural}`);

test("resource paths: core and grouped, namespaced and cluster-wide, names and subresources", () => {
  assert.deepEqual(parseRoute("/api/v1/namespaces/ns/configmaps/a", isPlural), {
    kind: "resource",
    group: "",
    version: "v1",
    namespace: "ns",
    plural: "configmaps",
    name: "a",
    subresource: undefined,
  });
  assert.deepEqual(parseRoute("/apis/apps/v1/namespaces/ns/deployments/web/scale", isPlural), {
    kind: "resource",
    group: "apps",
    version: "v1",
    namespace: "ns",
    plural: "deployments",
    name: "web",
    subresource: "scale",
  });
  assert.deepEqual(parseRoute("/apis/apps/v1/deployments", isPlural), {
    kind: "resource",
    group: "apps",
    version: "v1",
    namespace: "",
    plural: "deployments",
    name: undefined,
    subresource: undefined,
  });
  assert.deepEqual(parseRoute("/api/v1/namespaces/team", isPlural), {
    kind: "resource",
    group: "",
    version: "v1",
    namespace: "",
    plural: "namespaces",
    name: "team",
    subresource: undefined,
  });
  assert.deepEqual(parseRoute("/api/v1/namespaces/team/status", isPlural), {
    kind: "resource",
    group: "",
    version: "v1",
    namespace: "",
    plural: "namespaces",
    name: "team",
    subresource: "status",
  });
});

test("discovery and other paths", () => {
  assert.deepEqual(parseRoute("/api", isPlural), { kind: "legacy-versions" });
  assert.deepEqual(parseRoute("/apis/", isPlural), { kind: "groups" });
  assert.deepEqual(parseRoute("/apis/example.com", isPlural), { kind: "group", group: "example.com" });
  assert.deepEqual(parseRoute("/apis/example.com/v1", isPlural), {
    kind: "resources",
    group: "example.com",
    version: "v1",
  });
  assert.deepEqual(parseRoute("/openapi/v3/apis/apps/v1", isPlural), {
    kind: "openapi",
    path: "/openapi/v3/apis/apps/v1",
  });
  assert.deepEqual(parseRoute("/version", isPlural), { kind: "version" });
  assert.deepEqual(parseRoute("/livez", isPlural), { kind: "health" });
  assert.deepEqual(parseRoute("/metrics", isPlural), { kind: "unknown" });
});
