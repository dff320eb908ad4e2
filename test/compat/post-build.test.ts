// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} in plain strings are what Flux substitutes
// Flux's post-build variable substitution on a plain directory and a Kustomize overlay: inline variables over
// a ConfigMap's and a labelled Secret's, defaults, the $${…} escape, a whole-scalar number; a change to the
// ConfigMap syncs at once; the Secret's value is in the cluster and nowhere in bosun's status.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  getApp,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

const TOKEN = "tok-from-a-values-secret-42";

const manifests = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-\${ENV}
data:
  greeting: \${GREETING}
  region: \${REGION:=eu-west-1}
  literal: $\${NOT_A_VARIABLE}
  token: \${TOKEN}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-\${ENV}
spec:
  replicas: \${REPLICAS}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx }]
`;

type Live = KubeObject & { data?: Record<string, string>; spec?: { replicas?: unknown } };

function get(setup: AppTestSetup, kind: string, name: string): Live | undefined {
  try {
    return JSON.parse(setup.ns.kubectl(["-n", setup.dest, "get", kind, name, "-o", "json"])) as Live;
  } catch {
    return undefined;
  }
}

for (const target of CLUSTER_TARGETS) {
  test(`postBuild substitution on a plain directory and a Kustomize overlay [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const sha = await setup.repo.commit("substituted", {
      "plain/all.yaml": manifests,
      "kustomized/all.yaml": manifests.replaceAll("${ENV}", "${ENV}-k"),
      "kustomized/kustomization.yaml": "resources: [all.yaml]\ncommonLabels:\n  team: ${TEAM}\n",
    });
    const apply = (object: Record<string, unknown>) => setup.ns.kubectl(["apply", "-f", "-"], JSON.stringify(object));
    apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "vars" },
      data: { GREETING: "hello", TEAM: "blue" },
    });
    apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "secret-vars", labels: { "bosun.dev/secret-type": "values" } },
      stringData: { TOKEN },
    });
    await startTestAgent(t, setup.ns);
    const postBuild = {
      substitute: { ENV: "prod", REPLICAS: "2" },
      substituteFrom: [
        { kind: "ConfigMap", name: "vars" },
        { kind: "Secret", name: "secret-vars" },
      ],
    };
    for (const [name, path] of [
      ["plain", "plain"],
      ["kustomized", "kustomized"],
    ] as const) {
      applyApplication(setup, name, { path, interval: "1h", source: { postBuild } });
    }
    const plain = await waitForApp(setup.ns, "plain", "Synced and Healthy", syncedAndHealthy(sha));
    await waitForApp(setup.ns, "kustomized", "Synced and Healthy", syncedAndHealthy(sha));
    assert.deepEqual(get(setup, "configmap", "settings-prod")?.data, {
      greeting: "hello",
      region: "eu-west-1",
      literal: "${NOT_A_VARIABLE}",
      token: TOKEN,
    });
    assert.equal(get(setup, "deployment", "web-prod")?.spec?.replicas, 2);
    const kustomized = get(setup, "configmap", "settings-prod-k");
    assert.equal(kustomized?.metadata.labels?.team, "blue", "substituted after kustomize build, labels too");
    assert.ok(!JSON.stringify(plain.status).includes(TOKEN), "the Secret's value is nowhere in status");

    setup.ns.kubectl(["patch", "configmap", "vars", "--type=merge", "-p", '{"data":{"GREETING":"changed"}}']);
    await waitFor(
      "the ConfigMap's change applied (interval 1h: only its watch brings it)",
      async () => get(setup, "configmap", "settings-prod")?.data?.greeting === "changed",
      { timeoutMs: 60_000 },
    );
    assert.equal(getApp(setup.ns, "plain").status?.sync?.status, "Synced");
  });
}
