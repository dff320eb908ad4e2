import assert from "node:assert/strict";
import { test } from "node:test";
import { threeWayMergePatch } from "./three-way-merge.js";

test("a field removed from Git since the last apply is removed live; fields others set are kept", () => {
  const original = { data: { a: "1", b: "2" }, metadata: { labels: { team: "x", tier: "web" } } };
  const modified = { data: { a: "1" }, metadata: { labels: { team: "x" } } };
  const current = {
    data: { a: "1", b: "2", theirs: "3" },
    metadata: { labels: { team: "x", tier: "web", injected: "yes" }, uid: "u" },
    status: { ready: true },
  };
  assert.deepEqual(threeWayMergePatch(original, modified, current), {
    data: { b: null },
    metadata: { labels: { tier: null } },
  });
});

test("a changed or added field is set; a field someone changed live is set back", () => {
  const original = { spec: { replicas: 2, image: "web:1" } };
  const modified = { spec: { replicas: 2, image: "web:2", port: 80 } };
  const current = { spec: { replicas: 5, image: "web:1", defaulted: true } };
  assert.deepEqual(threeWayMergePatch(original, modified, current), {
    spec: { replicas: 2, image: "web:2", port: 80 },
  });
});

test("lists are replaced whole when they differ, left alone when equal", () => {
  const modified = { spec: { ports: [{ port: 80 }], args: ["a", "b"] } };
  const current = { spec: { ports: [{ port: 80 }, { port: 443 }], args: ["a", "b"] } };
  assert.deepEqual(threeWayMergePatch(modified, modified, current), { spec: { ports: [{ port: 80 }] } });
});

test("nothing applied before: nothing is removed; nothing changed: an empty patch", () => {
  const modified = { data: { a: "1" } };
  assert.deepEqual(threeWayMergePatch(undefined, modified, { data: { a: "1", b: "2" } }), {});
  assert.deepEqual(threeWayMergePatch(modified, modified, { data: { a: "1" } }), {});
});

test("a map removed from Git goes whole; a removed field that is already gone is not sent", () => {
  const original = { data: { a: "1" }, spec: { old: { x: 1 } } };
  const modified = { data: { a: "1" } };
  assert.deepEqual(threeWayMergePatch(original, modified, { data: { a: "1" }, spec: { old: { x: 1, y: 2 } } }), {
    spec: null,
  });
  assert.deepEqual(threeWayMergePatch(original, modified, { data: { a: "1" } }), {});
});

test("a value whose type changed is replaced; a null in Git for an unset field writes nothing", () => {
  assert.deepEqual(threeWayMergePatch(undefined, { spec: { x: "now a string" }, y: null }, { spec: { x: { a: 1 } } }), {
    spec: { x: "now a string" },
  });
  assert.deepEqual(threeWayMergePatch(undefined, { spec: { x: { a: 1 } } }, { spec: { x: "text" } }), {
    spec: { x: { a: 1 } },
  });
});
