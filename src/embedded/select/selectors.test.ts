import assert from "node:assert/strict";
import { test } from "node:test";
import { matchesFields, parseFieldSelector } from "./field-selector.js";
import { fromLabelSelectorObject, matchesLabels, parseLabelSelector, SelectorParseError } from "./label-selector.js";

const web = { app: "web", tier: "front", "app.kubernetes.io/name": "shop" };

test("label selector: equality, inequality, sets and existence", () => {
  const cases: Array<[string, boolean]> = [
    ["app=web", true],
    ["app==web", true],
    ["app=db", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["app in (web, db)", true],
    ["app in (db)", false],
    ["app notin (db,cache)", true],
    ["app notin (web)", false],
    ["missing notin (web)", true],
    ["tier", true],
    ["missing", false],
    ["!missing", true],
    ["!tier", false],
    ["app=web,tier=front", true],
    ["app=web,tier=back", false],
    ["app in (web,db),!missing,app.kubernetes.io/name=shop", true],
    ["", true],
  ];
  for (const [text, expected] of cases) assert.equal(matchesLabels(parseLabelSelector(text), web), expected, text);
});

test("label selector: gt and lt compare integers", () => {
  assert.equal(matchesLabels(parseLabelSelector("n>3"), { n: "5" }), true);
  assert.equal(matchesLabels(parseLabelSelector("n<3"), { n: "5" }), false);
  assert.equal(matchesLabels(parseLabelSelector("n>3"), { n: "x" }), false);
});

test("label selector: malformed text is a parse error", () => {
  for (const bad of ["app in web", "a=b,,c=d", "bad key!=x=y", "app=has space"]) {
    assert.throws(() => parseLabelSelector(bad), SelectorParseError, bad);
  }
});

test("label selector object: matchLabels and matchExpressions", () => {
  const sel = fromLabelSelectorObject({
    matchLabels: { app: "web" },
    matchExpressions: [{ key: "tier", operator: "In", values: ["front", "mid"] }],
  });
  assert.equal(matchesLabels(sel, web), true);
  assert.equal(matchesLabels(sel, { app: "web", tier: "back" }), false);
  assert.throws(() => fromLabelSelectorObject({ matchExpressions: [{ key: "a", operator: "Near" }] }));
});

test("field selector: metadata.name and metadata.namespace, = and !=", () => {
  const obj = { metadata: { name: "a", namespace: "ns1" } };
  assert.equal(matchesFields(parseFieldSelector("metadata.name=a"), obj), true);
  assert.equal(matchesFields(parseFieldSelector("metadata.name==b"), obj), false);
  assert.equal(matchesFields(parseFieldSelector("metadata.namespace!=ns1"), obj), false);
  assert.equal(matchesFields(parseFieldSelector("metadata.name=a,metadata.namespace=ns1"), obj), true);
  assert.throws(() => parseFieldSelector("spec.replicas=1"), /field label not supported: spec.replicas/);
  assert.equal(
    matchesFields(parseFieldSelector("status.phase=Running", ["status.phase"]), { status: { phase: "Running" } }),
    true,
  );
});
