import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { BUILTIN_KINDS } from "../resources/builtin-kinds.js";
import { applyDefaults } from "./defaults.js";
import { validateObject } from "./validate.js";

const typeOf = (kind: string) => {
  const t = BUILTIN_KINDS.find((k) => k.kind === kind);
  if (!t) throw new Error(kind);
  return t;
};

test("defaults of a Deployment and its pod template, as the API server fills them in", () => {
  const d: Record<string, unknown> = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: "a", image: "nginx" },
            { name: "b", image: "nginx:1.27", ports: [{ containerPort: 80 }] },
          ],
        },
      },
    },
  };
  applyDefaults("apps", "Deployment", d);
  const spec = d.spec as {
    replicas: number;
    strategy: unknown;
    template: { spec: Record<string, unknown> & { containers: Array<Record<string, unknown>> } };
  };
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
  assert.equal(spec.template.spec.restartPolicy, "Always");
  assert.equal(spec.template.spec.containers[0]?.imagePullPolicy, "Always", "no tag: latest");
  assert.equal(spec.template.spec.containers[1]?.imagePullPolicy, "IfNotPresent");
  assert.deepEqual(spec.template.spec.containers[1]?.ports, [{ containerPort: 80, protocol: "TCP" }]);
});

test("a Secret's stringData is folded into data; a Namespace gets its name label and phase", () => {
  const s: Record<string, unknown> = { data: { a: "YQ==" }, stringData: { b: "b" } };
  applyDefaults("", "Secret", s);
  assert.deepEqual(s, { data: { a: "YQ==", b: "Yg==" }, type: "Opaque" });
  const ns: Record<string, unknown> = { metadata: { name: "team" } };
  applyDefaults("", "Namespace", ns);
  assert.deepEqual(ns, {
    metadata: { name: "team", labels: { "kubernetes.io/metadata.name": "team" } },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  });
});

test("validation: names, labels, workload selectors, containers, immutable selector", () => {
  const ok: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "i" }] } },
    },
  };
  assert.deepEqual(validateObject(typeOf("Deployment"), ok, undefined), []);
  const fields = (obj: KubeObject, before?: KubeObject) =>
    validateObject(typeOf(obj.kind), obj, before).map((e) => `${e.field} ${e.reason}`);
  assert.deepEqual(fields({ ...ok, metadata: { name: "Web", labels: { "a b": "c" } } }), [
    "metadata.name FieldValueInvalid",
    "metadata.labels FieldValueInvalid",
  ]);
  assert.deepEqual(
    fields({
      ...ok,
      spec: { selector: { matchLabels: { app: "x" } }, template: { spec: { containers: [{ name: "c" }] } } },
    }),
    ["spec.template.metadata.labels FieldValueInvalid", "spec.template.spec.containers[0].image FieldValueRequired"],
  );
  const moved = { ...ok, spec: { ...(ok.spec as object), selector: { matchLabels: { app: "web", v: "2" } } } };
  assert.ok(fields(moved, ok).includes("spec.selector FieldValueInvalid"));
  assert.deepEqual(
    fields({ apiVersion: "v1", kind: "Service", metadata: { name: "a.b" } }),
    ["metadata.name FieldValueInvalid"],
    "Service names are DNS labels",
  );
  const role = (name: string) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name },
  });
  assert.deepEqual(fields(role("system:aggregated-metrics-reader")), [], "RBAC names are path segments: ':' is fine");
  assert.deepEqual(
    validateObject(typeOf("ClusterRole"), role("a/b%c"), undefined).map((e) => e.detail),
    [`Invalid value: "a/b%c": may not contain '/'`, `Invalid value: "a/b%c": may not contain '%'`],
  );
  assert.deepEqual(fields(role("..")), ["metadata.name FieldValueInvalid"]);
});

test("an HPA gets minReplicas 1 and the 80% CPU metric when it names none", () => {
  const hpa: Record<string, unknown> = { spec: { maxReplicas: 4 } };
  applyDefaults("autoscaling", "HorizontalPodAutoscaler", hpa);
  assert.deepEqual(hpa.spec, {
    maxReplicas: 4,
    minReplicas: 1,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }],
  });
  const named: Record<string, unknown> = { spec: { minReplicas: 2, metrics: [{ type: "Pods" }] } };
  applyDefaults("autoscaling", "HorizontalPodAutoscaler", named);
  assert.deepEqual(named.spec, { minReplicas: 2, metrics: [{ type: "Pods" }] });
});

test("validation: config keys, the 1 MiB of data, immutable ConfigMaps and Secrets, a Service's cluster IP, a Job's template", () => {
  const cm = (rest: Record<string, unknown>): KubeObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c" },
    ...rest,
  });
  const fields = (kind: string, obj: KubeObject, before?: KubeObject) =>
    validateObject(typeOf(kind), obj, before).map((e) => `${e.field}: ${e.detail.split(":")[0]}`);
  assert.deepEqual(fields("ConfigMap", cm({ data: { "a b": "1", ok: "2" }, binaryData: { "x/y": "" } })), [
    "data[a b]: Invalid value",
    "binaryData[x/y]: Invalid value",
  ]);
  assert.deepEqual(fields("ConfigMap", cm({ data: { a: "x".repeat(1024 * 1024), b: "y" } })), ["[]: Too long"]);
  assert.deepEqual(fields("ConfigMap", cm({ data: { a: "x".repeat(1024 * 1024) } })), [], "exactly 1 MiB is allowed");
  const frozen = cm({ immutable: true, data: { a: "1" } });
  assert.deepEqual(fields("ConfigMap", cm({ immutable: true, data: { a: "2" } }), frozen), ["data: Forbidden"]);
  assert.deepEqual(fields("ConfigMap", cm({ immutable: false, data: { a: "1" } }), frozen), ["immutable: Forbidden"]);
  assert.deepEqual(
    fields("ConfigMap", cm({ data: { a: "2" } }), cm({ data: { a: "1" } })),
    [],
    "not immutable: changes are fine",
  );
  const secret: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s" },
    data: { k: Buffer.alloc(1024 * 1024 + 1).toString("base64") },
  };
  assert.deepEqual(fields("Secret", secret), ["data: Too long"]);
  const svc = (ip: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "s" },
    spec: { clusterIP: ip, clusterIPs: [ip] },
  });
  assert.deepEqual(fields("Service", svc("10.96.0.9"), svc("10.96.0.8")), ["spec.clusterIPs[0]: Invalid value"]);
  assert.deepEqual(fields("Service", svc("10.96.0.9"), { ...svc(""), spec: {} }), [], "an IP may be set once");
  const job = (image: string): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image }] } } },
  });
  assert.deepEqual(fields("Job", job("b"), job("a")), ["spec.template: Invalid value"]);
});
