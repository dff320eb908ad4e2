// Events as client-go's recorder makes them: the same Event again raises count and lastTimestamp of the
// one recorded; a different message is another Event; an expired (deleted) one starts again at 1.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig, recordEvent } from "../../src/cluster/index.js";
import { CLUSTER_TARGETS, testNamespace } from "../harness/cluster-fixture.js";

interface Event extends KubeObject {
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

for (const target of CLUSTER_TARGETS) {
  test(`a repeated Event is counted on the one recorded, as kubectl shows it [${target}]`, async (t) => {
    const ns = await testNamespace(t, target);
    const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
    const involved = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "subject", namespace: ns.name, uid: "0d6f5a52-7d0e-4b8e-9a5e-3c1f0e0b7a11" },
    };
    const source = { component: "bosun", reportingComponent: "bosun.dev/agent" };
    const failed = { type: "Warning" as const, reason: "SyncFailed", message: "wave 0: Deployment is Degraded" };
    for (let i = 0; i < 3; i++) await recordEvent(client, involved, failed, source);
    await recordEvent(client, involved, { ...failed, message: "another message" }, source);
    const events = () =>
      (JSON.parse(ns.kubectl(["get", "events", "-o", "json"])) as { items: Event[] }).items.sort((a, b) =>
        a.message.localeCompare(b.message),
      );
    const [other, repeated] = events();
    assert.equal(events().length, 2);
    assert.equal(repeated?.count, 3);
    assert.equal(other?.count, 1);
    assert.ok(Date.parse(repeated?.lastTimestamp ?? "") >= Date.parse(repeated?.firstTimestamp ?? ""));

    ns.kubectl(["delete", "event", repeated?.metadata.name ?? ""]);
    await recordEvent(client, involved, failed, source);
    const again = events().find((e) => e.message === failed.message);
    assert.equal(again?.count, 1, "the expired Event is not patched; a new one starts");
    assert.notEqual(again?.metadata.name, repeated?.metadata.name);
  });
}
