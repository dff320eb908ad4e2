// `npm run testcluster -- up|down --dir DIR`: the interface people use, run as they run it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { testKubeconfig } from "../harness/cluster-fixture.js";
import { kubectl, readState } from "../harness/control-plane.js";
import { isOurs } from "../harness/processes.js";

const npm = (args: string[]) => execFileSync("npm", ["run", "-s", "testcluster", "--", ...args], { encoding: "utf8" });

test("testcluster up starts a cluster with a Ready node; down stops exactly its processes", async (t) => {
  const shared = await testKubeconfig();
  const dir = mkdtempSync(join(tmpdir(), "bosun-testcluster-cli-"));
  t.after(() => {
    npm(["down", "--dir", dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  const upOutput = npm(["up", "--dir", dir]);
  assert.match(upOutput, new RegExp(`export KUBECONFIG=${join(dir, "kubeconfig")}`));
  const state = readState(dir);
  assert.ok(state);
  assert.deepEqual(
    state.processes.map((p) => p.name),
    ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"],
  );
  assert.ok(state.processes.every(isOurs), "every component is running after up returned");
  assert.match(state.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  const nodes = kubectl(join(dir, "kubeconfig"), [
    "get",
    "nodes",
    "-o",
    "jsonpath={.items[*].status.conditions[?(@.type=='Ready')].status}",
  ]);
  assert.equal(nodes, "True");

  assert.match(npm(["down", "--dir", dir]), /stopped 5 processes/);
  assert.ok(
    state.processes.every((p) => !isOurs(p)),
    "every component is gone after down",
  );
  assert.equal(existsSync(join(dir, "cluster.json")), false);
  assert.match(npm(["down", "--dir", dir]), /no running test cluster/);
  // Nothing else was stopped: the test run's own cluster still answers.
  assert.match(kubectl(shared, ["get", "--raw", "/readyz"]), /^ok/);
});
