// An Application's CEL health checks: compiling them (what the controller refuses) and what they decide.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { HealthCheck, KubeObject } from "../api/index.js";
import { assessHealth, compileHealthChecks, health } from "./index.js";

const widget = (status?: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name: "w", namespace: "ns", generation: 1, ...metadata },
  spec: { size: 2 },
  ...(status ? { status } : {}),
});

const check = (fields: Partial<HealthCheck> = {}): HealthCheck => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  current: 'self.status.phase == "Ready"',
  failed: 'self.status.phase == "Failed"',
  ...fields,
});

/** Rules of valid checks; a test of a valid check fails loudly if it does not compile. */
function rules(...checks: HealthCheck[]) {
  const compiled = compileHealthChecks(checks);
  assert.deepEqual(compiled.problems, []);
  return compiled.rules;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe("what a check decides", () => {
  const custom = rules(check({ inProgress: 'self.status.phase == "Provisioning"' }));

  test("current → Healthy, failed → Degraded, inProgress → Progressing, none true → Progressing", () => {
    const verdict = (phase: string) => health(widget({ phase }), { custom });
    assert.deepEqual(verdict("Ready"), {
      status: "Healthy",
      message: 'current (spec.healthChecks[0]): self.status.phase == "Ready"',
    });
    assert.deepEqual(verdict("Failed"), {
      status: "Degraded",
      message: 'failed (spec.healthChecks[0]): self.status.phase == "Failed"',
    });
    assert.deepEqual(verdict("Provisioning"), {
      status: "Progressing",
      message: 'inProgress (spec.healthChecks[0]): self.status.phase == "Provisioning"',
    });
    assert.deepEqual(verdict("Pending"), {
      status: "Progressing",
      message: 'not current yet (spec.healthChecks[0]): self.status.phase == "Ready"',
    });
    assert.equal(assessHealth(widget({ phase: "Ready" }), { custom }).basis, "custom");
  });

  test("in Flux's order: inProgress before failed before current", () => {
    // cert-manager's Certificate: Issuing=True while Ready=False is on its way, not failed.
    const certificate = rules({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      inProgress: 'self.status.conditions.exists(c, c.type == "Issuing" && c.status == "True")',
      failed: 'self.status.conditions.exists(c, c.type == "Ready" && c.status == "False")',
      current: 'self.status.conditions.exists(c, c.type == "Ready" && c.status == "True")',
    });
    const cert = (conditions: Array<Record<string, string>>): KubeObject => ({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "tls" },
      status: { conditions },
    });
    const issuing = cert([
      { type: "Issuing", status: "True" },
      { type: "Ready", status: "False" },
    ]);
    assert.equal(health(issuing, { custom: certificate }).status, "Progressing");
    const stuck = cert([
      { type: "Issuing", status: "False" },
      { type: "Ready", status: "False" },
    ]);
    assert.equal(health(stuck, { custom: certificate }).status, "Degraded");
    const both = rules(check({ failed: "true", current: "true" }));
    assert.equal(health(widget({}), { custom: both }).status, "Degraded", "failed is evaluated before current");
  });

  test("an expression that cannot be evaluated is Unknown with the error, never a throw", () => {
    const missing = health(widget(), { custom });
    assert.equal(missing.status, "Unknown");
    assert.match(missing.message, /^cannot evaluate inProgress \(spec\.healthChecks\[0\]\): No such key: status/);
    assert.doesNotMatch(missing.message, /\n/, "one line, fit for a condition message");

    const notBoolean = rules(check({ current: "self.status.phase", failed: undefined }));
    assert.deepEqual(health(widget({ phase: "Ready" }), { custom: notBoolean }), {
      status: "Unknown",
      message: "cannot evaluate current (spec.healthChecks[0]): it returned string, not a boolean",
    });
  });

  test("fields that may be missing can be guarded, as in Flux: has() and optional fields", () => {
    const guarded = rules(check({ current: 'has(self.status) && self.status.phase == "Ready"', failed: undefined }), {
      apiVersion: "example.com/v1",
      kind: "Gadget",
      current: 'self.?status.?phase.orValue("") == "Ready"',
    });
    assert.equal(health(widget(), { custom: guarded }).status, "Progressing");
    const gadget = { ...widget(), kind: "Gadget" };
    assert.equal(health(gadget, { custom: guarded }).status, "Progressing");
    assert.equal(health({ ...gadget, status: { phase: "Ready" } }, { custom: guarded }).status, "Healthy");
  });

  test("whole numbers are CEL ints and others doubles, as Kubernetes' CEL sees them", () => {
    const numeric = rules(
      check({
        current: "self.spec.size + 1 == 3 && self.status.ratio > 0.5 && self.status.ratio < 1.0",
        failed: undefined,
      }),
    );
    assert.equal(health(widget({ ratio: 0.75 }), { custom: numeric }).status, "Healthy");
    assert.equal(health(widget({ ratio: 0.25 }), { custom: numeric }).status, "Progressing");
  });

  test("the object's top-level fields are bound by name too, so Flux's expressions work unchanged", () => {
    const flux = rules(
      check({
        current: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')",
        failed: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')",
      }),
    );
    assert.equal(
      health(widget({ conditions: [{ type: "Ready", status: "False" }] }), { custom: flux }).status,
      "Degraded",
    );
    const ready = widget({ conditions: [{ type: "Ready", status: "True" }] });
    assert.equal(health(ready, { custom: flux }).status, "Healthy");
    assert.equal(
      health(ready, {
        custom: rules(check({ current: "metadata.name == 'w' && kind == 'Widget'", failed: undefined })),
      }).status,
      "Healthy",
    );
  });

  test("evaluating neither changes the object nor depends on anything else", () => {
    const obj = deepFreeze(widget({ phase: "Ready" }));
    const before = JSON.stringify(obj);
    assert.equal(health(obj, { custom }).status, "Healthy");
    assert.equal(health(obj, { custom }).status, "Healthy");
    assert.equal(JSON.stringify(obj), before);
  });
});

describe("where a check applies", () => {
  test("it overrides the built-in rule of its kind, and a custom resource's conditions", () => {
    // The built-in rule says this Deployment is still rolling out; the Application says what counts for it.
    const deployment: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", generation: 1 },
      spec: { replicas: 3 },
      status: { observedGeneration: 1, replicas: 3, updatedReplicas: 1, availableReplicas: 1 },
    };
    assert.equal(health(deployment).status, "Progressing");
    const oneIsEnough = rules({
      apiVersion: "apps/v1",
      kind: "Deployment",
      current: "self.status.availableReplicas >= 1",
    });
    assert.deepEqual(
      {
        status: health(deployment, { custom: oneIsEnough }).status,
        basis: assessHealth(deployment, { custom: oneIsEnough }).basis,
      },
      { status: "Healthy", basis: "custom" },
    );

    const readyButFailed = widget({ phase: "Failed", conditions: [{ type: "Ready", status: "True" }] });
    assert.equal(health(readyButFailed).status, "Healthy", "by its Ready condition");
    assert.equal(health(readyButFailed, { custom: rules(check()) }).status, "Degraded", "by the Application's check");
  });

  test("deletion and generation still come first", () => {
    const custom = rules(check());
    const deleting = widget({ phase: "Ready" }, { deletionTimestamp: "2026-12-01T00:00:00Z" });
    assert.equal(assessHealth(deleting, { custom }).basis, "deletion");
    const stale = widget({ phase: "Ready", observedGeneration: 1 }, { generation: 2 });
    assert.deepEqual(
      { status: health(stale, { custom }).status, basis: assessHealth(stale, { custom }).basis },
      { status: "Progressing", basis: "generation" },
    );
  });

  test("by group and kind, whatever the version; a kind of the same name in another group is not affected", () => {
    const custom = rules(check({ apiVersion: "example.com/v1beta1" }));
    assert.equal(health(widget({ phase: "Failed" }), { custom }).status, "Degraded");
    const other = { ...widget({ phase: "Failed" }), apiVersion: "other.example/v1" };
    assert.equal(assessHealth(other, { custom }).basis, "default");
  });
});

describe("compiling", () => {
  test("valid checks compile to one rule per kind, with no problems", () => {
    const { rules: compiled, problems } = compileHealthChecks([
      check(),
      { apiVersion: "v1", kind: "ConfigMap", current: "has(self.data)" },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual([...compiled.keys()].sort(), ["ConfigMap.", "Widget.example.com"]);
    assert.deepEqual(compileHealthChecks(undefined), { rules: new Map(), problems: [] });
  });

  test("invalid CEL is a problem naming the check's index, kind and expression, and the check is left out", () => {
    const { rules: compiled, problems } = compileHealthChecks([
      { apiVersion: "v1", kind: "ConfigMap", current: "true" },
      check({ failed: "self.status.phase ==" }),
    ]);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? "",
      /^spec\.healthChecks\[1\] \(Widget\.example\.com\): failed: Unexpected token: EOF \(at character 21\)$/,
    );
    assert.deepEqual([...compiled.keys()], ["ConfigMap."]);
  });

  test("an unknown name, a type error and a result that is never a boolean are problems too", () => {
    const { problems } = compileHealthChecks([
      check({ current: 'slef.status.phase == "Ready"' }),
      check({ kind: "Gadget", current: '1 + "a" == 2' }),
      check({ kind: "Gizmo", current: "size(self.spec) + 1" }),
    ]);
    assert.deepEqual(
      problems.map((p) => p.replace(/ \(at character \d+\)$/, "")),
      [
        "spec.healthChecks[0] (Widget.example.com): current: Unknown variable: slef",
        "spec.healthChecks[1] (Gadget.example.com): current: no such overload: int + string",
        "spec.healthChecks[2] (Gizmo.example.com): current: must return a boolean, not int",
      ],
    );
  });

  test("a second check for the same kind, a missing current and a missing kind are problems", () => {
    const { rules: compiled, problems } = compileHealthChecks([
      check(),
      check({ apiVersion: "example.com/v2", current: "true" }),
      check({ kind: "Gadget", current: "" }),
      { apiVersion: "example.com/v1", current: "true" } as HealthCheck,
    ]);
    assert.deepEqual(problems, [
      "spec.healthChecks[1] (Widget.example.com): spec.healthChecks[0] already checks this kind",
      "spec.healthChecks[2] (Gadget.example.com): current is required",
      "spec.healthChecks[3]: apiVersion and kind are required",
    ]);
    assert.equal(compiled.get("Widget.example.com")?.source, "spec.healthChecks[0]", "the first one stays");
  });
});
