// One agent, three clusters: its own (the shared real control plane), a second real control plane of this
// test's own and the embedded server, the last two added with `bosun cluster add`. Each Application syncs
// into the cluster its destination names and nowhere else, drift there is reverted, an unknown cluster
// gets nothing, and a cluster whose API server stops holds up only its own Applications.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../../src/api/index.js";
import { embeddedKubeconfig, privateCluster } from "../harness/cluster-fixture.js";
import { kubectlGet as get, kubectl, startComponent, stopComponent } from "../harness/control-plane.js";
import { waitFor } from "../harness/net.js";
import {
  applyApplication,
  appTestSetup,
  runCli,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const ready = (app: Application) => app.status?.conditions?.find((c) => c.type === "Ready");

const configMap = (value: string) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { value } });

const deployment = JSON.stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "registry.example/web:1" }] },
    },
  },
});

test("one agent deploys to three clusters, each Application into its own and nowhere else", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  const home = ns.kubeconfig;
  const remote = await privateCluster(t);
  const embedded = await embeddedKubeconfig();
  const dest = (which: string) => `${ns.name}-${which}`;
  // The second control plane goes with the test; the shared ones keep nothing of it.
  for (const which of ["home", "real", "emb", "unknown"])
    for (const kc of [home, embedded])
      t.after(() => void kubectl(kc, ["delete", "namespace", dest(which), "--wait=false", "--ignore-not-found"]));

  const cli = (args: string[]) => runCli([...args, "--namespace", ns.name, "--kubeconfig", home]);
  const added = await cli(["cluster", "add", "real", "--from-kubeconfig", remote.kubeconfig]);
  assert.equal(added.code, 0, added.err);
  assert.match(added.out, /cluster real \(https:\/\/127\.0\.0\.1:\d+\) added/);
  assert.equal((await cli(["cluster", "add", "emb", "--from-kubeconfig", embedded])).code, 0);
  // The Secret holds the credentials inline: nothing in it points at a file of the machine that added it.
  const secret = get(home, ["-n", ns.name, "secret", "cluster-real"]) as KubeObject & { data: Record<string, string> };
  const config = JSON.parse(Buffer.from(secret.data.config ?? "", "base64").toString()) as {
    tlsClientConfig: { caData?: string; certData?: string; keyData?: string };
  };
  assert.ok(config.tlsClientConfig.caData && config.tlsClientConfig.certData && config.tlsClientConfig.keyData);
  const again = await cli(["cluster", "add", "real", "--from-kubeconfig", remote.kubeconfig]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /cluster real .* updated/);
  const clash = await cli(["cluster", "add", "again", "--from-kubeconfig", remote.kubeconfig]);
  assert.notEqual(clash.code, 0);
  assert.match(clash.err, /cluster real .* already has that server/);
  const badName = await cli(["cluster", "add", "Prod_1", "--from-kubeconfig", remote.kubeconfig]);
  assert.equal(badName.code, 2);
  assert.match(badName.err, /must be a DNS label/);

  const first = await repo.commit("v1", { "app/cm.yaml": configMap("v1"), "app/web.yaml": deployment });
  await startTestAgent(t, ns);
  applyApplication(setup, "home", { path: "app", destination: { namespace: dest("home") } });
  applyApplication(setup, "real", { path: "app", destination: { name: "real", namespace: dest("real") } });
  applyApplication(setup, "emb", { path: "app", destination: { name: "emb", namespace: dest("emb") } });
  applyApplication(setup, "unknown", {
    path: "app",
    destination: { server: "https://prod-cluster.example.test:6443", namespace: dest("unknown") },
  });
  for (const name of ["home", "real", "emb"])
    await waitForApp(ns, name, `${name} Synced and Healthy`, syncedAndHealthy(first), 120_000);
  const unknown = await waitForApp(ns, "unknown", "UnknownCluster", (a) => ready(a)?.reason === "UnknownCluster");
  assert.match(ready(unknown)?.message ?? "", /prod-cluster\.example\.test:6443 is not one bosun knows/);

  const clusters = { home, real: remote.kubeconfig, emb: embedded };
  for (const app of Object.keys(clusters))
    for (const [other, kubeconfig] of Object.entries(clusters)) {
      const cm = get(kubeconfig, ["-n", dest(app), "configmap", "settings"]);
      if (other === app)
        assert.equal(cm?.metadata.annotations?.["bosun.dev/tracking-id"]?.split(":")[0], `${ns.name}/${app}`);
      else {
        assert.equal(cm, undefined, `${app}'s ConfigMap is on ${other} too`);
        assert.equal(get(kubeconfig, ["namespace", dest(app)]), undefined, `${app}'s namespace is on ${other}`);
      }
    }
  for (const kubeconfig of Object.values(clusters))
    assert.equal(
      get(kubeconfig, ["namespace", dest("unknown")]),
      undefined,
      "the unknown cluster's namespace was made",
    );

  // Drift on a remote cluster is seen from its watch and reverted.
  kubectl(remote.kubeconfig, [
    "-n",
    dest("real"),
    "patch",
    "configmap",
    "settings",
    "-p",
    '{"data":{"value":"edited"}}',
  ]);
  await waitFor(
    "the drift on the second cluster reverted",
    async () => {
      const cm = get(remote.kubeconfig, ["-n", dest("real"), "configmap", "settings"]) as { data?: { value?: string } };
      return cm?.data?.value === "v1";
    },
    { timeoutMs: 30_000 },
  );

  const listed = await cli(["cluster", "list"]);
  assert.equal(listed.code, 0, listed.err);
  assert.match(listed.out, /in-cluster\s+https:\/\/kubernetes\.default\.svc\s+Reachable\s+1\.\d+\.\d+\s+1/);
  assert.match(listed.out, /real\s+https:\/\/127\.0\.0\.1:\d+\s+Reachable\s+1\.\d+\.\d+\s+1/);
  assert.match(listed.out, /emb\s+https:\/\/127\.0\.0\.1:\d+\s+Reachable\s+\S+\s+1/);

  // The second cluster's API server stops: its Application says so; the others go on syncing and healing.
  const realUid = get(remote.kubeconfig, ["-n", dest("real"), "configmap", "settings"])?.metadata.uid;
  await stopComponent(remote.dir, "kube-apiserver");
  let restarted = false;
  t.after(async () => {
    if (!restarted) await startComponent(remote.dir, "kube-apiserver").catch(() => undefined);
  });
  const second = await repo.commit("v2", { "app/cm.yaml": configMap("v2"), "app/web.yaml": deployment });
  const unreachable = await waitForApp(
    ns,
    "real",
    "ClusterUnreachable",
    (a) => ready(a)?.reason === "ClusterUnreachable",
  );
  assert.match(ready(unreachable)?.message ?? "", /cluster real \(https:\/\/127\.0\.0\.1:\d+\) is unreachable/);
  for (const name of ["home", "emb"]) await waitForApp(ns, name, `${name} at v2`, syncedAndHealthy(second), 60_000);
  kubectl(embedded, ["-n", dest("emb"), "patch", "configmap", "settings", "-p", '{"data":{"value":"edited"}}']);
  await waitFor(
    "drift on the embedded cluster reverted while the second is down",
    async () => {
      const cm = get(embedded, ["-n", dest("emb"), "configmap", "settings"]) as { data?: { value?: string } };
      return cm?.data?.value === "v2";
    },
    { timeoutMs: 30_000 },
  );
  const down = await cli(["cluster", "list"]);
  assert.match(down.out, /real\s+https:\/\/127\.0\.0\.1:\d+\s+Unreachable/);

  // Back: it converges to the new commit; what it ran was updated in place, never pruned and recreated.
  await startComponent(remote.dir, "kube-apiserver");
  restarted = true;
  await waitForApp(ns, "real", "real at v2 once its cluster is back", syncedAndHealthy(second), 120_000);
  const after = get(remote.kubeconfig, ["-n", dest("real"), "configmap", "settings"]) as KubeObject & {
    data?: { value?: string };
  };
  assert.equal(after.data?.value, "v2");
  assert.equal(after.metadata.uid, realUid);
  assert.ok(get(remote.kubeconfig, ["-n", dest("real"), "deployment", "web"]));

  // A removed cluster: its Application applies nothing anywhere, and what it ran there stays.
  const removed = await cli(["cluster", "remove", "emb"]);
  assert.equal(removed.code, 0, removed.err);
  assert.match(removed.out, /1 Applications deploying to it now apply nothing/);
  await waitForApp(ns, "emb", "UnknownCluster after removal", (a) => ready(a)?.reason === "UnknownCluster");
  assert.ok(get(embedded, ["-n", dest("emb"), "configmap", "settings"]));
});

test("a cluster Secret that points at the agent's files or runs commands is refused, naming why", async (t) => {
  const setup = await appTestSetup(t);
  const { ns, repo } = setup;
  await repo.commit("v1", { "app/cm.yaml": configMap("v1") });
  const kubeconfig = [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
    "users: [{name: u, user: {tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token}}]",
    "contexts: [{name: c, context: {cluster: c, user: u}}]",
    "current-context: c",
  ].join("\n");
  ns.kubectl([
    "create",
    "secret",
    "generic",
    "sneaky",
    "--from-literal=name=sneaky",
    `--from-literal=kubeconfig=${kubeconfig}`,
  ]);
  ns.kubectl(["label", "secret", "sneaky", "bosun.dev/secret-type=cluster"]);
  const running = await startTestAgent(t, ns);
  applyApplication(setup, "sneaky", { path: "app", destination: { name: "sneaky", namespace: setup.dest } });
  await waitForApp(ns, "sneaky", "UnknownCluster", (a) => ready(a)?.reason === "UnknownCluster");
  assert.ok(running.logs.some((l) => /cluster Secret not used/.test(l) && /tokenFile is not supported/.test(l)));
  const listed = await runCli(["cluster", "list", "--namespace", ns.name, "--kubeconfig", ns.kubeconfig]);
  assert.match(listed.out, /\(Secret sneaky\)\s+Invalid\s+0\s+.*tokenFile is not supported/);
});
