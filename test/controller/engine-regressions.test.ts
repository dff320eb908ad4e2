// Bugs found around the sync engine, each a case that failed before its fix, on the real control plane
// where it was seen there.
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const role = (name: string) =>
  JSON.stringify({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name },
    rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
  });

test("an object whose name holds _ and : is pruned when it leaves Git (its inventory id parses back) [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  const name = "reader_role:with_underscores";
  const first = await repo.commit("a role", { "app/role.yaml": role(name), "app/other.yaml": role("other") });
  await startTestAgent(t, ns);
  applyApplication(setup, "roles", { path: "app" });
  const app = await waitForApp(ns, "roles", "the roles to sync", syncedAndHealthy(first));
  assert.ok(app.status?.inventory?.includes(`rbac.authorization.k8s.io_Role_${dest}_${name}`));
  const second = await repo.commit("drop it", { "app/role.yaml": null });
  await waitForApp(ns, "roles", "the removal to sync", syncedAndHealthy(second));
  const left = ns.kubectl(["-n", dest, "get", "roles", "-o", "name"]).trim();
  assert.equal(left, "role.rbac.authorization.k8s.io/other", "the role with _ and : was pruned");
});

test("a SOPS-encrypted Secret in an Application without decryption is a render error naming the file; nothing is applied [real]", async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  await repo.commit("an encrypted secret, no keys", {
    "app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata: { k: v }\n",
    "app/db.yaml": [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db",
      "stringData:",
      "  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]",
      "sops:",
      "  mac: ENC[AES256_GCM,data:eA==,iv:eQ==,tag:eg==,type:str]",
      "  version: 3.13.2",
      "",
    ].join("\n"),
  });
  await startTestAgent(t, ns);
  applyApplication(setup, "sops", { path: "app" });
  const app = await waitForApp(
    ns,
    "sops",
    "the render to fail",
    (a) => a.status?.conditions?.find((c) => c.type === "Ready")?.reason === "RenderFailed",
  );
  const ready = app.status?.conditions?.find((c) => c.type === "Ready");
  assert.match(
    ready?.message ?? "",
    /^app\/db\.yaml: Secret\/.*db is SOPS-encrypted, but the Application configures no decryption/,
  );
  assert.throws(() => ns.kubectl(["-n", dest, "get", "secret", "db"]), /NotFound|not found/);
  assert.throws(() => ns.kubectl(["-n", dest, "get", "configmap", "plain"]), /NotFound|not found/);
});
