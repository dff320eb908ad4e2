import assert from "node:assert/strict";
import { test } from "node:test";
import { matchesFields, parseFieldSelector } from "./field-selector.js";
import { fromLabelSelectorObject, matchesLabels, parseLabelSelector, SelectorParseError } from "./label-selector.js";
import { builtinSelectableFields, customSelectableFields } from "./selectable-fields.js";

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
  const obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns1" } };
  assert.equal(matchesFields(parseFieldSelector("metadata.name=a"), obj), true);
  assert.equal(matchesFields(parseFieldSelector("metadata.name==b"), obj), false);
  assert.equal(matchesFields(parseFieldSelector("metadata.namespace!=ns1"), obj), false);
  assert.equal(matchesFields(parseFieldSelector("metadata.name=a,metadata.namespace=ns1"), obj), true);
  assert.throws(
    () => parseFieldSelector("spec.replicas=1"),
    (err: Error) =>
      err.message === '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
});

test("field selectors per kind, as kube-apiserver 1.36 registers and reads them", () => {
  const event = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "e", namespace: "ns" },
    involvedObject: { kind: "Application", name: "shop", namespace: "ns" },
    reason: "SyncFailed",
    type: "Warning",
    reportingComponent: "bosun.dev/agent",
  };
  const events = builtinSelectableFields("", "Event");
  const select = (text: string, fields = events, obj: object = event) =>
    matchesFields(parseFieldSelector(text, fields), obj as never);
  assert.equal(select("involvedObject.kind=Application,involvedObject.name=shop,type=Warning"), true);
  assert.equal(select("source=bosun.dev/agent"), true, "source falls back to the reporting controller");
  assert.equal(select("reason!=SyncFailed"), false);
  assert.throws(
    () => parseFieldSelector("message=x", events),
    /^SelectorParseError: field label not supported: message$/,
  );

  const pods = builtinSelectableFields("", "Pod");
  const pod = {
    metadata: { name: "p" },
    spec: { nodeName: "n1" },
    status: { phase: "Running", podIPs: [{ ip: "10.0.0.7" }] },
  };
  assert.equal(select("spec.host=n1,status.phase=Running,spec.hostNetwork=false", pods, pod), true);
  assert.equal(select("status.podIP=10.0.0.7", pods, pod), true);
  assert.equal(select("status.podIPs=10.0.0.7", pods, pod), false, "accepted, never matches a value");

  assert.equal(select("status.successful=0", builtinSelectableFields("batch", "Job"), { status: {} }), true);
  assert.throws(
    () => parseFieldSelector("spec.x=1", builtinSelectableFields("batch", "Job")),
    /field label "spec.x" not supported for Job/,
  );
  assert.throws(
    () => parseFieldSelector("metadata.namespace=a", builtinSelectableFields("", "Namespace")),
    /field label not supported/,
  );
  assert.equal(select("type=Opaque", builtinSelectableFields("", "Secret"), { type: "Opaque" }), true);

  const widgets = customSelectableFields(true, [".spec.color"]);
  assert.equal(
    select("spec.color=blue,metadata.namespace=ns", widgets, {
      metadata: { namespace: "ns" },
      spec: { color: "blue" },
    }),
    true,
  );
  assert.throws(() => parseFieldSelector("spec.size=1", widgets), /field label not supported: spec.size/);
  assert.throws(() => parseFieldSelector("metadata.namespace=a", customSelectableFields(false, [])), /not supported/);
});
