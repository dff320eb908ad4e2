// The pinned helm against the embedded server, as a user of `bosun up` would run it: `helm create`'s chart
// installed with --wait (its Service a LoadBalancer, its Ingress and HPA on, so the simulator's load balancer,
// ingress controller and autoscaler must answer for --wait to end), listed, upgraded, rolled back and
// uninstalled.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runHelm } from "../harness/helm-cli.js";
import { startFixture } from "./embedded-fixture.js";

test("helm install --wait, list, upgrade --wait, rollback and uninstall --wait work against the embedded server", async (t) => {
  const { server, kubectl } = await startFixture(t, {
    simulator: { podReadyDelayMs: 200, jobDurationMs: 500, crashLoopBackOffMs: 500 },
  });
  const home = mkdtempSync(join(tmpdir(), "bosun-helm-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const helm = async (...args: string[]) => {
    const r = await runHelm(args, { home, kubeconfig: server.kubeconfigPath });
    assert.equal(r.exitCode, 0, `helm ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  await helm("create", "demo");
  const chart = join(home, "demo");
  const values = [
    "--set",
    "service.type=LoadBalancer",
    "--set",
    "ingress.enabled=true",
    "--set",
    "autoscaling.enabled=true",
    "--set",
    "autoscaling.minReplicas=2",
  ];
  assert.match(await helm("install", "shop", chart, ...values, "--wait", "--timeout", "90s"), /STATUS: deployed/);
  assert.match(await helm("list"), /^shop\s+default\s+1\s+.+\s+deployed\s+demo-0\.1\.0/m);
  assert.match(await kubectl(["get", "service", "shop-demo"]), /LoadBalancer\s+\S+\s+198\.51\.100\.\d+/);
  assert.match(
    await kubectl(["get", "ingress", "shop-demo", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]),
    /^198\.51\.100\.1$/,
  );
  await helm("upgrade", "shop", chart, ...values, "--set", "image.tag=1.27", "--wait", "--timeout", "90s");
  const image = await kubectl([
    "get",
    "deployment",
    "shop-demo",
    "-o",
    "jsonpath={.spec.template.spec.containers[0].image}",
  ]);
  assert.equal(image, "nginx:1.27");
  assert.match(await helm("history", "shop"), /^2\s+.+\s+deployed\s+demo-0\.1\.0\s+\S+\s+Upgrade complete$/m);
  await helm("rollback", "shop", "1", "--wait", "--timeout", "90s");
  const rolledBack = await kubectl([
    "get",
    "deployment",
    "shop-demo",
    "-o",
    "jsonpath={.spec.template.spec.containers[0].image}",
  ]);
  assert.equal(rolledBack, "nginx:1.16.0");
  await helm("uninstall", "shop", "--wait", "--timeout", "60s");
  assert.equal((await helm("list", "-q")).trim(), "");
  assert.equal((await kubectl(["get", "deployments", "-o", "name"])).trim(), "");
});
