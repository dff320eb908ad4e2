// `bosun install`'s two identities on the real control plane: the agent itself reads everything and writes
// only in its namespace; every write outside it goes through a project's service account (the default
// project's deployer has full write). The agent runs here with nothing but its own ServiceAccount's token.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { installNames } from "../../src/api/index.js";
import { toolPath } from "../../src/tools/locate.js";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import {
  applyApplication,
  appTestSetup,
  startTestAgent,
  syncedAndHealthy,
  tokenKubeconfig,
  waitForApp,
} from "./agent-harness.js";

const REPO = join(import.meta.dirname, "../..");

/** `kubectl auth can-i` as a user: true or false (it exits 1 for "no"). */
function can(ns: TestNamespace, user: string, args: string[]): boolean {
  try {
    execFileSync(toolPath("kubectl"), [
      "--kubeconfig",
      ns.kubeconfig,
      "auth",
      "can-i",
      "--quiet",
      "--as",
      user,
      ...args,
    ]);
    return true;
  } catch (err) {
    if ((err as { status?: unknown }).status === 1) return false;
    throw err;
  }
}

test("bosun install: the agent's identity reads all and writes in its namespace; the default project writes through its deployer; a project without a service account cannot write elsewhere [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  const names = installNames(ns.name);
  t.after(() => {
    for (const kind of ["clusterrolebinding", "clusterrole"])
      ns.kubectl(["delete", kind, names.agent, names.deployer, "--ignore-not-found", "--wait=false"]);
  });
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "install", "--kubeconfig", ns.kubeconfig, "--app-namespace", ns.name],
    { cwd: REPO, encoding: "utf8" },
  );
  assert.match(out, /Project\/default (created|configured)/);

  const agentUser = `system:serviceaccount:${ns.name}:${names.agent}`;
  assert.ok(can(ns, agentUser, ["list", "secrets", "--all-namespaces"]), "reads everything");
  assert.ok(can(ns, agentUser, ["watch", "deployments.apps", "--all-namespaces"]));
  assert.ok(can(ns, agentUser, ["create", "secrets", "-n", ns.name]), "writes in its own namespace");
  assert.ok(can(ns, agentUser, ["impersonate", "serviceaccounts", "-n", ns.name]));
  assert.ok(!can(ns, agentUser, ["create", "configmaps", "-n", "kube-system"]), "writes nowhere else itself");
  assert.ok(!can(ns, agentUser, ["create", "clusterrolebindings"]));
  assert.ok(!can(ns, agentUser, ["impersonate", "users"]), "impersonates service accounts only");
  const deployerUser = `system:serviceaccount:${ns.name}:${names.deployer}`;
  assert.ok(can(ns, deployerUser, ["create", "configmaps", "-n", "kube-system"]), "the deployer has full write");

  const dir = mkdtempSync(join(tmpdir(), "bosun-install-rbac-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const token = ns.kubectl(["create", "token", names.agent, "--duration", "1h"]).trim();
  const sha = await repo.commit("default and team", {
    "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: through-deployer\ndata: { k: v }\n",
    "team/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: as-agent\ndata: { k: v }\n",
  });
  await startTestAgent(t, ns, { kubeconfig: tokenKubeconfig(ns.kubeconfig, token, dir) });

  applyApplication(setup, "default-app", { path: "app" });
  await waitForApp(ns, "default-app", "the default project's Application to sync", syncedAndHealthy(sha));
  assert.equal(
    ns.kubectl(["-n", dest, "get", "configmap", "through-deployer", "-o", "name"]).trim(),
    "configmap/through-deployer",
  );

  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Project",
      metadata: { name: "no-account", namespace: ns.name },
      spec: { sourceRepos: ["*"], destinations: [{ namespace: dest }] },
    }),
  );
  applyApplication(setup, "team-app", { path: "team", project: "no-account" });
  const app = await waitForApp(
    ns,
    "team-app",
    "the write to be refused",
    (a) => a.status?.operation?.phase === "Failed",
  );
  assert.match(
    app.status?.operation?.message ?? "",
    new RegExp(`User "${agentUser}" cannot patch resource "configmaps" in API group "" in the namespace "${dest}"`),
  );
});
