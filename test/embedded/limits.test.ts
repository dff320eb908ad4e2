// Limits the real API server enforces, differentially: the embedded server answers alike, so an app cannot be
// green on `bosun up` and refused by a real cluster.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeClient } from "../../src/cluster/index.js";
import { answeredAlike, answerOf } from "./differential.js";

/** A ConfigMap whose annotations hold `bytes` bytes, keys and values together. */
const annotated = (name: string, bytes: number) => {
  const key = "example.com/large";
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, annotations: { [key]: "x".repeat(bytes - key.length) } },
  };
};

async function answers(client: KubeClient): Promise<string[]> {
  const out: string[] = [];
  for (const [name, bytes] of [
    ["at-limit", 256 * 1024],
    ["over-limit", 256 * 1024 + 1],
  ] as const)
    out.push(
      await answerOf(name, async () => {
        await client.create(annotated(name, bytes));
        return "created";
      }),
    );
  return out;
}

test("annotations over 256 KiB are refused as kube-apiserver refuses them (a large last-applied annotation)", async (t) => {
  assert.deepEqual(await answeredAlike(t, answers), [
    "at-limit: created",
    'over-limit: 422 ConfigMap "over-limit" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
});
