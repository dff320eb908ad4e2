// The order in which health() applies its rules, and the dispatcher that picks a kind's rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { assessHealth, health, healthOrMissing, KIND_RULES, kindRuleFor } from "./index.js";

function object(apiVersion: string, kind: string, fields: Record<string, unknown> = {}): KubeObject {
  const { metadata, ...rest } = fields;
  return { apiVersion, kind, metadata: { name: "x", namespace: "ns", ...(metadata as object | undefined) }, ...rest };
}

const rolledOut = (extra: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {}) =>
  object("apps/v1", "Deployment", {
    metadata: { generation: 2, ...extra.metadata },
    spec: { replicas: 2, ...extra.spec },
    status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
  });

const crashingPod = (metadata: Record<string, unknown> = {}) =>
  object("v1", "Pod", {
    metadata,
    status: {
      phase: "Running",
      containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff", message: "back-off" } } }],
    },
  });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("healthOrMissing", () => {
  test("an object that does not exist is Missing", () => {
    assert.equal(healthOrMissing(undefined).status, "Missing");
    assert.notEqual(healthOrMissing(undefined).message, "");
  });

  test("an object that exists gets the same verdict as from health()", () => {
    assert.deepEqual(healthOrMissing(crashingPod()), health(crashingPod()));
    assert.equal(healthOrMissing(crashingPod()).status, "Degraded");
  });

  test("health() itself never says Missing: an existing object without any status is not missing", () => {
    for (const [apiVersion, kind] of [
      ["v1", "ConfigMap"],
      ["example.com/v1", "Widget"],
      ["v1", "Service"],
    ] as const)
      assert.notEqual(health(object(apiVersion, kind)).status, "Missing", kind);
  });
});

describe("the order of the rules", () => {
  test("1. an object being deleted is Progressing, whatever its kind rule would say", () => {
    const pod = crashingPod({ deletionTimestamp: "2026-11-27T10:00:00Z", finalizers: ["example.com/drain"] });
    const { health: h, basis } = assessHealth(pod);
    assert.equal(h.status, "Progressing");
    assert.equal(basis, "deletion");
    assert.match(
      h.message,
      /Pod is being deleted \(since 2026-11-27T10:00:00Z\); waiting for finalizers: example\.com\/drain/,
    );
  });

  test("1. deletion comes before generation", () => {
    const d = rolledOut({ metadata: { generation: 5, deletionTimestamp: "2026-11-27T10:00:00Z" } });
    assert.equal(assessHealth(d).basis, "deletion");
  });

  test("2. a status about an older generation is Progressing, before the kind's own rule (even Suspended)", () => {
    const paused = rolledOut({ metadata: { generation: 3 }, spec: { paused: true } });
    const { health: h, basis } = assessHealth(paused);
    assert.equal(h.status, "Progressing");
    assert.equal(basis, "generation");
    assert.match(h.message, /observe generation 3 \(status describes generation 2\)/);
    // Once observed, the kind rule decides.
    assert.equal(health(rolledOut({ spec: { paused: true } })).status, "Suspended");
  });

  test("2. a status about an older generation is Progressing before the generic conditions too", () => {
    const cr = object("example.com/v1", "Widget", {
      metadata: { generation: 4 },
      status: { observedGeneration: 3, conditions: [{ type: "Ready", status: "True", reason: "Done" }] },
    });
    assert.deepEqual(
      { status: health(cr).status, basis: assessHealth(cr).basis },
      { status: "Progressing", basis: "generation" },
    );
  });

  test("2. without status.observedGeneration, only kinds whose controller always writes it are Progressing", () => {
    const fresh = object("apps/v1", "Deployment", { metadata: { generation: 1 }, spec: { replicas: 0 } });
    assert.equal(assessHealth(fresh).basis, "generation", "a Deployment's controller has not seen it yet");
    const job = object("batch/v1", "Job", {
      metadata: { generation: 1 },
      status: { conditions: [{ type: "Complete", status: "True" }] },
    });
    assert.equal(health(job).status, "Healthy", "a Job's status has no observedGeneration at all");
    const widget = object("example.com/v1", "Widget", { metadata: { generation: 7 } });
    assert.equal(assessHealth(widget).basis, "default");
  });

  test("3. a kind with a rule is judged by that rule alone, not by generic conditions", () => {
    const service = object("v1", "Service", {
      spec: { type: "ClusterIP", clusterIP: "10.96.0.10" },
      status: { conditions: [{ type: "Stalled", status: "True", reason: "Whatever" }] },
    });
    const { health: h, basis } = assessHealth(service);
    assert.equal(h.status, "Healthy");
    assert.equal(basis, "kind");
  });

  test("4. a kind without a rule is judged by its conditions", () => {
    const cr = object("example.com/v1", "Widget", {
      status: { conditions: [{ type: "Stalled", status: "True", reason: "Broken", message: "bad spec" }] },
    });
    assert.deepEqual(assessHealth(cr), {
      health: { status: "Degraded", message: "Stalled: Broken: bad spec" },
      basis: "conditions",
    });
  });

  test("5. an object nothing says anything about is Healthy by default, and says so", () => {
    const cm = object("v1", "ConfigMap", { data: { a: "b" } });
    const { health: h, basis } = assessHealth(cm);
    assert.equal(h.status, "Healthy");
    assert.equal(basis, "default");
    assert.match(h.message, /no health check/);
    // Conditions that are not about health do not count as a signal either.
    const other = object("example.com/v1", "Widget", {
      status: { conditions: [{ type: "Synced", status: "False" }] },
    });
    assert.equal(assessHealth(other).basis, "default");
  });
});

describe("a kind with no rule and no conditions", () => {
  const widget = (fields: Record<string, unknown>) => object("example.com/v1", "Widget", fields);

  test("is Progressing while status.observedGeneration is behind metadata.generation", () => {
    const { health: h, basis } = assessHealth(
      widget({ metadata: { generation: 2 }, status: { observedGeneration: 1 } }),
    );
    assert.deepEqual(
      { status: h.status, basis },
      { status: "Progressing", basis: "generation" },
      "a CR whose controller has not seen its spec yet is not done",
    );
    assert.match(h.message, /Widget controller to observe generation 2 \(status describes generation 1\)/);
    assert.equal(
      healthOrMissing(widget({ metadata: { generation: 2 }, status: { observedGeneration: 1 } })).status,
      "Progressing",
    );
  });

  test("is Healthy once status.observedGeneration reaches metadata.generation", () => {
    for (const observed of [3, 4]) {
      const { health: h, basis } = assessHealth(
        widget({ metadata: { generation: 3 }, status: { observedGeneration: observed } }),
      );
      assert.deepEqual(
        { status: h.status, basis },
        { status: "Healthy", basis: "default" },
        `observedGeneration ${observed}`,
      );
    }
  });

  test("is Healthy with no status at all, or a status without observedGeneration, and says it has no health check", () => {
    for (const fields of [
      { metadata: { generation: 5 } },
      { metadata: { generation: 5 }, status: { phase: "Pending" } },
    ]) {
      const { health: h, basis } = assessHealth(widget(fields));
      assert.equal(h.status, "Healthy");
      assert.equal(basis, "default");
      assert.equal(h.message, "Widget exists; it has no health check and reports no conditions");
    }
  });
});

describe("the dispatcher", () => {
  test("picks a rule by API group and kind, whatever the version", () => {
    assert.equal(kindRuleFor("apps", "Deployment")?.kind, "Deployment");
    assert.equal(kindRuleFor("", "Pod")?.kind, "Pod");
    const old = object("apps/v1beta2", "Deployment", {
      metadata: { generation: 1 },
      spec: { replicas: 1, paused: true },
      status: { observedGeneration: 1 },
    });
    assert.equal(health(old).status, "Suspended");
  });

  test("tells 'no rule for this kind' (undefined) apart from a rule that finds the object unhealthy", () => {
    assert.equal(kindRuleFor("", "ConfigMap"), undefined);
    assert.equal(kindRuleFor("example.com", "Widget"), undefined);
    const pvc = kindRuleFor("", "PersistentVolumeClaim");
    assert.ok(pvc);
    assert.equal(pvc.check(object("v1", "PersistentVolumeClaim", { status: { phase: "Lost" } })).status, "Degraded");
  });

  test("a kind of the same name in another group is not judged by the built-in kind's rule", () => {
    assert.equal(kindRuleFor("example.com", "Deployment"), undefined);
    const lookalike = object("example.com/v1", "Deployment", { spec: { paused: true } });
    assert.equal(assessHealth(lookalike).basis, "default");
    assert.equal(kindRuleFor("extensions", "Ingress"), undefined);
  });

  test("every rule is registered once and found under its own group and kind", () => {
    const keys = KIND_RULES.map((r) => `${r.kind}.${r.group}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const rule of KIND_RULES) assert.equal(kindRuleFor(rule.group, rule.kind), rule);
  });
});

describe("purity", () => {
  test("health() neither changes nor depends on anything but the object it is given", () => {
    const pod = deepFreeze(crashingPod({ deletionTimestamp: undefined }));
    const before = JSON.stringify(pod);
    const first = health(pod);
    assert.deepEqual(health(pod), first);
    assert.equal(JSON.stringify(pod), before);
  });

  test("fields of the wrong type read as absent instead of throwing", () => {
    const odd = object("apps/v1", "Deployment", {
      metadata: { generation: "2" },
      spec: { replicas: "three", paused: "yes" },
      status: { replicas: "3", updatedReplicas: null, conditions: "none", observedGeneration: [] },
    });
    const h = health(odd);
    assert.equal(h.status, "Progressing");
    assert.match(h.message, /0 of 1 replica updated/, "replicas default to 1 and counts to 0");
    const pod = object("v1", "Pod", { status: { phase: 7, containerStatuses: [null, 3, { state: "x" }] } });
    assert.equal(health(pod).status, "Progressing");
  });
});
