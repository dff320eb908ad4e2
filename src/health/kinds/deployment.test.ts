import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { deploymentHealth } from "./deployment.js";

const deployment = (spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec,
  status,
});

const deadline = {
  type: "Progressing",
  status: "False",
  reason: "ProgressDeadlineExceeded",
  message: 'ReplicaSet "web-1" has timed out progressing.',
};

test("spec.replicas defaults to 1", () => {
  assert.equal(deploymentHealth(deployment({}, {})).status, "Progressing");
  const one = { replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
  assert.deepEqual(deploymentHealth(deployment({}, one)), {
    status: "Healthy",
    message: "Rollout complete: 1 of 1 replica updated and available",
  });
});

test("a Deployment scaled to 0 is Healthy once its old replicas are gone", () => {
  assert.equal(deploymentHealth(deployment({ replicas: 0 }, { replicas: 1 })).status, "Progressing");
  assert.deepEqual(deploymentHealth(deployment({ replicas: 0 }, {})), {
    status: "Healthy",
    message: "Scaled to 0 replicas",
  });
});

test("paused is Suspended even after the progress deadline passed", () => {
  const paused = deployment({ paused: true }, { conditions: [deadline] });
  assert.equal(deploymentHealth(paused).status, "Suspended");
});

test("the progress deadline in the message is the Deployment's own", () => {
  const h = deploymentHealth(deployment({ progressDeadlineSeconds: 120 }, { conditions: [deadline] }));
  assert.equal(h.status, "Degraded");
  assert.match(h.message, /no progress for 120s/);
  assert.match(deploymentHealth(deployment({}, { conditions: [deadline] })).message, /600s/, "the API default");
});

test("each rollout stage in kubectl's order: updated, then old replicas gone, then available", () => {
  const spec = { replicas: 3 };
  assert.match(
    deploymentHealth(deployment(spec, { replicas: 4, updatedReplicas: 2, availableReplicas: 3 })).message,
    /2 of 3 replicas updated/,
  );
  assert.match(
    deploymentHealth(deployment(spec, { replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).message,
    /1 old replica is pending termination/,
  );
  assert.match(
    deploymentHealth(deployment(spec, { replicas: 3, updatedReplicas: 3, availableReplicas: 1 })).message,
    /1 of 3 updated replicas are available/,
  );
  assert.equal(
    deploymentHealth(deployment(spec, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).status,
    "Healthy",
  );
});

test("a Progressing condition that is not ProgressDeadlineExceeded does not degrade", () => {
  const updating = { type: "Progressing", status: "True", reason: "ReplicaSetUpdated" };
  const h = deploymentHealth(
    deployment({ replicas: 1 }, { replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [updating] }),
  );
  assert.equal(h.status, "Healthy");
});
