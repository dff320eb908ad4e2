import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDiff, sideBySide } from "./diff-model.js";

// As the server writes it (src/controller/app-diff.ts with src/diff/unified-diff.ts).
const TEXT = `revision 1a2b3c4 (scale web)
--- live/Deployment.apps/shop/web
+++ desired/Deployment.apps/shop/web
@@ -3,5 +3,5 @@
   name: web
   namespace: shop
 spec:
-  replicas: 5
+  replicas: 1
   selector:

--- live/Secret/shop/db
+++ desired/Secret/shop/db
@@ -1,3 +1,3 @@
 data:
-  password: '*** (before)'
+  password: '*** (after)'
 kind: Secret

=== ConfigMap/shop/settings: missing (will be created)
`;

test("a diff reads as its heading and one section per object", () => {
  const diff = parseDiff(TEXT);
  assert.equal(diff.heading, "revision 1a2b3c4 (scale web)");
  assert.deepEqual(
    diff.sections.map((s) => [s.title, s.note, s.hunks.length]),
    [
      ["Deployment.apps/shop/web", undefined, 1],
      ["Secret/shop/db", undefined, 1],
      ["ConfigMap/shop/settings", "missing (will be created)", 0],
    ],
  );
});

test("hunk lines carry their kind and the line numbers of each side", () => {
  const hunk = parseDiff(TEXT).sections[0]?.hunks[0];
  assert.ok(hunk);
  assert.equal(hunk.header, "@@ -3,5 +3,5 @@");
  assert.deepEqual(
    hunk.lines.map((l) => [l.kind, l.text, l.oldNo, l.newNo]),
    [
      ["context", "  name: web", 3, 3],
      ["context", "  namespace: shop", 4, 4],
      ["context", "spec:", 5, 5],
      ["removed", "  replicas: 5", 6, undefined],
      ["added", "  replicas: 1", undefined, 6],
      ["context", "  selector:", 7, 7],
    ],
  );
});

test("a removed line that looks like a file header stays in its hunk (lines are counted off the header)", () => {
  const text = "--- live/ConfigMap/a/b\n+++ desired/ConfigMap/a/b\n@@ -1,2 +1,1 @@\n--- live/x\n keep\n";
  const [section] = parseDiff(text).sections;
  assert.equal(parseDiff(text).sections.length, 1);
  assert.deepEqual(
    section?.hunks[0]?.lines.map((l) => [l.kind, l.text]),
    [
      ["removed", "-- live/x"],
      ["context", "keep"],
    ],
  );
});

test("no differences: no sections", () => {
  assert.deepEqual(parseDiff("revision 1a2b3c4 (x)\nno differences\n").sections, []);
});

test("side by side pairs removals with the additions after them; context is on both sides", () => {
  const text = "--- live/K/n\n+++ desired/K/n\n@@ -1,4 +1,3 @@\n a\n-b\n-c\n+B\n d\n";
  const hunk = parseDiff(text).sections[0]?.hunks[0];
  assert.ok(hunk);
  const rows = sideBySide(hunk).map((r) => [r.left?.text ?? null, r.right?.text ?? null]);
  assert.deepEqual(rows, [
    ["a", "a"],
    ["b", "B"],
    ["c", null],
    ["d", "d"],
  ]);
});
