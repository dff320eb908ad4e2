// Every fixture under fixtures/ through health(): objects as the Kubernetes 1.36 control plane writes them
// (captured from a real one where it could produce the state, written by hand after its source where not;
// each file says which in its first lines).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { HealthStatus, KubeObject } from "../api/index.js";
import { assessHealth, type HealthBasis, KIND_RULES } from "./index.js";

const FIXTURES = new URL("./fixtures/", import.meta.url);

interface Case {
  fixture: string;
  status: HealthStatus;
  basis: HealthBasis;
  message: RegExp;
}

const c = (fixture: string, status: HealthStatus, basis: HealthBasis, message: RegExp): Case => ({
  fixture,
  status,
  basis,
  message,
});

/** Fixtures by the kind (or rule) they exercise. */
const CASES: Record<string, Case[]> = {
  Deployment: [
    c("deployment-available", "Healthy", "kind", /^Rollout complete: 2 of 2 replicas updated and available$/),
    c("deployment-not-observed-yet", "Progressing", "generation", /observe generation 1 \(no status yet\)/),
    c(
      "deployment-generation-not-observed",
      "Progressing",
      "generation",
      /generation 3 \(status describes generation 2\)/,
    ),
    c(
      "deployment-being-deleted",
      "Progressing",
      "deletion",
      /being deleted \(since .*\); waiting for finalizers: foregroundDeletion/,
    ),
    c("deployment-paused", "Suspended", "kind", /paused/),
    c(
      "deployment-progress-deadline-exceeded",
      "Degraded",
      "kind",
      /no progress for 5s \(ProgressDeadlineExceeded\): ReplicaSet "stuck-77dc5b8656" has timed out progressing\./,
    ),
    c(
      "deployment-rolling-update-in-progress",
      "Progressing",
      "kind",
      /^Waiting for rollout to finish: 1 of 2 replicas updated/,
    ),
    c("deployment-old-replicas-pending-termination", "Progressing", "kind", /2 old replicas are pending termination/),
    c("deployment-updated-replicas-unavailable", "Progressing", "kind", /0 of 2 updated replicas are available/),
  ],
  StatefulSet: [
    c("stateful-set-rolled-out", "Healthy", "kind", /2 of 2 pods ready at revision db-77f4c8d5d6/),
    c("stateful-set-rolling-update-pod-not-ready", "Progressing", "kind", /Waiting for pods to be ready: 2 of 3 pods/),
    c(
      "stateful-set-rolling-update-revision-pending",
      "Progressing",
      "kind",
      /2 of 3 pods at revision orders-db-5f9c8b6d47/,
    ),
    c(
      "stateful-set-on-delete-template-changed",
      "Healthy",
      "kind",
      /OnDelete\); pods are updated to cache-6c989f4c55 only when deleted/,
    ),
    c("stateful-set-on-delete-pods-not-ready", "Progressing", "kind", /0 of 2 pods ready/),
    c(
      "stateful-set-partitioned-rollout-complete",
      "Healthy",
      "kind",
      /Partitioned rollout complete: 1 pod at ordinal 2 or above/,
    ),
    c(
      "stateful-set-partitioned-rollout-in-progress",
      "Progressing",
      "kind",
      /1 of 2 pods at ordinal 2 or above updated/,
    ),
  ],
  DaemonSet: [
    c("daemon-set-rolled-out", "Healthy", "kind", /Rollout complete: 1 of 1 pod updated and available/),
    c("daemon-set-rolling-update-pods-not-updated", "Progressing", "kind", /1 of 3 pods updated so far/),
    c("daemon-set-rolling-update-pod-unavailable", "Progressing", "kind", /0 of 1 updated pods are available/),
    c(
      "daemon-set-on-delete-template-changed",
      "Healthy",
      "kind",
      /OnDelete\); 1 pod runs an older template until deleted/,
    ),
    c("daemon-set-on-delete-pod-unavailable", "Progressing", "kind", /0 of 1 pods are available/),
    c("daemon-set-no-eligible-nodes", "Healthy", "kind", /0 pods scheduled/),
  ],
  ReplicaSet: [
    c("replica-set-available", "Healthy", "kind", /2 of 2 replicas available/),
    c("replica-set-pods-not-ready", "Progressing", "kind", /0 of 2 replicas/),
    c(
      "replica-set-quota-exceeded",
      "Degraded",
      "kind",
      /FailedCreate: pods "worker-zttgl" is forbidden: exceeded quota/,
    ),
  ],
  Pod: [
    c("pod-running-ready", "Healthy", "kind", /Running and Ready/),
    c(
      "pod-running-not-ready",
      "Progressing",
      "kind",
      /Running but not Ready: ContainersNotReady: containers with unready status/,
    ),
    c(
      "pod-running-restart-policy-never",
      "Progressing",
      "kind",
      /restartPolicy Never is healthy once it has completed/,
    ),
    c("pod-pending-unschedulable", "Progressing", "kind", /not scheduled yet: Unschedulable: 0\/1 nodes are available/),
    c("pod-pending-container-creating", "Progressing", "kind", /container "web" is ContainerCreating/),
    c("pod-succeeded", "Healthy", "kind", /completed successfully/),
    c("pod-crashloop-backoff", "Degraded", "kind", /^Container "app" is in CrashLoopBackOff: back-off 5m0s restarting/),
    c(
      "pod-image-pull-backoff",
      "Degraded",
      "kind",
      /^Container "web" is in ImagePullBackOff: Back-off pulling image "nginx:1.99/,
    ),
    c("pod-err-image-pull", "Degraded", "kind", /^Container "web" is in ErrImagePull: rpc error: code = NotFound/),
    c(
      "pod-create-container-config-error",
      "Degraded",
      "kind",
      /CreateContainerConfigError: couldn't find key database-url/,
    ),
    c("pod-invalid-image-name", "Degraded", "kind", /InvalidImageName: Failed to apply default image tag "nginx:"/),
    c("pod-init-container-crashloop-backoff", "Degraded", "kind", /^Init container "migrate" is in CrashLoopBackOff/),
    c("pod-failed-evicted", "Degraded", "kind", /^Pod failed: Evicted: The node was low on resource: memory/),
    c(
      "pod-failed-container-exit-code",
      "Degraded",
      "kind",
      /^Pod failed: container "seed" exited with code 2 \(Error\)$/,
    ),
  ],
  Job: [
    c(
      "job-complete",
      "Healthy",
      "kind",
      /Job completed: CompletionsReached: Reached expected number of succeeded pods/,
    ),
    c("job-running", "Progressing", "kind", /Job is running: 1 active, 0 of 1 succeeded, 0 failed/),
    c(
      "job-success-criteria-met-pods-terminating",
      "Progressing",
      "kind",
      /succeeded; waiting for its pods to terminate/,
    ),
    c("job-suspended", "Suspended", "kind", /Job is suspended/),
    c(
      "job-deadline-exceeded",
      "Degraded",
      "kind",
      /Job failed: DeadlineExceeded: Job was active longer than specified deadline/,
    ),
    c(
      "job-backoff-limit-exceeded",
      "Degraded",
      "kind",
      /Job failed: BackoffLimitExceeded: Job has reached the specified backoff limit/,
    ),
    c("job-failure-target-pods-terminating", "Degraded", "kind", /pods are terminating\): BackoffLimitExceeded/),
  ],
  CronJob: [
    c("cron-job-not-scheduled-yet", "Healthy", "kind", /"0 3 \* \* \*": not scheduled yet/),
    c("cron-job-last-run-succeeded", "Healthy", "kind", /last scheduled at 2026-11-27T23:07:00Z/),
    c("cron-job-suspended", "Suspended", "kind", /no new Jobs are scheduled/),
  ],
  Service: [
    c("service-cluster-ip", "Healthy", "kind", /^ClusterIP Service at 10\.96\.221\.97$/),
    c("service-load-balancer-pending", "Progressing", "kind", /Waiting for a load balancer/),
    c("service-load-balancer-ready", "Healthy", "kind", /Load balancer ready at 203\.0\.113\.10/),
  ],
  Ingress: [
    c(
      "ingress-no-address",
      "Progressing",
      "kind",
      /ingress controller \(ingressClassName nginx\) to assign an address/,
    ),
    c("ingress-address-assigned", "Healthy", "kind", /Served at a1b2c3d4e5f6.*elb\.amazonaws\.com/),
  ],
  PersistentVolumeClaim: [
    c("persistent-volume-claim-bound", "Healthy", "kind", /Bound to volume pv-data \(1Gi\)/),
    c("persistent-volume-claim-pending", "Progressing", "kind", /Pending: .*storageClassName fast-ssd/),
    c("persistent-volume-claim-lost", "Degraded", "kind", /Lost: the PersistentVolume pv-archive/),
  ],
  SealedSecret: [
    c("sealed-secret-unsealed", "Healthy", "kind", /Unsealed into its Secret/),
    c("sealed-secret-not-unsealed-yet", "Progressing", "kind", /Waiting for the Sealed Secrets controller/),
    c("sealed-secret-unseal-failed", "Degraded", "kind", /ErrUnsealFailed: encryptedData.password: no key/),
  ],
  HorizontalPodAutoscaler: [
    c("horizontal-pod-autoscaler-scaling-limited", "Healthy", "kind", /2 current, 2 desired replicas; TooFewReplicas/),
    c("horizontal-pod-autoscaler-just-created", "Progressing", "kind", /first evaluation/),
    c(
      "horizontal-pod-autoscaler-failed-get-resource-metric",
      "Degraded",
      "kind",
      /not working: FailedGetResourceMetric/,
    ),
    c(
      "horizontal-pod-autoscaler-v1-failed-get-resource-metric",
      "Degraded",
      "kind",
      /not working: FailedGetResourceMetric/,
    ),
    c(
      "horizontal-pod-autoscaler-failed-get-scale",
      "Degraded",
      "kind",
      /FailedGetScale: .*deployments\.apps "ghost" not found/,
    ),
    c("horizontal-pod-autoscaler-scaling-disabled", "Suspended", "kind", /ScalingDisabled: scaling is disabled/),
  ],
  APIService: [
    c("api-service-local-available", "Healthy", "kind", /Local: Local APIServices are always available/),
    c("api-service-just-created", "Progressing", "kind", /no Available condition yet/),
    c(
      "api-service-service-not-found",
      "Degraded",
      "kind",
      /ServiceNotFound: service\/metrics-server in "kube-system" is not present/,
    ),
  ],
  CustomResourceDefinition: [
    c("custom-resource-definition-established", "Healthy", "kind", /Established: InitialNamesAccepted/),
    c("custom-resource-definition-just-created", "Progressing", "kind", /no Established condition yet/),
    c("custom-resource-definition-names-not-accepted", "Degraded", "kind", /KindConflict: "Widget" is already in use/),
  ],
  Namespace: [
    c("namespace-active", "Healthy", "kind", /^Active$/),
    c(
      "namespace-terminating",
      "Progressing",
      "deletion",
      /finalizers remaining: example\.com\/hold in 1 resource instances/,
    ),
  ],
  "custom resources (generic conditions)": [
    c(
      "custom-resource-ready",
      "Healthy",
      "conditions",
      /^ReconciliationSucceeded: Applied revision: main@sha1:5c3e1a9f/,
    ),
    c("custom-resource-available", "Healthy", "conditions", /^Available$/),
    c(
      "custom-resource-reconciling",
      "Progressing",
      "conditions",
      /^Reconciling: ProgressingWithRetry: Building manifests/,
    ),
    c("custom-resource-ready-false", "Progressing", "conditions", /^Ready=False: DoesNotExist: Issuing certificate/),
    c(
      "custom-resource-ready-condition-stale",
      "Progressing",
      "conditions",
      /generation 2 \(the Ready condition describes generation 1\)/,
    ),
    c(
      "custom-resource-stalled",
      "Degraded",
      "conditions",
      /^Stalled: RetriesExceeded: Failed to install after 1 attempt/,
    ),
  ],
  "kinds with no health signal": [
    c("custom-resource-without-status", "Healthy", "default", /no health check and reports no conditions/),
    c("config-map", "Healthy", "default", /ConfigMap exists/),
  ],
};

function fixtureText(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, FIXTURES), "utf8");
}

function loadFixture(name: string): KubeObject {
  const value: unknown = parse(fixtureText(name));
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `${name}: not a YAML mapping`);
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  assert.ok(typeof apiVersion === "string" && typeof kind === "string", `${name}: no apiVersion or kind`);
  assert.ok(typeof metadata === "object" && metadata !== null, `${name}: no metadata`);
  return value as KubeObject;
}

const ALL_CASES = Object.values(CASES).flat();

for (const [group, cases] of Object.entries(CASES)) {
  describe(group, () => {
    for (const expected of cases) {
      test(`${expected.fixture} is ${expected.status}`, () => {
        const { health, basis } = assessHealth(loadFixture(expected.fixture));
        assert.equal(health.status, expected.status, health.message);
        assert.equal(basis, expected.basis, health.message);
        assert.match(health.message, expected.message);
      });
    }
  });
}

describe("the fixtures", () => {
  test("every fixture file is in the table exactly once, and every table entry has a file", () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => f.slice(0, -".yaml".length))
      .sort();
    const listed = ALL_CASES.map((x) => x.fixture).sort();
    assert.deepEqual(listed, [...new Set(listed)], "a fixture is listed twice");
    assert.deepEqual(files, listed);
  });

  test("every fixture says where its status comes from", () => {
    for (const { fixture } of ALL_CASES) {
      const header = fixtureText(fixture)
        .split("\n")
        .filter((line) => line.startsWith("#"))
        .join("\n");
      assert.match(header, /Captured from the real control plane|Written by hand/, fixture);
    }
  });

  test("every per-kind rule is exercised by fixtures of its kind, for each verdict it can give", () => {
    // The verdicts each kind's rule can give (Suspended only where the kind can be paused or suspended).
    const outcomes: Record<string, HealthStatus[]> = {
      Deployment: ["Healthy", "Progressing", "Degraded", "Suspended"],
      StatefulSet: ["Healthy", "Progressing"],
      DaemonSet: ["Healthy", "Progressing"],
      ReplicaSet: ["Healthy", "Progressing", "Degraded"],
      Pod: ["Healthy", "Progressing", "Degraded"],
      Job: ["Healthy", "Progressing", "Degraded", "Suspended"],
      CronJob: ["Healthy", "Suspended"],
      Service: ["Healthy", "Progressing"],
      Ingress: ["Healthy", "Progressing"],
      PersistentVolumeClaim: ["Healthy", "Progressing", "Degraded"],
      HorizontalPodAutoscaler: ["Healthy", "Progressing", "Degraded", "Suspended"],
      APIService: ["Healthy", "Progressing", "Degraded"],
      CustomResourceDefinition: ["Healthy", "Progressing", "Degraded"],
      Namespace: ["Healthy", "Progressing"],
      SealedSecret: ["Healthy", "Progressing", "Degraded"],
    };
    assert.deepEqual(Object.keys(outcomes).sort(), KIND_RULES.map((r) => r.kind).sort());
    for (const rule of KIND_RULES) {
      const seen = new Set(
        ALL_CASES.filter((x) => loadFixture(x.fixture).kind === rule.kind && x.basis !== "generation").map(
          (x) => x.status,
        ),
      );
      assert.deepEqual([...seen].sort(), [...(outcomes[rule.kind] ?? [])].sort(), rule.kind);
    }
  });
});
