import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { namespaceDeletionDetail, namespaceHealth } from "./namespace.js";

const ns = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: "n" },
  status,
});

test("phase Terminating is Progressing with what the deletion waits for; Active is Healthy", () => {
  const terminating = ns({
    phase: "Terminating",
    conditions: [
      {
        type: "NamespaceContentRemaining",
        status: "True",
        message: "Some resources are remaining: pods. has 2 resource instances",
      },
      { type: "NamespaceDeletionContentFailure", status: "False", message: "All content successfully deleted" },
    ],
  });
  assert.deepEqual(namespaceHealth(terminating), {
    status: "Progressing",
    message: "Namespace is terminating: Some resources are remaining: pods. has 2 resource instances",
  });
  assert.equal(namespaceHealth(ns({ phase: "Active" })).status, "Healthy");
});

test("the deletion detail lists only conditions that hold", () => {
  assert.equal(
    namespaceDeletionDetail(ns({ conditions: [{ type: "NamespaceContentRemaining", status: "False", message: "x" }] })),
    undefined,
  );
});
