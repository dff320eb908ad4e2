import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../api/index.js";
import { ownedFields, ownedPointers } from "./fields-v1.js";

const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

function entry(obj: KubeObject, manager: string): Record<string, unknown> | undefined {
  const found = obj.metadata.managedFields?.find((e) => e.manager === manager);
  assert.ok(found, `no managedFields entry of ${manager}`);
  return found.fieldsV1;
}

describe("ownedFields on real managedFields", () => {
  test("bosun's apply set: f: names, k: items matched on every key field, '.' for the items themselves", () => {
    const live = fixture("deployment-applied-by-bosun");
    const C = "/spec/template/spec/containers";
    assert.deepEqual(ownedFields(live, entry(live, "bosun")), [
      { pointer: "/metadata/annotations/bosun.dev~1tracking-id", self: false },
      { pointer: "/metadata/labels/app.kubernetes.io~1name", self: false },
      { pointer: "/spec/replicas", self: false },
      { pointer: "/spec/selector", self: false },
      { pointer: "/spec/template/metadata/labels/app.kubernetes.io~1name", self: false },
      // k:{"name":"metrics"} comes first in the set but is the second container of the object.
      { pointer: `${C}/1`, self: true },
      { pointer: `${C}/1/image`, self: false },
      { pointer: `${C}/1/name`, self: false, key: true },
      { pointer: `${C}/1/ports/0`, self: true },
      { pointer: `${C}/1/ports/0/containerPort`, self: false, key: true },
      { pointer: `${C}/1/ports/0/name`, self: false },
      { pointer: `${C}/1/ports/0/protocol`, self: false, key: true },
      { pointer: `${C}/0`, self: true },
      { pointer: `${C}/0/args`, self: false },
      { pointer: `${C}/0/env/0`, self: true },
      { pointer: `${C}/0/env/0/name`, self: false, key: true },
      { pointer: `${C}/0/env/0/value`, self: false },
      { pointer: `${C}/0/env/1`, self: true },
      { pointer: `${C}/0/env/1/name`, self: false, key: true },
      { pointer: `${C}/0/env/1/value`, self: false },
      { pointer: `${C}/0/image`, self: false },
      { pointer: `${C}/0/name`, self: false, key: true },
      { pointer: `${C}/0/ports/0`, self: true },
      { pointer: `${C}/0/ports/0/containerPort`, self: false, key: true },
      { pointer: `${C}/0/ports/0/name`, self: false },
      { pointer: `${C}/0/ports/0/protocol`, self: false, key: true },
    ]);
  });

  const cases: Array<{ fixture: string; manager: string; pointers: string[] }> = [
    { fixture: "deployment-scaled-by-kubectl", manager: "kubectl", pointers: ["/spec/replicas"] },
    {
      fixture: "deployment-image-set-by-kubectl",
      manager: "kubectl-set",
      pointers: ["/spec/template/spec/containers/0/image"],
    },
    {
      fixture: "deployment-edited-by-kubectl",
      manager: "kubectl-edit",
      pointers: ["/spec/template/spec/containers/1/image"],
    },
    { fixture: "deployment-labelled-by-kubectl", manager: "kubectl-label", pointers: ["/metadata/labels/team"] },
    {
      fixture: "deployment-env-patched-by-kubectl",
      manager: "kubectl-patch",
      // env after the strategic merge: LOG_LEVEL (value changed), DEBUG (added), REGION.
      pointers: [
        "/spec/template/spec/containers/0/env/0/value",
        "/spec/template/spec/containers/0/env/1/name",
        "/spec/template/spec/containers/0/env/1/value",
      ],
    },
    {
      fixture: "deployment-container-added-by-kubectl",
      manager: "kubectl-patch",
      // strategic merge put the new container first: debug, web, metrics.
      pointers: [
        "/spec/template/spec/containers/0/command",
        "/spec/template/spec/containers/0/image",
        "/spec/template/spec/containers/0/imagePullPolicy",
        "/spec/template/spec/containers/0/name",
        "/spec/template/spec/containers/0/resources",
        "/spec/template/spec/containers/0/terminationMessagePath",
        "/spec/template/spec/containers/0/terminationMessagePolicy",
      ],
    },
  ];
  for (const c of cases) {
    test(`${c.manager} in ${c.fixture}`, () => {
      const live = fixture(c.fixture);
      assert.deepEqual(ownedPointers(live, entry(live, c.manager)).sort(), [...c.pointers].sort());
    });
  }

  test("the env fixture really has DEBUG second (guards the case above)", () => {
    const live = fixture("deployment-env-patched-by-kubectl");
    const spec = live.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string }> }> } } };
    assert.deepEqual(
      spec.template.spec.containers[0]?.env.map((e) => e.name),
      ["LOG_LEVEL", "DEBUG", "REGION"],
    );
  });

  test("v: set members resolve to the index of the equal primitive", () => {
    const live = fixture("deployment-finalizer-added-by-kubectl");
    assert.deepEqual(ownedFields(live, entry(live, "kubectl-patch")), [
      { pointer: "/metadata/finalizers", self: true },
      { pointer: "/metadata/finalizers/0", self: false },
    ]);
  });
});

describe("ownedFields on hand-made sets", () => {
  const pod = {
    spec: {
      ports: [
        { containerPort: 80, protocol: "UDP" },
        { containerPort: 80, protocol: "TCP" },
      ],
      finalizers: ["a", "b", { c: 1 }],
      items: ["x", "y", "z"],
    },
  };

  const cases: Array<[string, unknown, string[]]> = [
    [
      "a k: key matches on every field, not the first that fits",
      { "f:spec": { "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { "f:protocol": {} } } } },
      ["/spec/ports/1/protocol"],
    ],
    [
      "a k: item the object lacks yields nothing",
      { "f:spec": { "f:ports": { 'k:{"containerPort":443,"protocol":"TCP"}': { "f:name": {} } } } },
      [],
    ],
    [
      "v: values compare as JSON, objects too",
      { "f:spec": { "f:finalizers": { 'v:{"c":1}': {} } } },
      ["/spec/finalizers/2"],
    ],
    ["i: is an index", { "f:spec": { "f:items": { "i:2": {} } } }, ["/spec/items/2"]],
    ["i: past the end yields nothing", { "f:spec": { "f:items": { "i:3": {} } } }, []],
    ["an f: field the object lacks still resolves", { "f:spec": { "f:paused": {} } }, ["/spec/paused"]],
    ["field names are escaped", { "f:metadata": { "f:labels": { "f:a/b~c": {} } } }, ["/metadata/labels/a~1b~0c"]],
    [
      "malformed elements are skipped",
      { "f:spec": { "f:ports": { "k:not json": {}, "x:what": {} }, "f:items": { "i:01": {} } } },
      [],
    ],
    ["a k: against a map (not a list) yields nothing", { "f:spec": { 'k:{"a":1}': {} } }, []],
  ];
  for (const [name, set, expected] of cases) {
    test(name, () => {
      assert.deepEqual(ownedPointers(pod, set), expected);
    });
  }

  for (const bad of [undefined, null, "f:spec", [], 7]) {
    test(`a fieldsV1 that is not a map (${JSON.stringify(bad)}) owns nothing`, () => {
      assert.deepEqual(ownedFields(pod, bad), []);
    });
  }

  test("the same set resolves to each object's own indexes", () => {
    const set = { "f:spec": { "f:containers": { 'k:{"name":"web"}': { "f:image": {} } } } };
    const a = { spec: { containers: [{ name: "web" }, { name: "db" }] } };
    const b = { spec: { containers: [{ name: "db" }, { name: "web" }] } };
    assert.deepEqual(ownedPointers(a, set), ["/spec/containers/0/image"]);
    assert.deepEqual(ownedPointers(b, set), ["/spec/containers/1/image"]);
  });
});
