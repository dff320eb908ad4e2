import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { down, kubectl, up } from "./control-plane.js";
import { startEmbeddedProcess } from "./embedded-process.js";
import { waitFor } from "./net.js";

/** Set by scripts/run-tests.ts: the kubeconfig of the one cluster a test run shares. */
export const SHARED_KUBECONFIG_ENV = "BOSUN_TEST_KUBECONFIG";
/** Set by scripts/run-tests.ts: the kubeconfig of the embedded API server a test run shares. */
export const SHARED_EMBEDDED_KUBECONFIG_ENV = "BOSUN_TEST_EMBEDDED_KUBECONFIG";

/**
 * Where a cluster test runs: the real control plane (kube-apiserver, controllers, kwok) or bosun's own
 * embedded API server with its workload simulator. Suites that must hold on both run once per target.
 */
export type ClusterTarget = "real" | "embedded";
export const CLUSTER_TARGETS: readonly ClusterTarget[] = ["real", "embedded"];

let ownCluster: Promise<string> | undefined;
let ownEmbedded: Promise<string> | undefined;

/** The kubeconfig of the test run's embedded server, or of one of this file's own (a file run alone). */
export async function embeddedKubeconfig(): Promise<string> {
  const shared = process.env[SHARED_EMBEDDED_KUBECONFIG_ENV];
  if (shared) return shared;
  if (!ownEmbedded) {
    const dir = mkdtempSync(join(tmpdir(), "bosun-test-embedded-"));
    const started = startEmbeddedProcess(dir);
    after(async () => {
      await (await started).stop();
      rmSync(dir, { recursive: true, force: true });
    });
    ownEmbedded = started.then((p) => p.kubeconfig);
  }
  return await ownEmbedded;
}

/**
 * The kubeconfig of the test run's cluster. A test file run on its own (without scripts/run-tests.ts)
 * starts a cluster of its own, torn down when the file's tests end, also on failure.
 */
export async function testKubeconfig(target: ClusterTarget = "real"): Promise<string> {
  if (target === "embedded") return await embeddedKubeconfig();
  const shared = process.env[SHARED_KUBECONFIG_ENV];
  if (shared) return shared;
  if (!ownCluster) {
    const dir = mkdtempSync(join(tmpdir(), "bosun-test-cluster-"));
    after(async () => {
      await down(dir);
      rmSync(dir, { recursive: true, force: true });
    });
    ownCluster = up(dir).then((state) => state.kubeconfig);
  }
  return await ownCluster;
}

/**
 * A cluster of the calling test's own, for tests that disturb it (restart the API server): started now,
 * stopped when the test ends. Costs about ten seconds.
 */
export async function privateCluster(t: {
  after: (fn: () => void | Promise<void>) => void;
}): Promise<{ dir: string; kubeconfig: string }> {
  const dir = mkdtempSync(join(tmpdir(), "bosun-private-cluster-"));
  t.after(async () => {
    await down(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  const state = await up(dir);
  return { dir, kubeconfig: state.kubeconfig };
}

export interface TestNamespace {
  kubeconfig: string;
  name: string;
  kubectl: (args: string[], input?: string) => string;
}

/** A fresh namespace for one test (its default ServiceAccount exists), deleted when the test ends. */
export async function testNamespace(
  t: { after: (fn: () => void | Promise<void>) => void },
  target: ClusterTarget = "real",
): Promise<TestNamespace> {
  const kubeconfig = await testKubeconfig(target);
  const name = `t-${randomBytes(4).toString("hex")}`;
  kubectl(kubeconfig, ["create", "namespace", name]);
  t.after(() => {
    kubectl(kubeconfig, ["delete", "namespace", name, "--wait=false"]);
  });
  await waitFor(
    `serviceaccount default in ${name}`,
    async () => {
      try {
        kubectl(kubeconfig, ["-n", name, "get", "serviceaccount", "default"]);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 30_000 },
  );
  return { kubeconfig, name, kubectl: (args, input) => kubectl(kubeconfig, ["-n", name, ...args], input) };
}
