import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ObjectRef } from "../api/index.js";
import { renderDiff, toYaml } from "./unified-diff.js";

const web: ObjectRef = { group: "apps", kind: "Deployment", namespace: "prod", name: "web" };

describe("renderDiff", () => {
  const live = { spec: { replicas: 5, paused: false, selector: { app: "web" } } };
  const desired = { spec: { replicas: 2, paused: false, selector: { app: "web" } } };

  test("headers name the sides and the object (describeRef)", () => {
    const lines = renderDiff({ ref: web, live, desired }).split("\n");
    assert.deepEqual(lines.slice(0, 2), ["--- live/Deployment.apps/prod/web", "+++ desired/Deployment.apps/prod/web"]);
  });

  const headers: Array<[ObjectRef, string]> = [
    [{ group: "", kind: "Secret", namespace: "prod", name: "db" }, "--- live/Secret/prod/db"],
    [
      { group: "rbac.authorization.k8s.io", kind: "ClusterRole", namespace: "", name: "view" },
      "--- live/ClusterRole.rbac.authorization.k8s.io/view",
    ],
  ];
  for (const [ref, header] of headers) {
    test(`header ${header}`, () => {
      assert.equal(renderDiff({ ref, live: { a: 1 }, desired: { a: 2 } }).split("\n")[0], header);
    });
  }

  test("live is '-', desired is '+', unchanged lines are context", () => {
    const text = renderDiff({ ref: web, live, desired });
    assert.match(text, /^- {2}replicas: 5$/m);
    assert.match(text, /^\+ {2}replicas: 2$/m);
    assert.match(text, /^ {3}paused: false$/m);
    assert.match(text, /^@@ -1,\d+ \+1,\d+ @@$/m);
  });

  test("equal renderings give an empty string", () => {
    assert.equal(renderDiff({ ref: web, live, desired: structuredClone(live) }), "");
  });

  test("context 0 shows only the changed lines", () => {
    const text = renderDiff({ ref: web, live, desired, context: 0 });
    assert.equal(text.includes("paused"), false);
    assert.ok(text.includes("replicas"));
  });

  test("an absent live side (Missing) shows desired as all additions", () => {
    const body = renderDiff({ ref: web, live: undefined, desired })
      .split("\n")
      .slice(3)
      .filter((l) => l !== "");
    assert.ok(body.length > 0);
    for (const line of body) assert.ok(line.startsWith("+"), line);
  });

  test("an absent desired side (Extraneous) shows live as all removals", () => {
    const body = renderDiff({ ref: web, live, desired: undefined })
      .split("\n")
      .slice(3)
      .filter((l) => l !== "");
    for (const line of body) assert.ok(line.startsWith("-"), line);
  });
});

describe("toYaml", () => {
  test("keeps the key order the object has", () => {
    assert.equal(toYaml({ zeta: 1, alpha: 2, mid: { b: 1, a: 2 } }), "zeta: 1\nalpha: 2\nmid:\n  b: 1\n  a: 2\n");
  });

  test("never folds long strings, so one field stays on one line", () => {
    const long = `${"word ".repeat(60)}end`;
    assert.equal(toYaml({ long }).trimEnd().split("\n").length, 1);
  });

  test("absent is the empty document", () => {
    assert.equal(toYaml(undefined), "");
  });
});
