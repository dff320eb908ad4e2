import assert from "node:assert/strict";
import { test } from "node:test";
import { type RenderCacheKeyParts, renderCacheKey, stableHash, stableStringify } from "./cache-key.js";

test("stableStringify sorts keys at every depth and drops undefined members", () => {
  assert.equal(
    stableStringify({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: undefined } }),
    '{"a":{"d":[2,{"x":2,"y":1}]},"b":1}',
  );
  assert.equal(stableStringify([undefined, "s", null]), '[null,"s",null]');
  assert.equal(stableHash({ a: 1, b: 2 }), stableHash({ b: 2, a: 1 }));
  assert.notEqual(stableHash({ a: 1 }), stableHash({ a: "1" }));
});

test("every part of the key changes it", () => {
  const base: RenderCacheKeyParts = {
    commit: "a".repeat(40),
    path: "envs/prod",
    tool: "helm",
    sourceHash: stableHash({ valueFiles: ["v.yaml"] }),
    toolVersions: { helm: "4.3.1" },
    inputs: { namespace: "web" },
  };
  const key = renderCacheKey(base);
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(renderCacheKey({ ...base, inputs: { namespace: "web" } }), key);
  const variants: RenderCacheKeyParts[] = [
    { ...base, commit: "b".repeat(40) },
    { ...base, path: "envs/dev" },
    { ...base, tool: "kustomize" },
    { ...base, sourceHash: stableHash({ valueFiles: ["w.yaml"] }) },
    { ...base, toolVersions: { helm: "4.3.2" } },
    { ...base, inputs: { namespace: "other" } },
  ];
  for (const v of variants) assert.notEqual(renderCacheKey(v), key, JSON.stringify(v));
});
