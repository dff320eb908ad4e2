import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { planAutoscaler, UTILIZATION_ANNOTATION } from "./autoscaler.js";
import { INGRESS_CONTROLLER_IP, ingressStatus, loadBalancerStatus, takenLoadBalancerIps } from "./load-balancer.js";

const NOW = Date.parse("2026-12-06T12:00:00Z");
const hpa = (spec: Record<string, unknown>, utilization?: number, created = "2026-12-06T11:00:00Z"): KubeObject => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: {
    name: "web",
    creationTimestamp: created,
    ...(utilization === undefined ? {} : { annotations: { [UTILIZATION_ANNOTATION]: String(utilization) } }),
  },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }],
    ...spec,
  },
});
const plan = (h: KubeObject, current: number | undefined) =>
  planAutoscaler({ hpa: h, currentReplicas: current, now: NOW, nowStamp: "2026-12-06T12:00:00Z" });
const reasons = (status: Record<string, unknown>) =>
  (status.conditions as { type: string; reason: string }[]).map((c) => `${c.type}=${c.reason}`);

test("the autoscaler scales up at once, by the ratio of utilisation to target, within maxReplicas", () => {
  const up = plan(hpa({}, 160), 3);
  assert.equal(up.scaleTo, 6);
  assert.equal(up.status.desiredReplicas, 6);
  assert.deepEqual(up.status.currentMetrics, [
    { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 160 } } },
  ]);
  assert.deepEqual(reasons(up.status), [
    "AbleToScale=SucceededRescale",
    "ScalingActive=ValidMetricFound",
    "ScalingLimited=DesiredWithinRange",
  ]);
  const capped = plan(hpa({}, 800), 4);
  assert.equal(capped.scaleTo, 10);
  assert.ok(reasons(capped.status).includes("ScalingLimited=TooManyReplicas"));
  assert.equal(plan(hpa({}, 85), 4).scaleTo, undefined, "within the 10% tolerance nothing changes");
});

test("scaling down waits for the stabilisation window; minReplicas holds; a missing target is reported", () => {
  const fresh = plan(hpa({}, 20, "2026-12-06T11:58:00Z"), 8);
  assert.equal(fresh.scaleTo, undefined, "created two minutes ago: the 300 s window holds the scale-down");
  assert.ok(reasons(fresh.status).includes("AbleToScale=ScaleDownStabilized"));
  const old = plan(hpa({}, 20), 8);
  assert.equal(old.scaleTo, 2);
  const noWindow = plan(
    hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }, 40, "2026-12-06T11:59:59Z"),
    8,
  );
  assert.equal(noWindow.scaleTo, 4);
  const missing = plan(hpa({}), undefined);
  assert.equal(missing.scaleTo, undefined);
  assert.deepEqual(reasons(missing.status), ["AbleToScale=FailedGetScale"]);
  assert.equal(
    plan(hpa({}), 2).status.desiredReplicas,
    2,
    "the default utilisation (50%) under 80% stays at minReplicas",
  );
});

test("LoadBalancer Services get a free documentation-range address; Ingresses the ingress controller's", () => {
  const svc = (uid: string, type = "LoadBalancer"): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: uid, uid },
    spec: { type },
  });
  const first = loadBalancerStatus(svc("a"), new Set());
  const ip = (first?.loadBalancer as { ingress: { ip: string }[] } | undefined)?.ingress[0]?.ip ?? "";
  assert.match(ip, /^198\.51\.100\.([2-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])$/);
  const holding = { ...svc("a"), status: first };
  assert.equal(loadBalancerStatus(holding, new Set()), undefined, "an address is kept");
  const taken = takenLoadBalancerIps([holding]);
  assert.deepEqual([...taken], [ip]);
  const second = loadBalancerStatus({ ...svc("a"), metadata: { name: "b", uid: "a" } }, taken);
  assert.notEqual(
    (second?.loadBalancer as { ingress: { ip: string }[] } | undefined)?.ingress[0]?.ip,
    ip,
    "no address twice",
  );
  assert.equal(loadBalancerStatus(svc("c", "ClusterIP"), new Set()), undefined);
  const classed = { ...svc("d"), spec: { type: "LoadBalancer", loadBalancerClass: "example.com/other" } };
  assert.equal(loadBalancerStatus(classed, new Set()), undefined, "another implementation's Service");
  const ing: KubeObject = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "i" } };
  assert.deepEqual(ingressStatus(ing), { loadBalancer: { ingress: [{ ip: INGRESS_CONTROLLER_IP }] } });
  assert.equal(ingressStatus({ ...ing, status: ingressStatus(ing) }), undefined);
  assert.ok(ingressStatus({ ...ing, spec: { ingressClassName: "nginx" } }), "a class it serves");
  assert.equal(ingressStatus({ ...ing, spec: { ingressClassName: "other" } }), undefined, "another controller's class");
});
