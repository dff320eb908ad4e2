import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../api/index.js";
import { changedPaths } from "./changed-paths.js";
import { LAST_APPLIED_ANNOTATION, normalize } from "./normalize.js";

const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("normalize", () => {
  const live = fixture("deployment-client-side-applied-by-kubectl");

  test("the fixture carries everything normalize must drop (guards the tests below)", () => {
    const m = live.metadata;
    for (const field of ["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp"])
      assert.ok(m[field] !== undefined, `fixture lacks metadata.${field}`);
    assert.ok(m.annotations?.[LAST_APPLIED_ANNOTATION]);
    assert.ok(live.status);
  });

  const dropped: Array<[string, (o: KubeObject) => unknown]> = [
    ["metadata.managedFields", (o) => o.metadata.managedFields],
    ["metadata.resourceVersion", (o) => o.metadata.resourceVersion],
    ["metadata.generation", (o) => o.metadata.generation],
    ["metadata.uid", (o) => o.metadata.uid],
    ["metadata.creationTimestamp", (o) => o.metadata.creationTimestamp],
    ["metadata.selfLink", (o) => o.metadata.selfLink],
    ["the last-applied annotation", (o) => o.metadata.annotations?.[LAST_APPLIED_ANNOTATION]],
    ["status", (o) => o.status],
  ];
  for (const [what, read] of dropped) {
    test(`drops ${what}`, () => {
      const withSelfLink = { ...live, metadata: { ...live.metadata, selfLink: "/apis/apps/v1/x" } };
      assert.equal(read(normalize(withSelfLink)), undefined);
    });
  }

  test("keeps what users and controllers set: name, labels, other annotations, spec", () => {
    const out = normalize(live);
    assert.equal(out.metadata.name, "web");
    assert.equal(out.metadata.namespace, "prod");
    assert.deepEqual(out.metadata.labels, { "app.kubernetes.io/name": "web" });
    assert.deepEqual(out.metadata.annotations, {
      "bosun.dev/tracking-id": "bosun/shop:apps/Deployment:prod/web",
      "deployment.kubernetes.io/revision": "2",
    });
    assert.deepEqual(out.spec, live.spec);
  });

  test("never mutates its input (frozen input, equal before and after)", () => {
    const before = structuredClone(live);
    const frozen = deepFreeze(structuredClone(live));
    normalize(frozen);
    assert.deepEqual(frozen, before);
  });

  test("the result shares nothing with the input", () => {
    const input: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } };
    const out = normalize(input);
    (out.data as Record<string, string>).a = "changed";
    assert.deepEqual(input.data, { a: "1" });
  });

  test("an annotations map left empty is dropped, so it equals an object without annotations", () => {
    const withOnlyLastApplied: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", annotations: { [LAST_APPLIED_ANNOTATION]: "{}" } },
    };
    const without: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } };
    assert.deepEqual(normalize(withOnlyLastApplied), normalize(without));
    assert.equal("annotations" in normalize(withOnlyLastApplied).metadata, false);
  });

  test("tolerates an object without metadata or status", () => {
    const bare = { apiVersion: "v1", kind: "ConfigMap" } as KubeObject;
    assert.deepEqual(normalize(bare), { apiVersion: "v1", kind: "ConfigMap" });
  });

  test("a real dry-run read moments after live differs only in bookkeeping and status: normalised, they are equal", () => {
    const live = fixture("deployment-container-added-by-kubectl");
    const dryRun = fixture("deployment-dry-run-after-container-added");
    assert.deepEqual(changedPaths(live, dryRun), [
      "/metadata/resourceVersion",
      "/status/availableReplicas",
      "/status/conditions",
      "/status/readyReplicas",
      "/status/replicas",
    ]);
    assert.deepEqual(changedPaths(normalize(live), normalize(dryRun)), []);
  });

  test("normalising a real drifted pair leaves exactly the drifted field", () => {
    const live = fixture("deployment-scaled-by-kubectl");
    const dryRun = fixture("deployment-dry-run-after-scale");
    assert.ok(changedPaths(live, dryRun).includes("/metadata/managedFields"));
    assert.deepEqual(changedPaths(normalize(live), normalize(dryRun)), ["/spec/replicas"]);
  });
});
