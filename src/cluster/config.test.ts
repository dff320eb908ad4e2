import assert from "node:assert/strict";
import {
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InClusterConfigError, inClusterConfig, loadClusterConfig, SERVICE_ACCOUNT_DIR } from "./config.js";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const ENV = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };

function tempDir(t: { after: (fn: () => void) => void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A service-account volume as kubelet projects it under ROOT: the files in a timestamped directory,
 * `..data` pointing at it, `token`, `ca.crt` and `namespace` pointing through `..data`. rotate() writes a
 * new timestamped directory and swaps `..data` by renaming a new symlink over it, as AtomicWriter does.
 */
function projectedVolume(root: string, token: string): { dir: string; rotate: (token: string) => void } {
  const dir = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  let generation = 0;
  const write = (value: string): string => {
    const stamp = `..2026_01_01_00_00_0${generation++}.000000001`;
    mkdirSync(join(dir, stamp));
    writeFileSync(join(dir, stamp, "token"), value);
    writeFileSync(join(dir, stamp, "ca.crt"), CA);
    writeFileSync(join(dir, stamp, "namespace"), "bosun-system");
    return stamp;
  };
  symlinkSync(write(token), join(dir, "..data"));
  for (const file of ["token", "ca.crt", "namespace"]) symlinkSync(join("..data", file), join(dir, file));
  return {
    dir,
    rotate: (value) => {
      const old = readlinkSync(join(dir, "..data"));
      symlinkSync(write(value), join(dir, "..data_tmp"));
      renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
      rmSync(join(dir, old), { recursive: true });
    },
  };
}

async function authorization(config: { requestOptions: () => Promise<{ headers?: unknown }> }): Promise<string> {
  return ((await config.requestOptions()).headers as Record<string, string>).Authorization ?? "";
}

test("in-cluster: server from the environment, CA, namespace and token from the service-account volume", async (t) => {
  const root = tempDir(t, "bosun-sa-");
  projectedVolume(root, "token-a\n");
  const config = loadClusterConfig({ inCluster: true, inClusterRoot: root, env: ENV });
  assert.equal(config.server, "https://10.96.0.1:443");
  assert.equal(config.context, "in-cluster");
  assert.equal(config.namespace, "bosun-system");
  const opts = await config.requestOptions();
  assert.equal(String(opts.ca), CA);
  assert.equal(await authorization(config), "Bearer token-a", "the trailing newline is no part of the token");

  const v6 = inClusterConfig({
    root,
    env: { KUBERNETES_SERVICE_HOST: "fd00:10:96::1", KUBERNETES_SERVICE_PORT: "443" },
  });
  assert.equal(v6.server, "https://[fd00:10:96::1]:443");
});

test("in-cluster: a token rotated by swapping ..data is sent with the very next request", async (t) => {
  const root = tempDir(t, "bosun-sa-");
  // Tokens of one length: the change shows as another file (inode), not merely another size.
  const volume = projectedVolume(root, "token-a");
  const config = inClusterConfig({ root, env: ENV });
  assert.equal(await authorization(config), "Bearer token-a");
  assert.equal(await authorization(config), "Bearer token-a");
  volume.rotate("token-b");
  assert.equal(await authorization(config), "Bearer token-b");
  volume.rotate("token-c");
  assert.equal(await authorization(config), "Bearer token-c");
});

test("in-cluster: after a 401 the token is read again even when its file looks unchanged", async (t) => {
  const root = tempDir(t, "bosun-sa-");
  const volume = projectedVolume(root, "token-a");
  const file = join(volume.dir, "token");
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  const config = inClusterConfig({ root, env: ENV });
  assert.ok(config.refreshCredentials);
  assert.equal(await authorization(config), "Bearer token-a");
  assert.equal(await config.refreshCredentials(), false, "the same token is not worth another try");

  // Rewritten in place, same size, same mtime: the stat cannot tell.
  writeFileSync(file, "token-b");
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  assert.equal(await authorization(config), "Bearer token-a");
  assert.equal(await config.refreshCredentials(), true);
  assert.equal(await authorization(config), "Bearer token-b");

  // A token that cannot be read leaves the refusal standing; the next request names the file.
  unlinkSync(file);
  assert.equal(await config.refreshCredentials(), false);
  await assert.rejects(config.requestOptions(), (err: unknown) => {
    assert.ok(err instanceof InClusterConfigError);
    assert.equal(err.message, `in-cluster configuration: the service-account token ${file} does not exist`);
    return true;
  });
});

test("in-cluster: a missing variable, token or CA is an error naming it", (t) => {
  const root = tempDir(t, "bosun-sa-");
  const dir = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  assert.throws(
    () => inClusterConfig({ root, env: {} }),
    /^InClusterConfigError: in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT not set/,
  );
  assert.throws(
    () => inClusterConfig({ root, env: { KUBERNETES_SERVICE_HOST: "10.96.0.1" } }),
    /: KUBERNETES_SERVICE_PORT not set/,
  );
  assert.throws(
    () => inClusterConfig({ root, env: ENV }),
    new InClusterConfigError(`in-cluster configuration: the service-account token ${dir}/token does not exist`),
  );
  writeFileSync(join(dir, "token"), "\n");
  assert.throws(
    () => inClusterConfig({ root, env: ENV }),
    new InClusterConfigError(`in-cluster configuration: the service-account token ${dir}/token is empty`),
  );
  writeFileSync(join(dir, "token"), "token-a");
  assert.throws(
    () => inClusterConfig({ root, env: ENV }),
    new InClusterConfigError(`in-cluster configuration: the cluster CA ${dir}/ca.crt does not exist`),
  );
  writeFileSync(join(dir, "ca.crt"), CA);
  assert.equal(inClusterConfig({ root, env: ENV }).namespace, undefined, "the namespace file is optional");
  assert.throws(
    () => loadClusterConfig({ inCluster: true, inClusterRoot: root, env: ENV, context: "prod" }),
    /context "prod" was asked for, but there is no kubeconfig/,
  );
});

test("without a kubeconfig, KUBECONFIG or ~/.kube/config, a service-account token means in-cluster", async (t) => {
  const root = tempDir(t, "bosun-sa-");
  const home = tempDir(t, "bosun-home-");
  const volume = projectedVolume(root, "token-a");
  const config = loadClusterConfig({ inClusterRoot: root, env: { ...ENV, HOME: home } });
  assert.equal(config.context, "in-cluster");
  assert.equal(config.server, "https://10.96.0.1:443");
  volume.rotate("token-b");
  assert.equal(await authorization(config), "Bearer token-b", "the fallback follows rotation too");
});

test("KUBECONFIG comes before the service-account token", (t) => {
  const root = tempDir(t, "bosun-sa-");
  projectedVolume(root, "token-a");
  const kubeconfig = join(tempDir(t, "bosun-kubeconfig-"), "config");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: "https://kube.example.test:6443" } }],
      users: [{ name: "u", user: { token: "kubeconfig-token" } }],
      contexts: [{ name: "dev", context: { cluster: "c", user: "u" } }],
      "current-context": "dev",
    }),
  );
  // client-node reads the default kubeconfig from process.env.
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = kubeconfig;
  t.after(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });
  const config = loadClusterConfig({ inClusterRoot: root, env: { ...ENV, KUBECONFIG: kubeconfig } });
  assert.equal(config.context, "dev");
  assert.equal(config.server, "https://kube.example.test:6443");
});
