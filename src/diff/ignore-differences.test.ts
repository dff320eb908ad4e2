import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { IgnoreDifference, KubeObject, ObjectRef } from "../api/index.js";
import { changedPaths } from "./changed-paths.js";
import { IgnoreRuleError } from "./errors.js";
import { applyIgnoreDifferences, ruleMatches } from "./ignore-differences.js";
import { normalize } from "./normalize.js";

const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

describe("ruleMatches", () => {
  const web: ObjectRef = { group: "apps", kind: "Deployment", namespace: "prod", name: "web" };
  const cm: ObjectRef = { group: "", kind: "ConfigMap", namespace: "prod", name: "settings" };
  const cases: Array<[string, IgnoreDifference, ObjectRef, boolean]> = [
    ["group and kind", { group: "apps", kind: "Deployment" }, web, true],
    ["another group", { group: "extensions", kind: "Deployment" }, web, false],
    ["another kind", { group: "apps", kind: "StatefulSet" }, web, false],
    ["kind is case-sensitive", { group: "apps", kind: "deployment" }, web, false],
    ["core group as empty string", { group: "", kind: "ConfigMap" }, cm, true],
    ["core group left out", { kind: "ConfigMap" }, cm, true],
    ["a group where the object has none", { group: "apps", kind: "ConfigMap" }, cm, false],
    ["the right name", { group: "apps", kind: "Deployment", name: "web" }, web, true],
    ["another name", { group: "apps", kind: "Deployment", name: "api" }, web, false],
    ["the right namespace", { group: "apps", kind: "Deployment", namespace: "prod" }, web, true],
    ["another namespace", { group: "apps", kind: "Deployment", namespace: "dev" }, web, false],
    ["empty name and namespace mean any", { group: "apps", kind: "Deployment", name: "", namespace: "" }, web, true],
  ];
  for (const [name, rule, ref, expected] of cases) {
    test(`${name}: ${expected}`, () => {
      assert.equal(ruleMatches(rule, ref), expected);
    });
  }
});

describe("applyIgnoreDifferences: jsonPointers", () => {
  const live = normalize(fixture("deployment-drifted-by-several-managers"));
  const desired = normalize(fixture("deployment-dry-run-after-several-managers"));
  const IMAGE = "/spec/template/spec/containers/0/image";

  test("the pair differs in replicas and the web image (guards the cases below)", () => {
    assert.deepEqual(changedPaths(desired, live), ["/spec/replicas", IMAGE]);
  });

  const cases: Array<[string, IgnoreDifference[], string[]]> = [
    ["no rules", [], ["/spec/replicas", IMAGE]],
    ["replicas ignored", [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }], [IMAGE]],
    ["a list item's field ignored", [{ group: "apps", kind: "Deployment", jsonPointers: [IMAGE] }], ["/spec/replicas"]],
    [
      "both ignored, by two rules",
      [
        { group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] },
        { group: "apps", kind: "Deployment", name: "web", jsonPointers: ["/spec/template/spec/containers/0"] },
      ],
      [],
    ],
    ["an ancestor ignores everything under it", [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec"] }], []],
    [
      "a rule for another object does nothing",
      [{ group: "apps", kind: "Deployment", name: "api", jsonPointers: ["/spec/replicas"] }],
      ["/spec/replicas", IMAGE],
    ],
    [
      "a pointer to a field that does not exist does nothing",
      [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/nope", "/spec/template/spec/containers/9"] }],
      ["/spec/replicas", IMAGE],
    ],
  ];
  for (const [name, rules, expected] of cases) {
    test(name, () => {
      const out = applyIgnoreDifferences({ desired, live, rules });
      assert.deepEqual(changedPaths(out.desired, out.live), expected);
    });
  }

  test("removes from both sides, and the rest stays", () => {
    const rules = [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }];
    const out = applyIgnoreDifferences({ desired, live, rules });
    for (const side of [out.desired, out.live]) {
      const spec = side.spec as Record<string, unknown>;
      assert.equal("replicas" in spec, false);
      assert.equal(spec.minReadySeconds, 10);
    }
  });

  test("escaped pointers reach keys with '/' in them", () => {
    const rules = [
      { group: "apps", kind: "Deployment", jsonPointers: ["/metadata/annotations/bosun.dev~1tracking-id"] },
    ];
    const out = applyIgnoreDifferences({ desired, live, rules });
    assert.equal(out.live.metadata.annotations?.["bosun.dev/tracking-id"], undefined);
    assert.equal(out.live.metadata.annotations?.["deployment.kubernetes.io/revision"], "2");
  });

  test("never mutates its inputs", () => {
    const before = structuredClone({ desired, live });
    applyIgnoreDifferences({ desired, live, rules: [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec"] }] });
    assert.deepEqual({ desired, live }, before);
  });

  for (const bad of ["spec/replicas", "/spec/~2", ""]) {
    test(`a malformed pointer ${JSON.stringify(bad)} is an IgnoreRuleError naming the object`, () => {
      const rules = [{ group: "apps", kind: "Deployment", jsonPointers: [bad] }];
      assert.throws(
        () => applyIgnoreDifferences({ desired, live, rules }),
        (err: unknown) =>
          err instanceof IgnoreRuleError &&
          err.name === "IgnoreRuleError" &&
          /Deployment\.apps\/prod\/web/.test(err.message),
      );
    });
  }
});

describe("applyIgnoreDifferences: managedFieldsManagers", () => {
  function ignoring(liveName: string, dryRunName: string, managers: string[]): string[] {
    const raw = fixture(liveName);
    const out = applyIgnoreDifferences({
      desired: normalize(fixture(dryRunName)),
      live: normalize(raw),
      liveWithManagedFields: raw,
      rules: [{ group: "apps", kind: "Deployment", managedFieldsManagers: managers }],
    });
    return changedPaths(out.desired, out.live);
  }

  const cases: Array<[string, string, string[], string[]]> = [
    ["deployment-scaled-by-kubectl", "deployment-dry-run-after-scale", ["kubectl"], []],
    ["deployment-scaled-by-kubectl", "deployment-dry-run-after-scale", ["kubectl-set"], ["/spec/replicas"]],
    ["deployment-image-set-by-kubectl", "deployment-dry-run-after-set-image", ["kubectl-set"], []],
    ["deployment-edited-by-kubectl", "deployment-dry-run-after-edit", ["kubectl-edit"], []],
    [
      "deployment-client-side-applied-by-kubectl",
      "deployment-dry-run-after-client-side-apply",
      ["kubectl-client-side-apply"],
      [],
    ],
    [
      "deployment-drifted-by-several-managers",
      "deployment-dry-run-after-several-managers",
      ["kubectl"],
      ["/spec/template/spec/containers/0/image"],
    ],
    [
      "deployment-drifted-by-several-managers",
      "deployment-dry-run-after-several-managers",
      ["kubectl", "kubectl-set"],
      [],
    ],
  ];
  for (const [liveName, dryRunName, managers, expected] of cases) {
    test(`${liveName} ignoring ${managers.join(", ")} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(ignoring(liveName, dryRunName, managers), expected);
    });
  }

  test("an item co-owned through '.' keeps the other owners' fields", () => {
    const container = { name: "web", image: "nginx:1.28", imagePullPolicy: "IfNotPresent", args: ["-v"] };
    const live: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "w",
        managedFields: [
          {
            manager: "bosun",
            operation: "Apply",
            fieldsV1: { "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:name": {}, "f:args": {} } } } },
          },
          {
            manager: "other",
            operation: "Apply",
            fieldsV1: {
              "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:name": {}, "f:image": {} } } },
            },
          },
        ],
      },
      spec: { containers: [container] },
    };
    const desired: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "w" },
      spec: { containers: [{ ...container, image: "nginx:1.27", args: ["-q"] }] },
    };
    const out = applyIgnoreDifferences({
      desired,
      live,
      rules: [{ group: "apps", kind: "Deployment", managedFieldsManagers: ["other"] }],
    });
    // image goes; name stays (the item's key: it keeps the item pairable by name); args is bosun's.
    assert.deepEqual(out.live.spec, { containers: [{ name: "web", imagePullPolicy: "IfNotPresent", args: ["-v"] }] });
    assert.deepEqual(changedPaths(out.desired, { ...out.live, metadata: { name: "w" } }), ["/spec/containers/0/args"]);
  });

  test("an item the manager created, with nothing of anyone else inside, goes as a whole", () => {
    const raw = fixture("deployment-container-added-by-kubectl");
    const out = applyIgnoreDifferences({
      desired: normalize(fixture("deployment-dry-run-after-container-added")),
      live: normalize(raw),
      liveWithManagedFields: raw,
      rules: [{ group: "apps", kind: "Deployment", managedFieldsManagers: ["kubectl-patch"] }],
    });
    for (const side of [out.live, out.desired]) {
      const names = (
        side.spec as { template: { spec: { containers: Array<{ name?: string }> } } }
      ).template.spec.containers.map((c) => c.name);
      assert.deepEqual(names, ["web", "metrics"]);
    }
  });

  test("several owned list items are removed without index shifts hitting the wrong one", () => {
    const live: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "c",
        finalizers: ["a", "b", "c", "d"],
        managedFields: [
          {
            manager: "other",
            operation: "Update",
            fieldsV1: { "f:metadata": { "f:finalizers": { 'v:"a"': {}, 'v:"c"': {} } } },
          },
        ],
      },
    };
    const desired: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", finalizers: ["c", "b", "a"] },
    };
    const out = applyIgnoreDifferences({
      desired,
      live,
      rules: [{ group: "", kind: "ConfigMap", managedFieldsManagers: ["other"] }],
    });
    assert.deepEqual(out.live.metadata.finalizers, ["b", "d"]);
    assert.deepEqual(out.desired.metadata.finalizers, ["b"]);
  });

  test("ownership is read from the live object, never from desired's managedFields", () => {
    const fields = { "f:spec": { "f:replicas": {} } };
    const live: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "w" },
      spec: { replicas: 5 },
    };
    const desired: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "w", managedFields: [{ manager: "hpa", operation: "Update", fieldsV1: fields }] },
      spec: { replicas: 2 },
    };
    const out = applyIgnoreDifferences({
      desired,
      live,
      rules: [{ group: "apps", kind: "Deployment", managedFieldsManagers: ["hpa"] }],
    });
    assert.deepEqual(changedPaths(out.desired, out.live), ["/metadata/managedFields", "/spec/replicas"]);
  });
});
