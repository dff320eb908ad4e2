import assert from "node:assert/strict";
import { test } from "node:test";
import { pruneCustomResource } from "./prune-custom.js";

const SCHEMA = {
  type: "object",
  properties: {
    // CRDs may declare metadata (bosun's do); it never prunes the object's own metadata.
    metadata: { type: "object" },
    spec: {
      type: "object",
      properties: {
        size: { type: "string" },
        items: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
        labels: { type: "object", additionalProperties: { type: "string" } },
        free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        template: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object" } } },
        empty: { type: "object" },
        count: { type: "integer" },
      },
    },
  },
};

test("fields the structural schema does not specify are dropped and listed; preserved, maps and envelopes are kept", () => {
  const { object, unknownFields } = pruneCustomResource(
    {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: {
        size: "big",
        colour: "red",
        items: [{ name: "a", extra: 1 }],
        labels: { any: "thing" },
        free: { anything: { goes: true } },
        template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: {}, status: {} },
        empty: { gone: 1 },
        count: { not: "a number" },
      },
      status: { ready: true },
    },
    SCHEMA,
  );
  assert.deepEqual(unknownFields, [
    "spec.colour",
    "spec.items[0].extra",
    "spec.template.status",
    "spec.empty.gone",
    "status",
  ]);
  assert.deepEqual(object, {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w" },
    spec: {
      size: "big",
      items: [{ name: "a" }],
      labels: { any: "thing" },
      free: { anything: { goes: true } },
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: {} },
      empty: {},
      count: { not: "a number" },
    },
  });
  const kept = { apiVersion: "example.com/v1", kind: "Widget", metadata: {}, spec: { x: 1 } };
  assert.deepEqual(pruneCustomResource(kept, undefined).object, kept, "no schema: kept whole");
  assert.deepEqual(
    pruneCustomResource(kept, { type: "object", "x-kubernetes-preserve-unknown-fields": true }).unknownFields,
    [],
  );
});
