// `bosun plan` as a pull request's CI runs it: two revisions of a repository rendered as the agent renders
// them, the head compared with the live cluster (no agent running), Secret values masked, exit code 3 on
// changes; a broken head names the file and exits 1; a read-only account still plans, without dry runs.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { PlanReport } from "../../src/controller/index.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import {
  applyApplication,
  appTestSetup,
  runBosun,
  runCli,
  startTestAgent,
  syncedAndHealthy,
  tokenKubeconfig,
  waitForApp,
} from "./agent-harness.js";

const configMap = (name: string, color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  color: ${color}\n`;
const secret = (name: string, password: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\ndata:\n  password: ${Buffer.from(password).toString("base64")}\n`;

const OLD_PASSWORD = "old-pass-7f3a9c";
const NEW_PASSWORD = "new-pass-b81e24";
const SECRET_FORMS = [OLD_PASSWORD, NEW_PASSWORD].flatMap((p) => [p, Buffer.from(p).toString("base64")]);

function assertNoSecretValues(...texts: string[]): void {
  for (const text of texts)
    for (const value of SECRET_FORMS) assert.ok(!text.includes(value), `${value} leaked:\n${text}`);
}

for (const target of CLUSTER_TARGETS) {
  test(`bosun plan: what base..head would create, change and prune, per Application, Secrets masked [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const agent = await startTestAgent(t, ns); // installs the CRDs
    ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Project",
        metadata: { name: "platform", namespace: ns.name },
        spec: {
          sourceRepos: ["*"],
          destinations: [{ namespace: ns.name }],
          namespaceResourceWhitelist: [
            { group: "bosun.dev", kind: "Application" },
            { group: "", kind: "ConfigMap" },
          ],
        },
      }),
    );
    const base = await repo.commit("web, api and a parent", {
      "web/cm.yaml": configMap("web-settings", "blue"),
      "web/secret.yaml": secret("web-secret", OLD_PASSWORD),
      "api/cm.yaml": configMap("api-settings", "red"),
      "api/legacy.yaml": configMap("api-legacy", "grey"),
      "parent/marker.yaml": configMap("parent-marker", "none"),
    });
    applyApplication(setup, "web", { path: "web" });
    applyApplication(setup, "api", { path: "api" });
    applyApplication(setup, "parent", {
      path: "parent",
      project: "platform",
      destination: { namespace: ns.name },
    });
    for (const name of ["web", "api", "parent"]) await waitForApp(ns, name, `${name} synced`, syncedAndHealthy(base));
    await agent.stop(); // plan works without an agent

    const extraApp = JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name: "extra", namespace: ns.name },
      spec: {
        source: { repoURL: repo.fileUrl, path: "extra" },
        destination: { namespace: dest },
        syncPolicy: { automated: { prune: true } },
      },
    });
    const head = await repo.commit("web green, new password, api's legacy goes, a new Application", {
      "web/cm.yaml": configMap("web-settings", "green"),
      "web/secret.yaml": secret("web-secret", NEW_PASSWORD),
      "api/legacy.yaml": null,
      "parent/extra.json": extraApp,
      "extra/cm.yaml": configMap("extra-settings", "white"),
    });

    const plan = (args: string[]) =>
      runBosun(ns, ["plan", "--repo", repo.fileUrl, ...args]).then((r) => {
        assertNoSecretValues(r.out, r.err);
        return r;
      });

    const md = await plan(["--base", base, "--head", head, "-o", "markdown"]);
    assert.equal(md.code, 3, md.err + md.out);
    assert.match(md.out, /^## bosun plan: /);
    assert.match(md.out, new RegExp(`\\| ${ns.name}/web \\| changed \\| 0 \\| 2 \\| 0 \\|`));
    assert.match(md.out, new RegExp(`\\| ${ns.name}/api \\| changed \\| 0 \\| 0 \\| 1 \\|`));
    assert.match(md.out, new RegExp(`\\| ${ns.name}/parent \\| changed \\| 1 \\| 0 \\| 0 \\|`));
    assert.match(md.out, new RegExp(`\\| ${ns.name}/extra \\| new \\| 1 \\| 0 \\| 0 \\|`));
    assert.match(md.out, new RegExp(`### ${ns.name}/extra \\(new Application\\)`));
    assert.ok(md.out.includes(`\`ConfigMap/${dest}/web-settings\``), md.out);
    assert.match(md.out, /```diff\n[^`]*-\s+color: blue\n[^`]*\+\s+color: green\n/);
    assert.ok(md.out.includes(`\`Secret/${dest}/web-secret\``), md.out);
    assert.match(md.out, /Would be pruned:\n\n- `ConfigMap\/[^/]+\/api-legacy`/);
    assert.ok(md.out.includes(`- \`Application.bosun.dev/${ns.name}/extra\``), md.out);
    assert.match(md.out, /- `ConfigMap\/[^`]*extra-settings`/);

    const json = await plan(["--base", base, "--head", head, "-o", "json"]);
    assert.equal(json.code, 3, json.err);
    const report = JSON.parse(json.out) as PlanReport;
    assert.deepEqual(report.summary, {
      applications: { new: 1, changed: 3, unchanged: 0, failed: 0 },
      objects: { created: 2, changed: 2, pruned: 1 },
    });
    assert.equal(report.exitCode, 3);
    assert.equal(report.serverSideDryRun, true);
    const web = report.applications.find((a) => a.name === "web");
    assert.deepEqual(web?.revisions, { base, head });
    assert.deepEqual(web?.changed.map((c) => c.name).sort(), ["web-secret", "web-settings"]);

    // --app: only that one.
    const one = await plan(["--base", base, "--head", head, "--app", "api", "-o", "json"]);
    assert.equal(one.code, 3, one.err);
    assert.deepEqual(
      (JSON.parse(one.out) as PlanReport).applications.map((a) => a.name),
      ["api"],
    );

    const same = await plan(["--base", base, "--head", base]);
    assert.equal(same.code, 0, same.err + same.out);
    assert.match(same.out, new RegExp(`\\| ${ns.name}/web \\| unchanged \\(not changed by this change\\)`));

    // A local checkout: matched by its file:// URL (it has no origin), rendered from the directory.
    const local = await runBosun(ns, ["plan", "--repo", repo.dir, "--base", base, "--head", head, "-o", "json"]);
    assert.equal(local.code, 3, local.err);
    assert.deepEqual((JSON.parse(local.out) as PlanReport).summary, report.summary);

    // Broken: web's Secret manifest no longer parses (its old value still in it); the render error names the
    // file, shows no Secret value, and the other Applications are still planned.
    const broken = await repo.commit("web's Secret breaks", {
      "web/secret.yaml": `${secret("web-secret", OLD_PASSWORD)}  broken: [unclosed\n`,
    });
    const failed = await plan(["--base", base, "--head", broken]);
    assert.equal(failed.code, 1, failed.err + failed.out);
    assert.match(failed.err, new RegExp(`${ns.name}/web could not be planned: .*secret\\.yaml`));
    assert.match(failed.out, new RegExp(`\\| ${ns.name}/web \\| \\*\\*failed\\*\\*`));
    assert.match(
      failed.out,
      new RegExp(`\\| ${ns.name}/api \\| changed \\| 0 \\| 0 \\| 1 \\|`),
      "the others are planned",
    );

    // A read-only account (get, list, watch): no dry run allowed, so the comparison is made without one.
    // The embedded server serves no TokenRequest (`kubectl create token` fails there), so this runs on the real
    // control plane only.
    if (target === "real") {
      ns.kubectl(["create", "serviceaccount", "planner"]);
      for (const namespace of [ns.name, dest]) {
        ns.kubectl(["-n", namespace, "create", "role", "read-all", "--verb=get,list,watch", "--resource=*.*"]);
        ns.kubectl([
          "-n",
          namespace,
          "create",
          "rolebinding",
          "planner-reads",
          "--role=read-all",
          `--serviceaccount=${ns.name}:planner`,
        ]);
      }
      const token = ns.kubectl(["create", "token", "planner", "--duration", "1h"]).trim();
      const dir = mkdtempSync(join(tmpdir(), "bosun-plan-reader-"));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const reader = tokenKubeconfig(ns.kubeconfig, token, dir);
      const ro = await runCli([
        "plan",
        ...["--repo", repo.fileUrl, "--base", base, "--head", head, "--kubeconfig", reader],
        ...["--app-namespace", ns.name, "-o", "json"],
      ]);
      assertNoSecretValues(ro.out, ro.err);
      assert.equal(ro.code, 3, ro.err + ro.out);
      const readOnly = JSON.parse(ro.out) as PlanReport;
      assert.equal(readOnly.serverSideDryRun, false);
      assert.match(readOnly.note ?? "", /without a server-side dry run/);
      assert.deepEqual(
        readOnly.applications
          .find((a) => a.name === "web")
          ?.changed.map((c) => c.name)
          .sort(),
        ["web-secret", "web-settings"],
      );
      assert.equal(readOnly.summary.objects.pruned, 1);
      const diffs = readOnly.applications.flatMap((a) => a.changed.map((c) => c.diff)).join("\n");
      assert.match(diffs, /^-\s+color: blue\n\+\s+color: green$/m);
      assert.doesNotMatch(diffs, /^[-+](kind|apiVersion|data):/m, "keys that only moved are no change");
    }
  });
}
