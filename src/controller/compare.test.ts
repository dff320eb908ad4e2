import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parse } from "yaml";
import { inventoryId, type KubeObject, type ObjectRef, refOf, trackingId } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { planSync, resolveSyncOptions } from "../sync/index.js";
import {
  type CompareCache,
  compareResource,
  extraneousOutOfSync,
  extraneousSyncReason,
  inSyncOf,
  rememberApplied,
} from "./compare.js";
import type { DriftPolicy } from "./drift-policy.js";

const REVERT: DriftPolicy = { rules: [], fallback: "revert" };

const app = { namespace: "bosun", name: "shop" };
const cm = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name,
    namespace: "prod",
    annotations: {
      "bosun.dev/tracking-id": trackingId(app, { group: "", kind: "ConfigMap", namespace: "prod", name }),
      ...annotations,
    },
  },
});

test("extraneous objects: IgnoreExtraneous ones do not count; a self-heal is started only for what a sync would prune", () => {
  const objects = new Map(
    [
      cm("plain"),
      cm("ignored", { "argocd.argoproj.io/compare-options": "IgnoreExtraneous" }),
      cm("kept", { "bosun.dev/sync-options": "Prune=false" }),
    ].map((o) => [inventoryId(refOf(o)), o]),
  );
  const liveOf = (ref: ObjectRef) => objects.get(inventoryId(ref));
  const refs = (...names: string[]) => names.map((name) => ({ group: "", kind: "ConfigMap", namespace: "prod", name }));
  assert.equal(extraneousOutOfSync(refs("ignored"), liveOf), false);
  assert.equal(extraneousOutOfSync(refs("ignored", "kept"), liveOf), true);
  const reason = (names: string[], revisionChanged: boolean, options = {}) =>
    extraneousSyncReason({ extraneous: refs(...names), liveOf, options, revisionChanged });
  assert.equal(reason(["kept"], true), true, "Git moved: sync once");
  assert.equal(reason(["kept"], false), false, "self-heal: a sync would not prune it");
  assert.equal(reason(["plain"], false), true);
  assert.equal(reason(["plain"], false, { Prune: "false" }), false, "the Application says Prune=false");
  assert.equal(reason(["ignored"], false), false);
});

test("a missing object whose kind is not served: an error, or a note with SkipDryRunOnMissingResource; no dry run", async () => {
  const served = new Set(["ConfigMap"]);
  const client = {
    serves: async (_apiVersion: string, kind: string) => served.has(kind),
    apply: async () => assert.fail("no dry run of a missing object"),
  } as unknown as KubeClient;
  const widget = (annotations: Record<string, string> = {}): KubeObject => ({
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "prod", annotations },
  });
  const compareMissing = async (object: KubeObject) => {
    const [task] = planSync([object]).resources;
    assert.ok(task);
    return await compareResource({
      client,
      task,
      live: undefined,
      ignoreDifferences: [],
      driftPolicy: REVERT,
      cache: new Map(),
      signal: AbortSignal.timeout(5000),
    });
  };
  const plain = await compareMissing(cm("new"));
  assert.deepEqual([plain.status, plain.error, plain.note], ["Missing", undefined, undefined]);
  const refused = await compareMissing(widget());
  assert.equal(refused.status, "Missing");
  assert.match(refused.error ?? "", /does not serve kind Widget of example.com\/v1.*SkipDryRunOnMissingResource=true/);
  const waiting = await compareMissing(widget({ "bosun.dev/sync-options": "SkipDryRunOnMissingResource=true" }));
  assert.deepEqual(
    [waiting.error, waiting.note],
    [undefined, "will be created once the cluster serves kind Widget of example.com/v1 (its CRD exists)"],
  );
});

test("inSyncOf answers for the objects the comparison found Synced", () => {
  const [a, b] = planSync([cm("a"), cm("b")]).resources;
  assert.ok(a && b);
  const base = { diff: "", changedPaths: [], changes: [], drift: [] };
  const inSync = inSyncOf([
    { task: a, status: "Synced", ...base },
    { task: b, status: "OutOfSync", ...base },
  ]);
  assert.deepEqual([inSync(a.ref), inSync(b.ref)], [true, false]);
});

test("after bosun's apply, the comparison memo holds until a field bosun owns changes (status, others' annotations: no dry run)", async () => {
  const fixture = (name: string): KubeObject =>
    parse(readFileSync(new URL(`../diff/fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;
  const applied = fixture("deployment-applied-by-bosun");
  let dryRuns = 0;
  const client = {
    apply: async () => {
      dryRuns++;
      return { object: fixture("deployment-dry-run-when-synced"), created: false };
    },
  } as unknown as KubeClient;
  const task = {
    object: fixture("deployment-manifest-from-git"),
    ref: refOf(applied),
    phase: "Sync" as const,
    wave: 0,
    options: resolveSyncOptions({}),
  };
  const cache: CompareCache = new Map();
  // The Application's policy, as the agent passes it to both the apply's memo and the next comparison.
  const driftPolicy: DriftPolicy = {
    rules: [{ jsonPointers: ["/spec/replicas"], action: "allow" }],
    fallback: "revert",
  };
  const compareWith = (live: KubeObject, policy = driftPolicy) =>
    compareResource({
      client,
      task,
      live,
      ignoreDifferences: [],
      driftPolicy: policy,
      cache,
      signal: AbortSignal.timeout(10_000),
    });
  let version = 999_000;
  const changed = (from: KubeObject, change: (o: KubeObject) => void) => {
    const next = structuredClone(from);
    next.metadata.resourceVersion = String(++version);
    change(next);
    return next;
  };

  rememberApplied(cache, task, applied, [], driftPolicy);
  const rolledOut = changed(applied, (o) => {
    o.status = { ...(o.status as object), observedGeneration: 1, readyReplicas: 2 };
    for (const entry of o.metadata.managedFields ?? [])
      if (entry.subresource === "status") entry.time = "2026-11-28T00:00:00Z";
  });
  assert.equal((await compareWith(rolledOut)).status, "Synced");
  assert.equal(dryRuns, 0, "a status write: the applied comparison holds");

  const annotated = changed(rolledOut, (o) => {
    o.metadata.annotations = { ...o.metadata.annotations, "deployment.kubernetes.io/revision": "2" };
    o.metadata.managedFields?.push({
      manager: "kube-controller-manager",
      operation: "Update",
      apiVersion: "apps/v1",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:metadata": { "f:annotations": { "f:deployment.kubernetes.io/revision": {} } } },
    });
  });
  await compareWith(annotated);
  assert.equal(dryRuns, 0, "another manager's annotation: not a field of bosun's");

  const relabelled = changed(annotated, (o) => {
    o.metadata.labels = { ...o.metadata.labels, "app.kubernetes.io/name": "by-hand" };
  });
  await compareWith(relabelled);
  assert.equal(dryRuns, 1, "a label bosun owns changed: compared again");

  const scaled = fixture("deployment-scaled-by-kubectl");
  await compareWith(scaled);
  assert.equal(dryRuns, 2, "replicas taken by kubectl scale: compared again");
  await compareWith(scaled);
  assert.equal(dryRuns, 2, "the same live object again: the memo answers");
  await compareWith(scaled, REVERT);
  assert.equal(dryRuns, 3, "another drift policy: compared again (it decides the result)");
  const teamLabelled = changed(scaled, (o) => {
    o.metadata.labels = { ...o.metadata.labels, team: "a" };
  });
  await compareWith(teamLabelled);
  assert.equal(dryRuns, 4, "a memo from a dry run holds only for the same live object (status aside)");
});
