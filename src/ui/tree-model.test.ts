import assert from "node:assert/strict";
import { test } from "node:test";
import { DecodeError, type WaveGroup } from "./model.js";
import {
  decodeManifests,
  decodeTree,
  isDescendant,
  objectName,
  type ResourceTreeView,
  refKey,
  type TreeSection,
  treeSections,
} from "./tree-model.js";

// As the server answers GET …/tree (src/controller/resource-tree.ts).
const ANSWER = {
  nodes: [
    {
      group: "apps",
      kind: "Deployment",
      namespace: "shop",
      name: "web",
      uid: "u1",
      health: { status: "Healthy", message: "" },
      sync: "Synced",
      info: ["2/2 ready", "nginx:1.27"],
      children: [
        {
          group: "apps",
          kind: "ReplicaSet",
          namespace: "shop",
          name: "web-5d9c",
          health: { status: "Healthy", message: "" },
          children: [
            { group: "", kind: "Pod", namespace: "shop", name: "web-5d9c-a", info: ["Running", 7], children: [] },
            { group: "", kind: "Pod", namespace: "shop", name: "web-5d9c-b", children: [] },
          ],
        },
      ],
    },
    { group: "", kind: "ConfigMap", namespace: "shop", name: "big-1", children: [] },
  ],
  omitted: 3,
};

const waves: WaveGroup[] = [
  {
    wave: 0,
    resources: [
      { group: "", kind: "ConfigMap", namespace: "shop", name: "settings", status: "Missing", wave: 0 },
      {
        group: "apps",
        kind: "Deployment",
        namespace: "shop",
        name: "web",
        status: "Synced",
        health: "Healthy",
        wave: 0,
      },
    ],
  },
];

const outline = (sections: TreeSection[]) =>
  sections.map((s) => ({
    wave: s.wave,
    rows: s.rows.map((r) => `${"  ".repeat(r.depth)}${r.ref.kind}/${r.ref.name}${r.folded ? " (folded)" : ""}`),
  }));

test("the tree answer decodes to nested nodes; a wrong shape is refused", () => {
  const tree = decodeTree(ANSWER);
  assert.equal(tree.omitted, 3);
  assert.equal(tree.nodes[0]?.health?.status, "Healthy");
  assert.deepEqual(tree.nodes[0]?.children[0]?.children[0]?.info, ["Running"], "only strings are kept as info");
  assert.deepEqual(tree.nodes[1]?.info, []);
  assert.throws(() => decodeTree({ nodes: "x" }), DecodeError);
  assert.throws(() => decodeTree({ nodes: [{ kind: "Pod", children: [] }] }), /nodes\[0\]\.name/);
  assert.throws(
    () => decodeTree({ nodes: [{ kind: "Pod", name: "p", children: [{ name: "q" }] }] }),
    /children\[0\]\.kind/,
  );
});

test("a resource's manifests decode; status is required", () => {
  assert.deepEqual(decodeManifests({ live: "a: 1\n", status: "Child", extra: true }), {
    live: "a: 1\n",
    desired: undefined,
    diff: undefined,
    status: "Child",
    note: undefined,
  });
  assert.throws(() => decodeManifests({ live: "x" }), /resource\.status/);
});

test("rows: the status's objects by wave with their descendants, then the tree's other objects", () => {
  const tree = decodeTree(ANSWER);
  assert.deepEqual(outline(treeSections(waves, tree, new Set())), [
    {
      wave: 0,
      rows: [
        "ConfigMap/settings",
        "Deployment/web",
        "  ReplicaSet/web-5d9c",
        "    Pod/web-5d9c-a",
        "    Pod/web-5d9c-b",
      ],
    },
    { wave: undefined, rows: ["ConfigMap/big-1"] },
  ]);
  const rows = treeSections(waves, tree, new Set()).flatMap((s) => s.rows);
  assert.equal(rows[1]?.resource?.status, "Synced", "a top-level row keeps what the status says");
  assert.equal(rows[1]?.node?.uid, "u1", "and what the tree read");
  assert.equal(rows[1]?.hasChildren, true);
  assert.equal(rows[2]?.resource, undefined, "a descendant has no status of its own");
});

test("folding an object hides its descendants, not itself; before the tree is read only the status shows", () => {
  const tree = decodeTree(ANSWER);
  const folded = new Set([refKey({ group: "apps", kind: "ReplicaSet", namespace: "shop", name: "web-5d9c" })]);
  assert.deepEqual(outline(treeSections(waves, tree, folded))[0]?.rows, [
    "ConfigMap/settings",
    "Deployment/web",
    "  ReplicaSet/web-5d9c (folded)",
  ]);
  const top = new Set([refKey({ group: "apps", kind: "Deployment", namespace: "shop", name: "web" })]);
  assert.deepEqual(outline(treeSections(waves, tree, top))[0]?.rows, ["ConfigMap/settings", "Deployment/web (folded)"]);
  assert.deepEqual(outline(treeSections(waves, undefined, new Set())), [
    { wave: 0, rows: ["ConfigMap/settings", "Deployment/web"] },
  ]);
});

test("descendants are told from the Application's own objects; names read as the rows' labels", () => {
  const tree: ResourceTreeView = decodeTree(ANSWER);
  assert.equal(isDescendant(tree, { group: "", kind: "Pod", namespace: "shop", name: "web-5d9c-b" }), true);
  assert.equal(isDescendant(tree, { group: "apps", kind: "Deployment", namespace: "shop", name: "web" }), false);
  assert.equal(isDescendant(tree, { group: "", kind: "Pod", namespace: "shop", name: "elsewhere" }), false);
  assert.equal(isDescendant(undefined, { group: "", kind: "Pod", namespace: "shop", name: "web-5d9c-b" }), false);
  assert.equal(
    objectName({ group: "apps", kind: "Deployment", namespace: "shop", name: "web" }),
    "Deployment.apps shop/web",
  );
  assert.equal(objectName({ group: "", kind: "Namespace", namespace: "", name: "shop" }), "Namespace shop");
});
