import assert from "node:assert/strict";
import { test } from "node:test";
import { describeScope, encryptionLabel, isSealingScope, scopeFromAnnotations, withScopeAnnotations } from "./scope.js";

const CW = "sealedsecrets.bitnami.com/cluster-wide";
const NW = "sealedsecrets.bitnami.com/namespace-wide";

test("the annotations select the scope; cluster-wide wins; only the value true counts", () => {
  assert.equal(scopeFromAnnotations(undefined), "strict");
  assert.equal(scopeFromAnnotations({ [NW]: "true" }), "namespace-wide");
  assert.equal(scopeFromAnnotations({ [CW]: "true" }), "cluster-wide");
  assert.equal(scopeFromAnnotations({ [CW]: "true", [NW]: "true" }), "cluster-wide");
  assert.equal(scopeFromAnnotations({ [CW]: "True", [NW]: "yes" }), "strict");
  assert.equal(scopeFromAnnotations({ [CW]: "false", [NW]: "true" }), "namespace-wide");
});

test("labels: namespace/name with a slash (strict), the namespace, or nothing", () => {
  assert.equal(encryptionLabel("strict", "prod", "db").toString("utf8"), "prod/db");
  assert.equal(encryptionLabel("namespace-wide", "prod", "db").toString("utf8"), "prod");
  assert.equal(encryptionLabel("cluster-wide", "prod", "db").length, 0);
  // The label is UTF-8 bytes of the names, nothing else.
  assert.deepEqual([...encryptionLabel("strict", "a", "b")], [0x61, 0x2f, 0x62]);
});

test("scope annotations are rewritten for the chosen scope, other annotations kept", () => {
  assert.deepEqual(withScopeAnnotations({ team: "a", [NW]: "true" }, "cluster-wide"), { team: "a", [CW]: "true" });
  assert.deepEqual(withScopeAnnotations({ [CW]: "true" }, "namespace-wide"), { [NW]: "true" });
  assert.equal(withScopeAnnotations({ [CW]: "true", [NW]: "true" }, "strict"), undefined);
  assert.deepEqual(withScopeAnnotations({ team: "a" }, "strict"), { team: "a" });
});

test("scope names parse strictly and describe themselves with public names only", () => {
  assert.ok(isSealingScope("namespace-wide"));
  assert.ok(!isSealingScope("namespace"));
  assert.ok(!isSealingScope("Strict"));
  assert.equal(describeScope("strict", "ns", "n"), 'scope strict, "ns/n"');
  assert.equal(describeScope("cluster-wide", "ns", "n"), "scope cluster-wide");
});
