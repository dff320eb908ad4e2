import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinFieldSchema } from "../resources/field-schema.js";
import { ApplyConflictError, serverSideApply } from "./apply.js";
import { describePath, FieldSet } from "./field-set.js";
import { decodeManagedFields, encodeManagedFields, type ManagerEntry } from "./managed-fields.js";
import { fieldSetOf } from "./to-field-set.js";
import { trackUpdate } from "./track-update.js";

const cmSchema = builtinFieldSchema("ConfigMap");
const deploySchema = builtinFieldSchema("Deployment");
const now = "2026-01-01T00:00:00Z";

function cm(data: Record<string, string>) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "s1", namespace: "ns" }, data };
}

function fieldsOf(managers: ManagerEntry[], manager: string): unknown {
  return managers.find((m) => m.manager === manager)?.fields.toFieldsV1();
}

test("fieldsV1 round trip keeps '.', keys and values", () => {
  const json = {
    "f:metadata": { "f:labels": { ".": {}, "f:app": {} }, "f:finalizers": { 'v:"a"': {} } },
    "f:spec": { "f:containers": { 'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {} } } },
  };
  const set = FieldSet.fromFieldsV1(json);
  assert.deepEqual(set.toFieldsV1(), json);
  assert.equal(set.has(["f:metadata", "f:labels"]), true);
  assert.equal(set.has(["f:spec"]), false);
  assert.equal(set.hasPrefix(["f:spec"]), true);
  assert.equal(
    describePath(["f:spec", "f:containers", 'k:{"name":"web"}', "f:image"]),
    '.spec.containers[name="web"].image',
  );
});

test("field set of a Deployment: keyed containers and ports (protocol defaulted), atomic selector", () => {
  const set = fieldSetOf(
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: { spec: { containers: [{ name: "web", image: "nginx", ports: [{ containerPort: 80 }] }] } },
      },
    },
    deploySchema,
  );
  assert.deepEqual(set.toFieldsV1(), {
    "f:metadata": { "f:labels": { "f:app": {} } },
    "f:spec": {
      "f:replicas": {},
      "f:selector": {},
      "f:template": {
        "f:spec": {
          "f:containers": {
            'k:{"name":"web"}': {
              ".": {},
              "f:image": {},
              "f:name": {},
              "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
            },
          },
        },
      },
    },
  });
});

test("apply sequence with shared ownership and conflicts, as the real API server answers", () => {
  const a = serverSideApply({
    live: undefined,
    config: cm({ a: "1", b: "1", c: "1" }),
    managers: [],
    manager: "A",
    force: false,
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  // B and C change fields by merge patch (operation Update).
  let object = { ...a.object, data: { a: "2", b: "2", c: "1" } };
  let managers = trackUpdate({
    before: a.object,
    after: object,
    managers: a.managers,
    writer: { manager: "B" },
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  const beforeC = object;
  object = { ...object, data: { a: "2", b: "2", c: "2" } };
  managers = trackUpdate({
    before: beforeC,
    after: object,
    managers,
    writer: { manager: "C" },
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  assert.deepEqual(fieldsOf(managers, "A"), undefined, "A lost all its fields and its entry");
  assert.throws(
    () =>
      serverSideApply({
        live: object,
        config: cm({ a: "1", b: "1", c: "1" }),
        managers,
        manager: "A",
        force: false,
        apiVersion: "v1",
        schema: cmSchema,
        now,
      }),
    (err: unknown) =>
      err instanceof ApplyConflictError &&
      err.message ===
        'Apply failed with 3 conflicts: conflicts with "B" using v1:\n- .data.a\n- .data.b\nconflicts with "C" using v1:\n- .data.c',
  );
  assert.throws(
    () =>
      serverSideApply({
        live: object,
        config: cm({ c: "1" }),
        managers,
        manager: "A",
        force: false,
        apiVersion: "v1",
        schema: cmSchema,
        now,
      }),
    { message: 'Apply failed with 1 conflict: conflict with "C" using v1: .data.c' },
  );
  const shared = serverSideApply({
    live: object,
    config: cm({ a: "2", b: "2" }),
    managers,
    manager: "A",
    force: false,
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  assert.deepEqual(fieldsOf(shared.managers, "A"), { "f:data": { "f:a": {}, "f:b": {} } });
  assert.deepEqual(
    fieldsOf(shared.managers, "B"),
    { "f:data": { "f:a": {}, "f:b": {} } },
    "same value: shared, no conflict",
  );
  const forced = serverSideApply({
    live: shared.object,
    config: cm({ a: "2", b: "2", c: "9" }),
    managers: shared.managers,
    manager: "A",
    force: true,
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  assert.deepEqual(forced.object.data, { a: "2", b: "2", c: "9" });
  assert.equal(fieldsOf(forced.managers, "C"), undefined, "force took C's only field");
});

test("apply removes fields the applier stopped setting, unless another manager owns them", () => {
  const first = serverSideApply({
    live: undefined,
    config: cm({ a: "1", b: "1", c: "1" }),
    managers: [],
    manager: "A",
    force: false,
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  const bOwnsB = trackUpdate({
    before: first.object,
    after: { ...first.object, data: { a: "1", b: "x", c: "1" } },
    managers: first.managers,
    writer: { manager: "B" },
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  const second = serverSideApply({
    live: { ...first.object, data: { a: "1", b: "x", c: "1" } },
    config: cm({ a: "1" }),
    managers: bOwnsB,
    manager: "A",
    force: false,
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  assert.deepEqual(second.object.data, { a: "1", b: "x" });
});

test("apply removes a container dropped from the configuration, and empty maps with it", () => {
  const config = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", annotations: { x: "1" } },
    spec: {
      template: {
        spec: {
          containers: [
            { name: "a", image: "1" },
            { name: "b", image: "2" },
          ],
        },
      },
    },
  };
  const first = serverSideApply({
    live: undefined,
    config,
    managers: [],
    manager: "A",
    force: false,
    apiVersion: "apps/v1",
    schema: deploySchema,
    now,
  });
  const second = serverSideApply({
    live: first.object,
    config: {
      ...config,
      metadata: { name: "web" },
      spec: { template: { spec: { containers: [{ name: "b", image: "2" }] } } },
    },
    managers: first.managers,
    manager: "A",
    force: false,
    apiVersion: "apps/v1",
    schema: deploySchema,
    now,
  });
  assert.deepEqual(second.object.spec, { template: { spec: { containers: [{ name: "b", image: "2" }] } } });
  assert.deepEqual(second.object.metadata, { name: "web" });
});

test("an update records what was added (maps and new items with '.') and what was changed", () => {
  const before = {
    metadata: { name: "d" },
    spec: { replicas: 1, template: { spec: { containers: [{ name: "web", image: "a" }] } } },
  };
  const after = {
    metadata: { name: "d", labels: { app: "x" } },
    spec: {
      replicas: 3,
      template: {
        spec: { containers: [{ name: "web", image: "a", ports: [{ containerPort: 80, protocol: "TCP" }] }] },
      },
    },
  };
  const managers = trackUpdate({
    before,
    after,
    managers: [],
    writer: { manager: "kubectl-edit" },
    apiVersion: "apps/v1",
    schema: deploySchema,
    now,
  });
  assert.deepEqual(fieldsOf(managers, "kubectl-edit"), {
    "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
    "f:spec": {
      "f:replicas": {},
      "f:template": {
        "f:spec": {
          "f:containers": {
            'k:{"name":"web"}': {
              "f:ports": {
                ".": {},
                'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} },
              },
            },
          },
        },
      },
    },
  });
});

test("managedFields encode in the server's order and decode back", () => {
  const entries = decodeManagedFields([
    {
      manager: "z",
      operation: "Update",
      apiVersion: "v1",
      time: "2026-01-01T00:00:02Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:a": {} } },
    },
    {
      manager: "y",
      operation: "Update",
      apiVersion: "v1",
      time: "2026-01-01T00:00:01Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:b": {} } },
      subresource: "status",
    },
    {
      manager: "x",
      operation: "Apply",
      apiVersion: "v1",
      time: "2026-01-01T00:00:03Z",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { "f:c": {} } },
    },
  ]);
  const encoded = encodeManagedFields(entries);
  assert.deepEqual(
    encoded.map((e) => e.manager),
    ["x", "y", "z"],
  );
  assert.equal(encoded[1]?.subresource, "status");
});

test("apply orders an associative list as the API server does", () => {
  const withEnv = (names: string[]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "o" },
    spec: { template: { spec: { containers: [{ name: "c", env: names.map((name) => ({ name, value: "1" })) }] } } },
  });
  const envOf = (obj: Record<string, unknown>) =>
    (obj as ReturnType<typeof withEnv>).spec.template.spec.containers[0]?.env.map((e) => e.name);
  const run = (live: string[], config: string[]) =>
    envOf(
      serverSideApply({
        live: withEnv(live),
        config: withEnv(config),
        managers: [],
        manager: "a",
        force: true,
        apiVersion: "apps/v1",
        schema: deploySchema,
        now,
      }).object,
    );
  // Observed on the real 1.36 API server (the live-only items belong to another manager).
  assert.deepEqual(run(["AA", "BB"], ["AA", "CC"]), ["AA", "BB", "CC"]);
  assert.deepEqual(run(["AA", "BB", "CC"], ["DD", "CC", "AA"]), ["BB", "DD", "CC", "AA"]);
  assert.deepEqual(run(["WW", "ZZ", "XX", "YY"], ["YY", "QQ", "ZZ", "XX"]), ["WW", "YY", "QQ", "ZZ", "XX"]);
  assert.deepEqual(run(["XX", "YY", "ZZ"], ["ZZ", "XX", "YY"]), ["ZZ", "XX", "YY"]);
});

test("a map the applier once owned whole stays while the applier still sets fields in it", () => {
  const managers = decodeManagedFields([
    {
      manager: "A",
      operation: "Apply",
      apiVersion: "v1",
      time: now,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:data": { ".": {}, "f:x": {} } },
    },
  ]);
  const out = serverSideApply({
    live: cm({ x: "1" }),
    config: cm({ x: "2" }),
    managers,
    manager: "A",
    force: false,
    apiVersion: "v1",
    schema: cmSchema,
    now,
  });
  assert.deepEqual(out.object.data, { x: "2" });
});
