// An Application of 5,000 objects on the real control plane: it syncs, its status stays well under what
// the API server stores for one object, a resync changes nothing, and a cascade delete removes everything.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { CASCADE_FINALIZER } from "../../src/api/index.js";
import { waitFor } from "../harness/net.js";
import {
  applyApplication,
  appTestSetup,
  getApp,
  startTestAgent,
  syncedAndHealthy,
  waitForApp,
} from "./agent-harness.js";

const COUNT = 5000;
/** Long names, as real ones often are: with them the old status (every resource listed) outgrew the limit. */
const name = (i: number) => `configuration-of-a-service-with-a-realistically-long-name-${String(i).padStart(5, "0")}`;

test(`an Application of ${COUNT} ConfigMaps syncs, keeps a small status, resyncs idle and cascade-deletes [real]`, async (t) => {
  const setup = await appTestSetup(t, "real");
  const { ns, dest, repo } = setup;
  const docs = Array.from(
    { length: COUNT },
    (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name(i)}\ndata:\n  index: "${i}"\n`,
  );
  const sha = await repo.commit("many", { "app/configmaps.yaml": docs.join("---\n") });
  // The default client pace (50 requests a second) would make this test take minutes of waiting on itself.
  await startTestAgent(t, ns, { kubeQps: 2000, kubeBurst: 4000 });
  applyApplication(setup, "large", { path: "app", interval: "1h", timeout: "10m" });

  let started = Date.now();
  const phase = (what: string) => {
    t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    started = Date.now();
  };
  const app = await waitForApp(ns, "large", "all of them synced", syncedAndHealthy(sha), 600_000);
  phase("cold sync");
  const bytes = JSON.stringify(app.status).length;
  assert.ok(bytes < 1024 * 1024, `status is ${bytes} bytes`);
  assert.equal(app.status?.inventory?.length, COUNT, "the inventory holds every object");
  assert.equal(app.status?.summary?.total, COUNT);
  assert.deepEqual(app.status?.summary?.sync, { Synced: COUNT });
  assert.ok((app.status?.resources?.length ?? 0) <= 500, "one by one only up to the bound");
  const live = () =>
    ns
      .kubectl(["-n", dest, "get", "configmaps", "-o", "name"])
      .split("\n")
      .filter((l) => l.startsWith("configmap/configuration-")).length;
  assert.equal(live(), COUNT);

  // What status does not list one by one, the CLI lists from the inventory, read live; `get` says so.
  const cli = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", ...args, "--kubeconfig", ns.kubeconfig, "--app-namespace", ns.name],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
  const all = JSON.parse(await cli("app", "resources", "large", "-o", "json")) as Array<{
    name: string;
    status?: string;
    health: string;
  }>;
  assert.equal(all.length, COUNT, "every resource is listed");
  assert.equal(all.filter((r) => r.health === "Healthy" && r.status === "Synced").length, COUNT);
  assert.ok(all.some((r) => r.name === name(4999)));
  const shown = app.status?.summary?.shown ?? 0;
  assert.match(await cli("app", "get", "large"), new RegExp(`\\(${COUNT - shown} more Synced and Healthy not listed`));

  // A sync asked for again applies everything again and changes nothing.
  const history = app.status?.history?.length ?? 0;
  const version = () =>
    ns.kubectl(["-n", dest, "get", "configmap", name(4321), "-o", "jsonpath={.metadata.resourceVersion}"]);
  const before = version();
  const requestedAt = new Date().toISOString();
  ns.kubectl(["annotate", "application", "large", `bosun.dev/reconcile-requested-at=${requestedAt}`, "--overwrite"]);
  const after = await waitForApp(
    ns,
    "large",
    "the requested sync to finish",
    (a) =>
      a.status?.handledSyncRequest === requestedAt &&
      (a.status.history?.length ?? 0) > history &&
      syncedAndHealthy(sha)(a),
    600_000,
  );
  phase("a sync asked for again");
  assert.equal(after.status?.history?.length, history + 1, "the requested sync ran once");
  assert.equal(after.status?.history?.at(-1)?.result, "Succeeded");
  assert.equal(version(), before, "an unchanged object is not written");

  // A cascade delete removes all of them, then the Application.
  ns.kubectl([
    "patch",
    "application",
    "large",
    "--type=merge",
    "-p",
    JSON.stringify({ metadata: { finalizers: [CASCADE_FINALIZER] } }),
  ]);
  ns.kubectl(["delete", "application", "large", "--wait=false"]);
  await waitFor(
    "the Application and its objects to be gone",
    async () => {
      try {
        getApp(ns, "large");
        return false;
      } catch {
        return live() === 0;
      }
    },
    { timeoutMs: 600_000, intervalMs: 2000 },
  );
  phase("cascade delete");
});
