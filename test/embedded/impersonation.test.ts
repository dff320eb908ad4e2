// Impersonated requests on the embedded server answer as the real control plane's: the same requests, made
// as a service account whose Role allows ConfigMaps only, get the same codes, reasons and messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiError, KubeClient, loadClusterConfig, type ObjectError } from "../../src/cluster/index.js";
import { type ClusterTarget, testNamespace } from "../harness/cluster-fixture.js";

interface Answer {
  code: number;
  reason: string;
  message: string;
}

/** What the API server answered: 200 and "" when it allowed the request. */
async function answer(request: () => Promise<unknown>): Promise<Answer> {
  try {
    await request();
    return { code: 200, reason: "", message: "" };
  } catch (err) {
    const api = err instanceof ApiError ? err : (err as ObjectError).cause;
    assert.ok(api instanceof ApiError, String(err));
    return { code: api.code, reason: api.reason, message: api.message };
  }
}

async function answers(target: ClusterTarget, t: Parameters<typeof testNamespace>[0]): Promise<Record<string, Answer>> {
  const ns = await testNamespace(t, target);
  ns.kubectl(
    ["apply", "-f", "-"],
    [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "deployer" } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: "configmaps" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "patch"] }],
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "deployer" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "configmaps" },
        subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: ns.name }],
      },
    ]
      .map((o) => JSON.stringify(o))
      .join("\n---\n"),
  );
  const admin = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }));
  const as = admin.impersonating({ user: `system:serviceaccount:${ns.name}:deployer` });
  const signal = AbortSignal.timeout(30_000);
  const cm = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: ns.name },
    data: { a: "b" },
  };
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds", namespace: ns.name },
    stringData: { p: "q" },
  };
  const out = {
    "apply a ConfigMap": await answer(() => as.apply(cm, { signal })),
    "get it": await answer(() =>
      as.get({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "settings" }, signal),
    ),
    "dry-run apply a Secret": await answer(() => as.apply(secret, { dryRun: true, signal })),
    "apply a Secret": await answer(() => as.apply(secret, { signal })),
    "list Secrets": await answer(() => as.list("v1", "Secret", { namespace: ns.name, signal })),
    "delete the ConfigMap": await answer(() =>
      as.delete({ apiVersion: "v1", kind: "ConfigMap", namespace: ns.name, name: "settings" }, { signal }),
    ),
    "get a ConfigMap elsewhere": await answer(() =>
      as.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "kube-root-ca.crt" }, signal),
    ),
    "list Namespaces": await answer(() => as.list("v1", "Namespace", { signal })),
    "apply a Secret as the admin": await answer(() => admin.apply(secret, { signal })),
  };
  // Names differ between the two runs (each has its own namespace); compare the rest.
  return Object.fromEntries(
    Object.entries(out).map(([k, v]) => [k, { ...v, message: v.message.replaceAll(ns.name, "NS") }]),
  );
}

test("impersonated requests: the embedded server's RBAC answers as the real one's", async (t) => {
  const real = await answers("real", t);
  const embedded = await answers("embedded", t);
  assert.equal(real["apply a ConfigMap"]?.code, 200);
  assert.equal(real["apply a Secret"]?.code, 403);
  assert.equal(
    real["apply a Secret"]?.message,
    'secrets "creds" is forbidden: User "system:serviceaccount:NS:deployer" cannot patch resource "secrets" in API group "" in the namespace "NS"',
  );
  assert.equal(real["apply a Secret as the admin"]?.code, 200);
  assert.deepEqual(embedded, real);
});
