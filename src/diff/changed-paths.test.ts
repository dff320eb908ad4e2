import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { changedPaths, changedValues } from "./changed-paths.js";

const deployment = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "prod" },
  spec: { replicas: 2, template: { spec: { containers } }, ...extra },
});
const web = (image = "nginx:1.27", more: Record<string, unknown> = {}) => ({ name: "web", image, ...more });
const sidecar = { name: "metrics", image: "exporter:1.3" };

describe("changedPaths", () => {
  const C = "/spec/template/spec/containers";
  const cases: Array<[string, unknown, unknown, string[]]> = [
    ["equal objects", deployment([web(), sidecar]), deployment([web(), sidecar]), []],
    ["map key order does not matter", { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, []],
    ["a scalar", deployment([web()]), deployment([web()], { replicas: 5 }), ["/spec/replicas"]],
    ["a key only on the left", { a: 1, gone: { deep: true } }, { a: 1 }, ["/gone"]],
    ["a key only on the right", { a: 1 }, { a: 1, added: { deep: true } }, ["/added"]],
    ["null is not absent", { a: null }, {}, ["/a"]],
    ["a number is not its string", { a: 1 }, { a: "1" }, ["/a"]],
    [
      "one changed container, paired by name",
      deployment([web(), sidecar]),
      deployment([web("nginx:1.28"), sidecar]),
      [`${C}/0/image`],
    ],
    [
      "paired by name when the order differs: the pointer uses the right side's index",
      deployment([web(), sidecar]),
      deployment([sidecar, web("nginx:1.28")]),
      [`${C}/1/image`],
    ],
    ["an item only on the left: the left's index", deployment([sidecar, web()]), deployment([web()]), [`${C}/0`]],
    ["an item only on the right: the right's index", deployment([web()]), deployment([web(), sidecar]), [`${C}/1`]],
    [
      "named items nest: env of a container",
      deployment([
        web("x", {
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
        }),
      ]),
      deployment([
        web("x", {
          env: [
            { name: "A", value: "1" },
            { name: "B", value: "3" },
          ],
        }),
      ]),
      [`${C}/0/env/1/value`],
    ],
    [
      "an array of primitives compares as a whole",
      { args: ["-g", "daemon off;"] },
      { args: ["-g", "daemon on;"] },
      ["/args"],
    ],
    [
      "an array of maps without names compares as a whole",
      { ports: [{ port: 80 }, { port: 443 }] },
      { ports: [{ port: 80 }, { port: 8443 }] },
      ["/ports"],
    ],
    [
      "duplicate names cannot pair: the whole array",
      {
        env: [
          { name: "A", value: "1" },
          { name: "A", value: "2" },
        ],
      },
      {
        env: [
          { name: "A", value: "1" },
          { name: "A", value: "3" },
        ],
      },
      ["/env"],
    ],
    [
      "mixed named and unnamed items: the whole array",
      { l: [{ name: "a", v: 1 }, { v: 2 }] },
      { l: [{ name: "a", v: 9 }, { v: 2 }] },
      ["/l"],
    ],
    ["an empty list against a named list pairs", { l: [] }, { l: [{ name: "a" }] }, ["/l/0"]],
    ["an array against a map", { a: [1] }, { a: { 0: 1 } }, ["/a"]],
    [
      "keys are escaped",
      { metadata: { labels: { "app.kubernetes.io/name": "a", "x~y": "1" } } },
      { metadata: { labels: { "app.kubernetes.io/name": "b", "x~y": "2" } } },
      ["/metadata/labels/app.kubernetes.io~1name", "/metadata/labels/x~0y"],
    ],
    ["different types at the root: the whole document", { a: 1 }, [1], [""]],
    ["undefined against an object: the whole document", undefined, { a: 1 }, [""]],
    [
      "several leaves, left keys first then keys only on the right",
      { b: 1, a: { x: 1, y: 2 }, gone: 0 },
      { a: { x: 2, y: 2 }, b: 2, new: 1 },
      ["/b", "/a/x", "/gone", "/new"],
    ],
  ];
  for (const [name, a, b, expected] of cases) {
    test(name, () => {
      assert.deepEqual(changedPaths(a, b), expected);
    });
  }

  test("symmetric except for indexes: swapping sides gives the same set of differences", () => {
    const a = deployment([web(), sidecar], { paused: true });
    const b = deployment([web("nginx:1.28"), sidecar], { replicas: 3 });
    assert.deepEqual(changedPaths(a, b).sort(), changedPaths(b, a).sort());
  });
});

describe("changedValues", () => {
  const C = "/spec/template/spec/containers";

  test("each difference with the value on each side", () => {
    assert.deepEqual(changedValues({ a: 1, gone: { deep: true }, same: 0 }, { a: 2, added: [1], same: 0 }), [
      { path: "/a", a: 1, b: 2 },
      { path: "/gone", a: { deep: true }, b: undefined },
      { path: "/added", a: undefined, b: [1] },
    ]);
  });

  test("items paired by name take their values from each side's item, whatever the index", () => {
    const values = changedValues(deployment([web(), sidecar]), deployment([sidecar, web("nginx:1.28")]));
    assert.deepEqual(values, [{ path: `${C}/1/image`, a: "nginx:1.27", b: "nginx:1.28" }]);
  });

  test("an item only on one side is that item", () => {
    assert.deepEqual(changedValues(deployment([sidecar, web()]), deployment([web()])), [
      { path: `${C}/0`, a: sidecar, b: undefined },
    ]);
  });

  test("the paths are exactly changedPaths'", () => {
    const a = deployment([web(), sidecar], { paused: true });
    const b = deployment([web("nginx:1.28")], { replicas: 3 });
    assert.deepEqual(
      changedValues(a, b).map((v) => v.path),
      changedPaths(a, b),
    );
  });
});
