import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinFieldSchema } from "../resources/field-schema.js";
import { applyJsonPatch, parseJsonPatch } from "./json-patch.js";
import { applyMergePatch } from "./merge-patch.js";
import { PatchError } from "./patch-error.js";
import { applyStrategicMergePatch } from "./strategic-merge.js";

const deployment = {
  metadata: { name: "web", labels: { app: "web" }, finalizers: ["a"] },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      spec: {
        containers: [
          {
            name: "web",
            image: "nginx:1",
            ports: [{ containerPort: 80, protocol: "TCP" }],
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
          },
          { name: "sidecar", image: "busybox", args: ["x", "y"] },
        ],
      },
    },
  },
};

test("json patch: add, replace, remove, move, copy, test, and '-' appends", () => {
  const ops = parseJsonPatch([
    { op: "test", path: "/spec/replicas", value: 1 },
    { op: "replace", path: "/spec/replicas", value: 3 },
    { op: "add", path: "/metadata/labels/tier", value: "front" },
    { op: "remove", path: "/metadata/labels/app" },
    { op: "add", path: "/metadata/finalizers/-", value: "b" },
    { op: "copy", from: "/metadata/name", path: "/metadata/annotations" },
    { op: "move", from: "/metadata/annotations", path: "/metadata/generateName" },
    { op: "add", path: "/spec/template/spec/containers/0/env/1", value: { name: "A2", value: "x" } },
  ]);
  const out = applyJsonPatch(deployment, ops) as typeof deployment & { metadata: { generateName?: string } };
  assert.equal(out.spec.replicas, 3);
  assert.deepEqual(out.metadata.labels, { tier: "front" });
  assert.deepEqual(out.metadata.finalizers, ["a", "b"]);
  assert.equal(out.metadata.generateName, "web");
  assert.deepEqual(
    out.spec.template.spec.containers[0]?.env?.map((e) => e.name),
    ["A", "A2", "B"],
  );
  assert.equal(deployment.spec.replicas, 1, "the input is not modified");
});

test("json patch: a failed test or a missing path rejects the whole patch", () => {
  assert.throws(
    () => applyJsonPatch(deployment, parseJsonPatch([{ op: "test", path: "/spec/replicas", value: 2 }])),
    PatchError,
  );
  assert.throws(() => applyJsonPatch(deployment, parseJsonPatch([{ op: "remove", path: "/spec/nope" }])), PatchError);
  assert.throws(
    () => applyJsonPatch(deployment, parseJsonPatch([{ op: "replace", path: "/a/b", value: 1 }])),
    PatchError,
  );
  assert.throws(() => parseJsonPatch({ op: "add" }), PatchError);
  assert.throws(() => parseJsonPatch([{ op: "frobnicate", path: "/a" }]), PatchError);
});

test("merge patch: maps merge, null deletes, lists replace", () => {
  const out = applyMergePatch(deployment, {
    metadata: { labels: { app: null, tier: "x" } },
    spec: { template: { spec: { containers: [{ name: "only" }] } } },
  }) as typeof deployment;
  assert.deepEqual(out.metadata.labels, { tier: "x" });
  assert.deepEqual(out.spec.template.spec.containers, [{ name: "only" }]);
  assert.deepEqual(out.spec.selector, deployment.spec.selector);
});

const schema = builtinFieldSchema("Deployment");

test("strategic merge: containers merge by name, env by name, ports by containerPort", () => {
  const out = applyStrategicMergePatch(
    deployment,
    {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "web",
                image: "nginx:2",
                env: [
                  { name: "B", value: "changed" },
                  { name: "C", value: "3" },
                ],
                ports: [{ containerPort: 443 }],
              },
            ],
          },
        },
      },
    },
    schema,
  ) as typeof deployment;
  const [web, sidecar] = out.spec.template.spec.containers;
  assert.equal(web?.image, "nginx:2");
  assert.deepEqual(web?.env, [
    { name: "A", value: "1" },
    { name: "B", value: "changed" },
    { name: "C", value: "3" },
  ]);
  // As the API server orders them: a new item goes before the live ones that follow no named item.
  assert.deepEqual(
    web?.ports?.map((p) => p.containerPort),
    [443, 80],
  );
  assert.equal(sidecar?.name, "sidecar", "containers not in the patch are kept");
});

test("strategic merge: $patch delete and replace, deleteFromPrimitiveList, setElementOrder, atomic lists", () => {
  const out = applyStrategicMergePatch(
    deployment,
    {
      metadata: { finalizers: ["b"], "$deleteFromPrimitiveList/finalizers": ["a"] },
      spec: {
        selector: { matchLabels: { tier: "x" } },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "sidecar" }, { name: "web" }],
            containers: [
              { name: "web", env: [{ name: "A", $patch: "delete" }] },
              { name: "sidecar", args: ["z"] },
            ],
          },
        },
      },
    },
    schema,
  ) as typeof deployment;
  assert.deepEqual(out.metadata.finalizers, ["b"]);
  assert.deepEqual(out.spec.selector, { matchLabels: { tier: "x" } }, "a label selector is atomic");
  const [first, second] = out.spec.template.spec.containers;
  assert.equal(first?.name, "sidecar");
  assert.deepEqual(first?.args, ["z"], "args is an atomic list");
  assert.deepEqual(second?.env, [{ name: "B", value: "2" }]);

  const replaced = applyStrategicMergePatch(
    deployment,
    { spec: { template: { spec: { containers: [{ $patch: "replace" }, { name: "solo", image: "x" }] } } } },
    schema,
  ) as typeof deployment;
  assert.deepEqual(replaced.spec.template.spec.containers, [{ name: "solo", image: "x" }]);

  const mapReplaced = applyStrategicMergePatch(
    deployment,
    { metadata: { labels: { $patch: "replace", new: "1" } } },
    schema,
  ) as typeof deployment;
  assert.deepEqual(mapReplaced.metadata.labels, { new: "1" });
});

test("strategic merge: an item without its merge key is an error", () => {
  assert.throws(
    () =>
      applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ image: "x" }] } } } }, schema),
    /merge key "name"/,
  );
});

test("strategic merge: Service ports merge by port", () => {
  const svc = { spec: { selector: { app: "a" }, ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  const out = applyStrategicMergePatch(
    svc,
    { spec: { selector: { tier: "b" }, ports: [{ port: 80, targetPort: 9090 }] } },
    builtinFieldSchema("Service"),
  ) as typeof svc;
  assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  assert.deepEqual(out.spec.selector, { app: "a", tier: "b" }, "a Service selector is a plain map");
});

test("strategic merge orders lists as the API server does", () => {
  const env = (names: string[]) => ({
    spec: { template: { spec: { containers: [{ name: "c", env: names.map((name) => ({ name, value: "1" })) }] } } },
  });
  const names = (obj: unknown) =>
    (obj as ReturnType<typeof env>).spec.template.spec.containers[0]?.env.map((e) => e.name);
  // Observed on the real 1.36 API server.
  assert.deepEqual(names(applyStrategicMergePatch(env(["A"]), env(["B", "C"]), schema)), ["B", "C", "A"]);
  assert.deepEqual(names(applyStrategicMergePatch(env(["A", "B"]), env(["B", "C"]), schema)), ["A", "B", "C"]);
});
