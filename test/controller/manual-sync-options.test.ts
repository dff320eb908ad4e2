// `bosun app sync --dry-run`, `--resource` and `--prune` as a user runs them, against an agent on both targets:
// a dry run changes nothing and says what a sync would do, a selective sync applies only the chosen objects
// (no hooks), and a sync by hand prunes only when asked.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CLUSTER_TARGETS, testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { Repo, TempDirs } from "../source/git-fixture.js";
import { getApp, runBosun, runBosunOk, startTestAgent } from "./agent-harness.js";

const cm = (name: string, annotations = "") =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${annotations}data:\n  k: v\n`;
const hook = "  annotations:\n    argocd.argoproj.io/hook: PreSync\n";

for (const target of CLUSTER_TARGETS)
  test(`bosun app sync --dry-run, --resource and --prune [${target}]`, async (t) => {
    const ns = await testNamespace(t, target);
    const dest = `${ns.name}-app`;
    t.after(() => ns.kubectl(["delete", "namespace", dest, "--wait=false", "--ignore-not-found"]));
    const temp = new TempDirs();
    t.after(() => temp.cleanup());
    const repo = await Repo.init(await temp.make("bosun-sync-options-"));
    const first = await repo.commit("a and b", {
      "app/a.yaml": cm("a"),
      "app/b.yaml": cm("b"),
      "app/pre.yaml": cm("pre", hook),
    });
    const agent = await startTestAgent(t, ns);
    const ok = (...args: string[]) => runBosunOk(ns, agent, args);
    const exists = (name: string) =>
      ns.kubectl(["-n", dest, "get", "configmap", name, "--ignore-not-found", "-o", "name"]) !== "";

    await ok(
      "app",
      "create",
      "shop",
      "--repo",
      repo.fileUrl,
      "--path",
      "app",
      "--dest-namespace",
      dest,
      "--interval",
      "1s",
    );
    await waitFor("the agent to compare", async () => (getApp(ns, "shop").status?.resources?.length ?? 0) === 2, {
      timeoutMs: 60_000,
    });

    // A dry run: every object checked by the API server, nothing written, no history.
    const dryRun = await ok("app", "sync", "shop", "--dry-run", "--timeout", "60s");
    assert.match(dryRun, /^dry run of shop requested$/m);
    assert.match(dryRun, /^dry run: would create 2, change 0, prune 0, leave 0 as they are; nothing was changed$/m);
    assert.equal(exists("a") || exists("b") || exists("pre"), false, "a dry run wrote nothing");
    const afterDryRun = getApp(ns, "shop");
    assert.equal(afterDryRun.status?.history, undefined, "a dry run is not a history entry");
    assert.equal(afterDryRun.status?.operation?.dryRun, true);
    assert.equal(afterDryRun.status?.sync?.status, "OutOfSync");

    // Only ConfigMap a: b stays missing and the PreSync hook does not run.
    assert.match(await ok("app", "sync", "shop", "--resource", ":ConfigMap:a", "--timeout", "60s"), /shop synced/);
    assert.equal(exists("a"), true);
    assert.equal(exists("b"), false, "an object not chosen is left alone");
    assert.equal(exists("pre"), false, "a selective sync runs no hooks");
    const selective = getApp(ns, "shop");
    assert.deepEqual(selective.status?.operation?.resources, [`_ConfigMap_${dest}_a`]);
    assert.equal(selective.status?.history?.length, 1);
    await waitFor("b to be reported missing", async () => getApp(ns, "shop").status?.sync?.status === "OutOfSync", {
      timeoutMs: 30_000,
    });

    // A wrong choice is the user's mistake, caught before anything is asked of the agent.
    const wrong = await runBosun(ns, ["app", "sync", "shop", "--resource", "apps:Deployment:nope"]);
    assert.equal(wrong.code, 2, wrong.err);
    assert.match(wrong.err, /--resource apps:Deployment:nope: the Application has no such object/);

    // The whole revision (with its hook), then b leaves Git: a sync by hand keeps it until --prune is given.
    await ok("app", "sync", "shop", "--timeout", "60s");
    assert.equal(exists("b") && exists("pre"), true);
    const second = await repo.commit("no more b", { "app/b.yaml": null });
    assert.notEqual(second, first);
    await waitFor(
      "the agent to see the commit",
      async () => getApp(ns, "shop").status?.sourceRevision?.sha === second,
      {
        timeoutMs: 60_000,
      },
    );
    await ok("app", "sync", "shop", "--timeout", "60s");
    assert.equal(exists("b"), true, "no prune without --prune (automated prune is off)");
    const pruneDryRun = await ok("app", "sync", "shop", "--dry-run", "--prune", "--timeout", "60s");
    assert.match(pruneDryRun, /would create 0, change 0, prune 1, /);
    assert.equal(exists("b"), true);
    await ok("app", "sync", "shop", "--prune", "--timeout", "60s");
    assert.equal(exists("b"), false, "--prune deleted what left Git");
    assert.equal(exists("a"), true);
  });
