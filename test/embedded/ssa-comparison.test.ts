// One server-side apply sequence, run on the embedded server and on the real control plane, must give
// the same object, the same field ownership and the same conflict messages.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { testNamespace } from "../harness/cluster-fixture.js";
import { runKubectl, startFixture } from "./embedded-fixture.js";

const manifest = (namespace: string, replicas: number, withPorts: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: ${namespace}, labels: {app: shop}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env: [{name: MODE, value: prod}]
${withPorts ? "        ports: [{containerPort: 80, name: http}, {containerPort: 9090, protocol: TCP}]\n" : ""}`;

interface Outcome {
  conflict: string;
  object: unknown;
  migrated: unknown;
}

type Kubectl = (args: string[], input?: string) => Promise<{ code: number; stdout: string; stderr: string }>;

async function runSequence(kubectl: Kubectl, namespace: string): Promise<Outcome> {
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  await ok(["apply", "--server-side", "--field-manager=alice", "-f", "-"], manifest(namespace, 2, true));
  await ok(["-n", namespace, "scale", "deployment/shop", "--replicas=4"]);
  await ok([
    "-n",
    namespace,
    "patch",
    "deployment",
    "shop",
    "--field-manager=bob",
    "--type=strategic",
    "-p",
    '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28","env":[{"name":"DEBUG","value":"1"}]}]}}}}',
  ]);
  const rejected = await kubectl(
    ["apply", "--server-side", "--field-manager=alice", "-f", "-"],
    manifest(namespace, 2, true),
  );
  assert.notEqual(rejected.code, 0, "alice's re-apply without force conflicts");
  await ok(
    ["apply", "--server-side", "--field-manager=alice", "--force-conflicts", "-f", "-"],
    manifest(namespace, 3, false),
  );
  const live = parseYaml(
    await ok(["-n", namespace, "get", "deployment", "shop", "-o", "yaml", "--show-managed-fields"]),
  ) as KubeObject;
  // kubectl's move from client-side to server-side apply: the API server excuses conflicts with kubectl's
  // own last-applied configuration, and kubectl rewrites managedFields.
  const settings = (mode: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: ${namespace}, labels: {app: shop}}\ndata: {mode: ${mode}, level: "3"}\n`;
  await ok(["apply", "-f", "-"], settings("dev"));
  await ok(["apply", "--server-side", "-f", "-"], settings("prod"));
  const migrated = parseYaml(
    await ok(["-n", namespace, "get", "configmap", "settings", "-o", "yaml", "--show-managed-fields"]),
  ) as KubeObject;
  const annotation = migrated.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"] ?? "";
  const lastApplied = JSON.parse(annotation.replaceAll(namespace, "NS")) as unknown;
  return {
    conflict: rejected.stderr.split("\n").slice(0, 5).join("\n"),
    object: normalise(live),
    migrated: { ...(normalise(migrated) as object), lastApplied },
  };
}

/** Drops what differs by nature between two servers: identity, times, versions, and the controllers' status. */
function normalise(obj: KubeObject): unknown {
  const {
    uid: _u,
    creationTimestamp: _c,
    resourceVersion: _r,
    namespace: _n,
    managedFields,
    annotations,
    ...metadata
  } = obj.metadata;
  const kept = Object.fromEntries(
    Object.entries(annotations ?? {}).filter(
      ([k]) => k !== "deployment.kubernetes.io/revision" && k !== "kubectl.kubernetes.io/last-applied-configuration",
    ),
  );
  return {
    ...obj,
    status: undefined,
    metadata: {
      ...metadata,
      annotations: Object.keys(kept).length > 0 ? kept : undefined,
      managedFields: (managedFields ?? [])
        .filter((m) => m.manager !== "kube-controller-manager")
        .map(({ time: _t, ...m }) => m),
    },
  };
}

test("the same server-side apply sequence gives the same object and conflicts on the embedded and the real server", async (t) => {
  const real = await testNamespace(t);
  const cache = mkdtempSync(join(tmpdir(), "bosun-kubectl-cache-"));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const onReal = await runSequence((args, input) => runKubectl(real.kubeconfig, cache, args, input), real.name);

  const embedded = await startFixture(t);
  await embedded.kubectl(["apply", "-f", "-"], "apiVersion: v1\nkind: Namespace\nmetadata: {name: compare}\n");
  const onEmbedded = await runSequence(embedded.kubectlResult, "compare");

  assert.match(onReal.conflict, /Apply failed with 2 conflicts/);
  assert.equal(onEmbedded.conflict, onReal.conflict);
  assert.deepEqual(onEmbedded.object, onReal.object);
  assert.deepEqual(onEmbedded.migrated, onReal.migrated);
});
