import assert from "node:assert/strict";
import { test } from "node:test";
import { safeEncode, templateHash } from "./template-hash.js";

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1" }] } };

test("a template hash is spelled in the safe alphabet and is the same for equal templates in any key order", () => {
  const hash = templateHash(template);
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  const reordered = { spec: { containers: [{ image: "nginx:1", name: "web" }] }, metadata: { labels: { app: "web" } } };
  assert.equal(templateHash(reordered), hash);
});

test("a different template, or a collision count, gives a different hash", () => {
  const other = structuredClone(template);
  other.spec.containers[0] = { name: "web", image: "nginx:2" };
  assert.notEqual(templateHash(other), templateHash(template));
  assert.notEqual(templateHash(template, 1), templateHash(template));
});

test("safe encoding maps each character by its code modulo the alphabet", () => {
  // "0" is 48: 48 % 27 = 21 → "4"; "9" is 57: 57 % 27 = 3 → "f".
  assert.equal(safeEncode("09"), "4f");
});
