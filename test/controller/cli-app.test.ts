// `bosun app ...` as a user runs it, against the real control plane and an agent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CLUSTER_TARGETS, testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { Repo, TempDirs } from "../source/git-fixture.js";
import { getApp, runBosun, runBosunOk, startTestAgent } from "./agent-harness.js";

const cm = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${value}\n`;

for (const target of CLUSTER_TARGETS) {
  test(`bosun app create, list, diff, sync, wait, history, rollback, resume and delete [${target}]`, async (t) => {
    const ns = await testNamespace(t, target);
    const dest = `${ns.name}-app`;
    t.after(() => ns.kubectl(["delete", "namespace", dest, "--wait=false", "--ignore-not-found"]));
    const temp = new TempDirs();
    t.after(() => temp.cleanup());
    const repo = await Repo.init(await temp.make("bosun-cli-repo-"));
    const first = await repo.commit("blue", { "app/settings.yaml": cm("blue") });
    const agent = await startTestAgent(t, ns);

    const bosun = (...args: string[]) => runBosun(ns, args);
    const ok = (...args: string[]) => runBosunOk(ns, agent, args);

    assert.equal((await bosun("app", "create", "shop", "--path", "app")).code, 2, "--repo is required: a usage error");
    assert.match(
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
      ),
      /created/,
    );
    assert.match(await ok("app", "list"), /^NAME\s+SYNC\s+HEALTH\s+REVISION\s+LAST SYNC\nshop\s/m);
    await waitFor("the agent to compare", async () => getApp(ns, "shop").status?.sync?.status === "OutOfSync", {
      timeoutMs: 30_000,
    });
    assert.match(await ok("app", "diff", "shop"), /ConfigMap\/.*settings: missing \(will be created\)/);

    assert.match(
      await ok("app", "sync", "shop", "--timeout", "60s"),
      new RegExp(`shop synced to ${first.slice(0, 7)}: Synced/Healthy`),
    );
    assert.match(await ok("app", "get", "shop"), /Sync:\s+Synced to [0-9a-f]{7} \(blue\)\nHealth:\s+Healthy/);
    assert.match(
      await ok("app", "wait", "shop", "--synced", "--healthy", "--timeout", "30s"),
      /shop is Synced and Healthy/,
    );

    const second = await repo.commit("green", { "app/settings.yaml": cm("green") });
    await waitFor(
      "the agent to see the new commit",
      async () => getApp(ns, "shop").status?.sourceRevision?.sha === second,
      { timeoutMs: 30_000 },
    );
    const diff = await bosun("app", "diff", "shop", "--exit-code");
    assert.equal(diff.code, 1, "differences with --exit-code exit 1");
    assert.match(diff.out, /^-\s+color: blue$/m);
    assert.match(diff.out, /^\+\s+color: green$/m);
    await ok("app", "sync", "shop", "--timeout", "60s");
    assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "settings", "-o", "jsonpath={.data.color}"]), "green");

    const history = await ok("app", "history", "shop");
    assert.match(
      history,
      new RegExp(`^1\\s+\\S+\\s+${first.slice(0, 7)}\\s+user \\(bosun app sync\\)\\s+Succeeded$`, "m"),
    );
    assert.match(history, new RegExp(`^2\\s+\\S+\\s+${second.slice(0, 7)}\\s+`, "m"));

    assert.match(await ok("app", "rollback", "shop"), /rolling shop back to history 1/);
    await waitFor(
      "the rollback to converge",
      async () => ns.kubectl(["-n", dest, "get", "configmap", "settings", "-o", "jsonpath={.data.color}"]) === "blue",
      { timeoutMs: 60_000 },
    );
    assert.match(await ok("app", "get", "shop"), /Rolled back:\s+to history 1/);
    await ok("app", "resume", "shop");
    await waitFor("the rollback marker to clear", async () => getApp(ns, "shop").status?.rollback === undefined, {
      timeoutMs: 30_000,
    });

    assert.equal((await bosun("app", "get", "nope")).code, 1, "a missing Application is a failure, not a usage error");
    const tree = ["app", "create", "tree", "--repo", repo.fileUrl, "--path", "app", "--dest-namespace", dest];
    await ok(...tree, "--recurse", "--include", "*.yaml", "--exclude", "old/*");
    assert.deepEqual(getApp(ns, "tree").spec.source.directory, { recurse: true, include: "*.yaml", exclude: "old/*" });
    assert.equal((await bosun(...tree, "--recurse", "--helm-values", "v.yaml")).code, 2, "directory and chart flags");
    assert.match(await ok("app", "delete", "tree"), /deleted/);
    assert.match(await ok("app", "delete", "shop", "--cascade"), /deleted/);
    await waitFor(
      "the Application and its ConfigMap to be gone",
      async () => {
        const left = ns.kubectl(["get", "applications.bosun.dev", "-o", "name"]).trim();
        const cms = ns.kubectl(["-n", dest, "get", "configmaps", "-o", "name"]);
        return left === "" && !cms.includes("settings");
      },
      { timeoutMs: 60_000 },
    );
  });
}
