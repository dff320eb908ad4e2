import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { type Application, type DriftPolicyRule, inventoryId, type KubeObject, refOf } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { planSync, resolveSyncOptions, type SyncPlan } from "../sync/index.js";
import { type CompareCache, compareResource, type ResourceComparison } from "./compare.js";
import {
  type DriftPolicy,
  decideDrift,
  driftPlan,
  driftPolicyOf,
  driftPolicyProblems,
  strongestAction,
} from "./drift-policy.js";
import { allowedDriftText, driftRecords } from "./drift-records.js";

/** Live objects and server-side dry runs captured from a real control plane (diff's fixtures). */
const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`../diff/fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

const deployment = { group: "apps", kind: "Deployment" };
const policy = (rules: DriftPolicyRule[], fallback: "revert" | "detect" = "revert"): DriftPolicy => ({
  rules,
  fallback,
});

/** The spec of the first object a plan writes. */
function specOf(plan: SyncPlan): { replicas?: number; template?: unknown } {
  const object = plan.steps[0]?.tasks[0]?.object;
  assert.ok(object, "the plan writes an object");
  return object.spec as { replicas?: number; template?: unknown };
}

async function comparison(live: KubeObject, dryRun: KubeObject, driftPolicy: DriftPolicy): Promise<ResourceComparison> {
  const client = { apply: async () => ({ object: dryRun, created: false }) } as unknown as KubeClient;
  const cache: CompareCache = new Map();
  return await compareResource({
    client,
    task: { object: dryRun, ref: refOf(live), phase: "Sync", wave: 0, options: resolveSyncOptions({}) },
    live,
    ignoreDifferences: [],
    driftPolicy,
    cache,
    signal: AbortSignal.timeout(10_000),
  });
}

describe("decideDrift: the first rule covering a change decides", () => {
  const rules: DriftPolicyRule[] = [
    { managers: ["kube-controller-manager"], jsonPointers: ["/spec/replicas"], action: "allow" },
    { managers: ["kubectl-rollout"], action: "detect" },
    { kinds: ["apps/StatefulSet", "ConfigMap"], action: "detect" },
    { kinds: ["Deployment"], jsonPointers: ["/metadata/labels"], action: "allow" },
  ];
  const p = policy(rules);

  test("manager, pointer and kind must all hold", () => {
    assert.deepEqual(decideDrift(p, { ref: deployment, manager: "kube-controller-manager", path: "/spec/replicas" }), {
      action: "allow",
      rule: 0,
    });
    // The same field by another manager: no rule covers it, the fallback decides.
    assert.deepEqual(decideDrift(p, { ref: deployment, manager: "kubectl", path: "/spec/replicas" }), {
      action: "revert",
    });
    // A pointer covers the field and what is under it, not a field whose name only starts the same.
    assert.equal(decideDrift(p, { ref: deployment, manager: "x", path: "/metadata/labels/team" }).rule, 3);
    assert.equal(decideDrift(p, { ref: deployment, manager: "x", path: "/metadata/labelsx" }).rule, undefined);
    assert.equal(
      decideDrift(p, { ref: deployment, manager: "kube-controller-manager", path: "/spec/replicasx" }).rule,
      undefined,
    );
  });

  test("kinds: `Kind` matches in any group, `group/Kind` only in its group", () => {
    assert.equal(decideDrift(p, { ref: { group: "apps", kind: "StatefulSet" }, manager: "m", path: "/a" }).rule, 2);
    assert.equal(decideDrift(p, { ref: { group: "", kind: "ConfigMap" }, manager: "m", path: "/a" }).rule, 2);
    assert.equal(
      decideDrift(p, { ref: { group: "other", kind: "StatefulSet" }, manager: "m", path: "/a" }).rule,
      undefined,
    );
  });

  test("manager globs; a deletion is covered only by rules naming no field", () => {
    const globbed = policy([{ managers: ["kubectl-*"], action: "detect" }]);
    assert.equal(decideDrift(globbed, { ref: deployment, manager: "kubectl-edit", path: "/spec" }).action, "detect");
    assert.equal(decideDrift(globbed, { ref: deployment, manager: "kubectl", path: "/spec" }).action, "revert");
    const deletion = { ref: deployment, manager: "unknown" };
    assert.deepEqual(decideDrift(p, deletion), { action: "revert" }, "rules 0 and 3 name fields; 1 and 2 miss");
    assert.deepEqual(decideDrift(policy([{ kinds: ["Deployment"], action: "detect" }]), deletion), {
      action: "detect",
      rule: 0,
    });
  });

  test("a field bosun owns live is no drift: the fallback decides, whatever the rules say", () => {
    const all = policy([{ action: "allow" }], "detect");
    assert.deepEqual(decideDrift(all, { ref: deployment, manager: "bosun", path: "/spec/replicas" }), {
      action: "detect",
    });
  });

  test("the fallback follows self-heal; the strongest action of an object's changes wins", () => {
    const app = (selfHeal: boolean) =>
      ({ spec: { syncPolicy: { automated: { selfHeal } } } }) as unknown as Application;
    assert.equal(driftPolicyOf(app(true)).fallback, "revert");
    assert.equal(driftPolicyOf(app(false)).fallback, "detect");
    assert.equal(strongestAction(["allow", "detect"]), "detect");
    assert.equal(strongestAction(["allow", "revert", "detect"]), "revert");
    assert.equal(strongestAction([]), undefined);
  });

  test("problems: an unknown action, a malformed pointer", () => {
    const problems = driftPolicyProblems([
      { action: "ignore" as "allow" },
      { jsonPointers: ["spec/replicas"], action: "allow" },
    ]);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? "", /driftPolicy\[0\]\.action: "ignore" is not one of revert, detect, allow/);
    assert.match(problems[1] ?? "", /driftPolicy\[1\]\.jsonPointers/);
  });
});

describe("the comparison under a drift policy (objects from a real control plane)", () => {
  const scaled = fixture("deployment-scaled-by-kubectl");
  const scaledDryRun = fixture("deployment-dry-run-after-scale");

  test("an allowed change: Synced, out of the diff, kept live by a sync, recorded once per value", async () => {
    const c = await comparison(scaled, scaledDryRun, policy([{ jsonPointers: ["/spec/replicas"], action: "allow" }]));
    assert.equal(c.status, "Synced");
    assert.equal(c.action, undefined);
    assert.doesNotMatch(c.diff, /replicas/);
    assert.deepEqual(c.keepLive, ["/spec/replicas"]);
    assert.deepEqual(
      c.allowed?.map((a) => [a.manager, a.fields, a.action, a.rule]),
      [["kubectl", ["/spec/replicas"], "allow", 0]],
    );
    assert.equal(allowedDriftText(c), "/spec/replicas=5 by kubectl (driftPolicy[0])");

    const id = inventoryId(refOf(scaled));
    const input = { comparisons: [c], wasSynced: new Set([id]), sameRevision: true, corrected: true, now: "t" };
    const [record, ...more] = driftRecords(input);
    assert.deepEqual(more, []);
    assert.deepEqual(record?.changes, [{ path: "/spec/replicas", from: "2", to: "5" }]);
    assert.equal(record?.action, "allow");
    assert.equal(record?.rule, 0);
    assert.equal(record?.corrected, false, "an allowed change is never reverted");
    const again = driftRecords({ ...input, allowedBefore: new Map([[id, allowedDriftText(c) ?? ""]]) });
    assert.deepEqual(again, [], "the same allowed value as the last status: no second record");

    // A sync writes the Deployment with the live replicas, the rest as Git says.
    const plan = planSync([scaledDryRun], {});
    const ran = driftPlan(plan, [{ ...c, task: plan.resources[0] ?? c.task }], {
      healing: false,
      liveOf: () => scaled,
    });
    assert.equal(specOf(ran).replicas, 5);
  });

  test("detect only: OutOfSync, not reverted by a sync that heals, applied as Git says when Git moves", async () => {
    const c0 = await comparison(scaled, scaledDryRun, policy([{ managers: ["kubectl"], action: "detect" }]));
    assert.equal(c0.status, "OutOfSync");
    assert.equal(c0.action, "detect");
    assert.deepEqual(c0.detectOnly, ["/spec/replicas"]);
    assert.deepEqual(
      c0.drift.map((d) => [d.manager, d.action, d.rule]),
      [["kubectl", "detect", 0]],
    );
    const plan = planSync([scaledDryRun], {});
    const c = { ...c0, task: plan.resources[0] ?? c0.task };
    const healing = driftPlan(plan, [c], { healing: true, liveOf: () => scaled });
    assert.deepEqual(
      healing.steps.map((s) => s.tasks.length),
      plan.steps.map(() => 0),
      "the object is left out; the steps stay",
    );
    const moved = driftPlan(plan, [c], { healing: false, liveOf: () => scaled });
    assert.equal(specOf(moved).replicas, 2);
    const [record] = driftRecords({
      comparisons: [c],
      wasSynced: new Set([inventoryId(refOf(scaled))]),
      sameRevision: true,
      corrected: true,
      now: "t",
    });
    assert.deepEqual([record?.action, record?.rule, record?.corrected], ["detect", 0, false]);
  });

  test("several managers: each change decided on its own; the object reverts what is to be reverted", async () => {
    const live = fixture("deployment-drifted-by-several-managers");
    const dry = fixture("deployment-dry-run-after-several-managers");
    const c0 = await comparison(
      live,
      dry,
      policy([
        { managers: ["kubectl"], jsonPointers: ["/spec/replicas"], action: "allow" },
        // minReadySeconds (kubectl-patch) is not in Git: no drift, whatever a rule says of it.
        { managers: ["kubectl-patch"], action: "detect" },
      ]),
    );
    assert.equal(c0.status, "OutOfSync");
    assert.equal(c0.action, "revert", "the image set by kubectl-set is reverted (the fallback)");
    assert.deepEqual(
      c0.allowed?.map((a) => a.fields),
      [["/spec/replicas"]],
    );
    assert.doesNotMatch(c0.diff, /replicas/);
    assert.match(c0.diff, /nginx:1\.28/);
    const byManager = Object.fromEntries(c0.drift.map((d) => [d.manager, d.action]));
    assert.deepEqual(byManager, { "kubectl-set": "revert" });
    assert.equal(c0.detectOnly, undefined);

    // Healing writes the image from Git and keeps replicas (allowed) as live.
    const plan = planSync([dry], {});
    const c = { ...c0, task: plan.resources[0] ?? c0.task };
    const spec = specOf(driftPlan(plan, [c], { healing: true, liveOf: () => live }));
    assert.equal(spec.replicas, 6);
    assert.doesNotMatch(JSON.stringify(spec.template), /nginx:1\.28/);
  });
});
