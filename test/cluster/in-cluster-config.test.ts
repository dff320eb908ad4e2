// bosun's in-cluster configuration on the real control plane, with real TokenRequest tokens: kubelet rotates
// a projected service-account token by swapping the volume's `..data` symlink, and the next request must
// carry the new token (client-node's own in-cluster configuration re-reads it once a minute).
import assert from "node:assert/strict";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadClusterConfig, RestClient, serviceAccountUser } from "../../src/cluster/index.js";
import { type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";

const SERVICE_ACCOUNT_DIR = "var/run/secrets/kubernetes.io/serviceaccount";

/** The test API server's address and CA, from the kubeconfig the harness wrote. */
function apiServer(ns: TestNamespace): { host: string; port: string; ca: Buffer } {
  const kubeconfig = JSON.parse(readFileSync(ns.kubeconfig, "utf8")) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority": string } }>;
  };
  const cluster = kubeconfig.clusters[0]?.cluster;
  assert.ok(cluster, "the harness's kubeconfig names a cluster");
  const url = new URL(cluster.server);
  return { host: url.hostname, port: url.port, ca: readFileSync(cluster["certificate-authority"]) };
}

/** ServiceAccounts in the test's namespace, deleted when the test ends (before the namespace is). */
function serviceAccounts(t: { after: (fn: () => void) => void }, ns: TestNamespace, names: string[]): void {
  for (const name of names) ns.kubectl(["create", "serviceaccount", name]);
  t.after(() => {
    ns.kubectl(["delete", "serviceaccount", ...names, "--ignore-not-found", "--wait=false"]);
  });
}

/**
 * A service-account volume as kubelet projects it under a temporary root: the files in a timestamped
 * directory, `..data` pointing at it, `token`, `ca.crt`, `namespace` pointing through `..data`. rotate()
 * swaps `..data` by renaming a new symlink over it and removes the old directory, as AtomicWriter does.
 */
function projectedVolume(
  t: { after: (fn: () => void) => void },
  files: { token: string; ca: Buffer; namespace: string },
): { root: string; tokenFile: string; rotate: (token: string) => void } {
  const root = mkdtempSync(join(tmpdir(), "bosun-projected-sa-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  let generation = 0;
  const write = (token: string): string => {
    const stamp = `..2026_05_01_12_00_0${generation++}.123456789`;
    mkdirSync(join(dir, stamp));
    writeFileSync(join(dir, stamp, "token"), token);
    writeFileSync(join(dir, stamp, "ca.crt"), files.ca);
    writeFileSync(join(dir, stamp, "namespace"), files.namespace);
    return stamp;
  };
  symlinkSync(write(files.token), join(dir, "..data"));
  for (const file of ["token", "ca.crt", "namespace"]) symlinkSync(join("..data", file), join(dir, file));
  return {
    root,
    tokenFile: join(dir, "token"),
    rotate: (token) => {
      const old = readlinkSync(join(dir, "..data"));
      symlinkSync(write(token), join(dir, "..data_tmp"));
      renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
      rmSync(join(dir, old), { recursive: true });
    },
  };
}

/** Who the API server takes the client for: a SelfSubjectReview, which any authenticated user may create. */
async function whoAmI(client: RestClient): Promise<string | undefined> {
  const res = await client.request<{ status?: { userInfo?: { username?: string } } }>({
    method: "POST",
    path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
  });
  return res.body.status?.userInfo?.username;
}

test("in-cluster: a projected token rotated to another ServiceAccount by swapping ..data is used by the next request [real]", async (t) => {
  const ns = await testNamespace(t);
  serviceAccounts(t, ns, ["agent-a", "agent-b"]);
  const server = apiServer(ns);
  const volume = projectedVolume(t, {
    token: ns.kubectl(["create", "token", "agent-a"]).trim(),
    ca: server.ca,
    namespace: ns.name,
  });
  const config = loadClusterConfig({
    inCluster: true,
    inClusterRoot: volume.root,
    env: { KUBERNETES_SERVICE_HOST: server.host, KUBERNETES_SERVICE_PORT: server.port },
  });
  assert.equal(config.server, `https://${server.host}:${server.port}`);
  assert.equal(config.namespace, ns.name);
  const client = new RestClient(config, { retries: 0 });
  assert.equal(await whoAmI(client), serviceAccountUser(ns.name, "agent-a"));

  volume.rotate(ns.kubectl(["create", "token", "agent-b"]).trim());
  assert.equal(await whoAmI(client), serviceAccountUser(ns.name, "agent-b"), "at once, not within a minute");
  volume.rotate(ns.kubectl(["create", "token", "agent-a"]).trim());
  assert.equal(await whoAmI(client), serviceAccountUser(ns.name, "agent-a"));
});

test("in-cluster: a token the server refuses (401) is read again, though its file looks unchanged [real]", async (t) => {
  const ns = await testNamespace(t);
  serviceAccounts(t, ns, ["agent-b"]);
  const server = apiServer(ns);
  const token = ns.kubectl(["create", "token", "agent-b"]).trim();
  // A token the server cannot verify, of the same length: rewritten in place with the mtime put back,
  // the file's device, inode, size and mtime stay as they were.
  const refused = `${token.slice(0, -8)}AAAAAAAA`;
  const volume = projectedVolume(t, { token: refused, ca: server.ca, namespace: ns.name });
  utimesSync(volume.tokenFile, 1_700_000_000, 1_700_000_000);
  const config = loadClusterConfig({
    inCluster: true,
    inClusterRoot: volume.root,
    env: { KUBERNETES_SERVICE_HOST: server.host, KUBERNETES_SERVICE_PORT: server.port },
  });
  const client = new RestClient(config, { retries: 0 });
  await assert.rejects(whoAmI(client), { name: "ApiError", code: 401 });

  writeFileSync(volume.tokenFile, token);
  utimesSync(volume.tokenFile, 1_700_000_000, 1_700_000_000);
  assert.equal(await whoAmI(client), serviceAccountUser(ns.name, "agent-b"));
});
