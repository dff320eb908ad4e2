// `bosun bootstrap` on the real control plane: bosun's manifests are committed to a real repository, bosun is
// installed, and an Application keeps the installation as Git says; an upgrade is a commit.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { installNames } from "../../src/api/index.js";
import { testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { runCli, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const git = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

test("bosun bootstrap commits bosun's manifests, installs bosun, and bosun keeps itself as Git says [real]", async (t) => {
  const ns = await testNamespace(t, "real");
  const names = installNames(ns.name);
  t.after(() => {
    for (const kind of ["clusterrolebinding", "clusterrole"])
      ns.kubectl(["delete", kind, names.agent, names.deployer, "--ignore-not-found", "--wait=false"]);
  });
  const dir = mkdtempSync(join(tmpdir(), "bosun-bootstrap-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const remote = join(dir, "fleet.git");
  git(dir, ["init", "--quiet", "--bare", "--initial-branch", "main", remote]);
  const url = `file://${remote}`;

  const args = ["--kubeconfig", ns.kubeconfig, "--app-namespace", ns.name, "--repo", url, "--path", "clusters/dev"];
  const first = await runCli(["bootstrap", ...args, "--image", "registry.example/bosun:v1"]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /committed clusters\/dev\/bosun\.yaml to main/);
  assert.match(first.out, /Application\/bosun created/);

  // The commit holds what `bosun install` applies, agent included.
  const sha = git(remote, ["rev-parse", "refs/heads/main"]);
  const committed = parseAllDocuments(git(remote, ["show", "main:clusters/dev/bosun.yaml"])).map(
    (d) => d.toJS() as { kind: string; metadata: { name: string } },
  );
  const kinds = committed.map((o) => `${o.kind}/${o.metadata.name}`);
  for (const k of ["Deployment/bosun-agent", "Service/bosun-agent", "Project/default", `ClusterRole/${names.agent}`])
    assert.ok(kinds.includes(k), `${k} in ${kinds.join(", ")}`);

  // Running it again changes nothing in Git.
  const again = await runCli(["bootstrap", ...args, "--image", "registry.example/bosun:v1"]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /clusters\/dev\/bosun\.yaml on main is up to date/);
  assert.equal(git(remote, ["rev-parse", "refs/heads/main"]), sha);

  // The agent (here outside the cluster) syncs the bootstrap Application: bosun's objects are its own.
  const running = await startTestAgent(t, ns);
  const app = await waitForApp(ns, "bosun", "bosun to sync its own installation", syncedAndHealthy(sha), 120_000);
  assert.equal(app.spec.project, "bosun");
  assert.ok(
    (app.status?.resources ?? []).some((r) => r.kind === "Deployment" && r.name === "bosun-agent"),
    "the Deployment is one of the Application's resources",
  );

  // An upgrade is a commit to the file.
  const work = join(dir, "work");
  git(dir, ["clone", "--quiet", url, work]);
  const file = join(work, "clusters/dev/bosun.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("registry.example/bosun:v1", "registry.example/bosun:v2"));
  git(work, ["-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "--quiet", "-am", "bosun v2"]);
  git(work, ["push", "--quiet", "origin", "HEAD:main"]);
  const upgrade = git(work, ["rev-parse", "HEAD"]);
  running.agent.requestRefresh(`${ns.name}/bosun`); // what a push webhook does
  await waitForApp(ns, "bosun", "bosun to apply the upgrade commit", syncedAndHealthy(upgrade), 120_000);
  await waitFor(
    "the agent's Deployment to run the new image",
    async () =>
      ns.kubectl(["get", "deployment", "bosun-agent", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]) ===
      "registry.example/bosun:v2",
    { timeoutMs: 30_000 },
  );
});

test("bosun bootstrap refuses a path outside the repository and an option-like URL [real]", async () => {
  for (const path of ["../x", "/abs", "a/../../b", ""]) {
    const out = await runCli(["bootstrap", "--repo", "file:///nowhere.git", "--path", path]);
    assert.equal(out.code, 2, `${path}: ${out.err}`);
    assert.match(out.err, /expected a relative directory/);
  }
  const injected = await runCli(["bootstrap", "--repo=--upload-pack=touch /tmp/x", "--path", "p"]);
  assert.equal(injected.code, 2);
  assert.match(injected.err, /expected a repository URL/);
});
