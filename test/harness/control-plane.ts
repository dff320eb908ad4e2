import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { KubeObject } from "../../src/api/index.js";
import { toolPath } from "../../src/tools/locate.js";
import { stagesYaml } from "./kwok/stages.js";
import { freePort, httpStatus, httpsStatus, waitFor } from "./net.js";
import { generatePki, type Pki } from "./pki.js";
import { isOurs, type StartedProcess, startDetached, stopProcess, tail } from "./processes.js";

/** What `up` leaves in DIR/cluster.json, and all that `down` needs. */
export interface ClusterState {
  dir: string;
  kubeconfig: string;
  server: string;
  /** In start order; `down` stops them in reverse. */
  processes: StartedProcess[];
}

export const FAKE_NODE_NAME = "kwok-node-0";

const STATE_FILE = "cluster.json";

function stateFile(dir: string): string {
  return join(dir, STATE_FILE);
}

export function readState(dir: string): ClusterState | undefined {
  const file = stateFile(resolve(dir));
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as ClusterState;
}

function writeKubeconfig(file: string, server: string, pki: Pki): void {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "bosun-test", cluster: { server, "certificate-authority": pki.caCert } }],
    users: [{ name: "admin", user: { "client-certificate": pki.adminCert, "client-key": pki.adminKey } }],
    contexts: [{ name: "bosun-test", context: { cluster: "bosun-test", user: "admin" } }],
    "current-context": "bosun-test",
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

// Room for bench/fleet.ts's 1,000 podinfo Pods (a kubelet's default of 110 left most Pending).
const FAKE_NODE = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name: FAKE_NODE_NAME,
    annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
    labels: {
      "kubernetes.io/hostname": FAKE_NODE_NAME,
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      type: "kwok",
    },
  },
  status: {
    allocatable: { cpu: "2000", memory: "4Ti", pods: "5000" },
    capacity: { cpu: "2000", memory: "4Ti", pods: "5000" },
  },
};

/** `kubectl get ARGS -o json`, parsed; undefined when kubectl fails (not found). */
export function kubectlGet<T = KubeObject>(kubeconfig: string, args: string[]): T | undefined {
  try {
    return JSON.parse(kubectl(kubeconfig, ["get", ...args, "-o", "json"])) as T;
  } catch {
    return undefined;
  }
}

export function kubectl(kubeconfig: string, args: string[], input?: string): string {
  try {
    return execFileSync(toolPath("kubectl"), ["--kubeconfig", kubeconfig, ...args], {
      input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

interface Starter {
  dir: string;
  logs: string;
  state: ClusterState;
  save: () => void;
}

function start(s: Starter, name: string, binary: string, args: string[]): StartedProcess {
  const proc = startDetached(name, binary, args, join(s.logs, `${name}.log`));
  s.state.processes.push(proc);
  s.save();
  return proc;
}

function failedToStart(proc: StartedProcess): string {
  return `${proc.name} ${isOurs(proc) ? "is running" : "exited"}; last lines of ${proc.log}:\n${tail(proc.log)}`;
}

async function startEtcd(s: Starter): Promise<string> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const etcd = start(s, "etcd", toolPath("etcd"), [
    "--name=n0",
    `--data-dir=${join(s.dir, "etcd")}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=n0=${peer}`,
    "--listen-metrics-urls=",
    "--unsafe-no-fsync=true",
    "--log-level=warn",
  ]);
  await waitFor("etcd /health", async () => (await httpStatus(`${client}/health`)) === 200, {
    timeoutMs: 30_000,
    detail: () => failedToStart(etcd),
  });
  return client;
}

async function startApiServer(s: Starter, pki: Pki, etcdUrl: string): Promise<string> {
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const apiserver = start(s, "kube-apiserver", toolPath("kube-apiserver"), [
    `--etcd-servers=${etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    "--endpoint-reconciler-type=none",
    `--tls-cert-file=${pki.adminCert}`,
    `--tls-private-key-file=${pki.adminKey}`,
    `--client-ca-file=${pki.caCert}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    "--service-cluster-ip-range=10.96.0.0/16",
    "--authorization-mode=RBAC",
    "--allow-privileged=true",
    "--v=1",
  ]);
  const tls = { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey };
  await waitFor("kube-apiserver /readyz", async () => (await httpsStatus(`${server}/readyz`, tls)) === 200, {
    timeoutMs: 90_000,
    detail: () => failedToStart(apiserver),
  });
  return server;
}

/**
 * BOSUN_CONTROLLER_QPS raises kube-controller-manager's and kube-scheduler's client rate limit (20 and 50
 * requests a second by default): with hundreds of Deployments, the controllers' pace, not the GitOps
 * agent's, decides when they are available (bench/fleet.ts --controller-qps).
 */
function controllerPace(): string[] {
  const qps = process.env.BOSUN_CONTROLLER_QPS;
  return qps ? [`--kube-api-qps=${qps}`, `--kube-api-burst=${Number(qps) * 2}`] : [];
}

async function startControllers(s: Starter, pki: Pki, kubeconfig: string): Promise<void> {
  const common = [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    "--leader-elect=false",
    "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
  ];
  const kcmPort = await freePort();
  start(s, "kube-controller-manager", toolPath("kube-controller-manager"), [
    ...common,
    `--secure-port=${kcmPort}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    "--use-service-account-credentials=false",
    ...controllerPace(),
  ]);
  const schedulerPort = await freePort();
  start(s, "kube-scheduler", toolPath("kube-scheduler"), [
    ...common,
    `--secure-port=${schedulerPort}`,
    ...controllerPace(),
  ]);
  const kwokBinary = toolPath("kwok");
  const stagesFile = join(s.dir, "kwok-stages.yaml");
  writeFileSync(stagesFile, stagesYaml(join(dirname(kwokBinary), "stage")));
  start(s, "kwok", kwokBinary, [
    `--kubeconfig=${kubeconfig}`,
    `--config=${stagesFile}`,
    "--manage-all-nodes=false",
    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
    "--cidr=10.244.0.0/16",
    "--node-ip=10.0.0.1",
    "--node-lease-duration-seconds=40",
  ]);
}

function nodeReady(kubeconfig: string): boolean {
  try {
    const node = JSON.parse(kubectl(kubeconfig, ["get", "node", FAKE_NODE_NAME, "-o", "json"])) as {
      status?: { conditions?: Array<{ type: string; status: string }> };
    };
    return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  } catch {
    return false;
  }
}

/**
 * Start etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on random loopback ports,
 * write DIR/kubeconfig, and return once the API server is ready and the fake Node is Ready.
 * On any failure, everything started so far is stopped again.
 */
export async function up(dirArg: string): Promise<ClusterState> {
  const dir = resolve(dirArg);
  const existing = readState(dir);
  if (existing?.processes.some(isOurs)) {
    throw new Error(
      `a test cluster is already running in ${dir}; run \`npm run testcluster -- down --dir ${dirArg}\` first`,
    );
  }
  for (const stale of ["etcd", "pki", "logs", STATE_FILE, "kubeconfig"])
    rmSync(join(dir, stale), { recursive: true, force: true });
  const logs = join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  const kubeconfig = join(dir, "kubeconfig");
  const state: ClusterState = { dir, kubeconfig, server: "", processes: [] };
  const s: Starter = {
    dir,
    logs,
    state,
    save: () => writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`),
  };
  try {
    const pki = generatePki(join(dir, "pki"));
    const etcdUrl = await startEtcd(s);
    state.server = await startApiServer(s, pki, etcdUrl);
    writeKubeconfig(kubeconfig, state.server, pki);
    s.save();
    await startControllers(s, pki, kubeconfig);
    kubectl(kubeconfig, ["apply", "-f", "-"], JSON.stringify(FAKE_NODE));
    await waitFor(`node ${FAKE_NODE_NAME} Ready`, async () => nodeReady(kubeconfig), {
      timeoutMs: 60_000,
      intervalMs: 500,
      detail: () => state.processes.map(failedToStart).join("\n"),
    });
    return state;
  } catch (err) {
    await down(dir);
    throw err;
  }
}

/**
 * Stop one component of a running cluster and start it again with the same flags (an API server restart,
 * as users see during an upgrade). Resolves when the restarted API server is ready again.
 */
export async function restartComponent(dirArg: string, name: string): Promise<void> {
  await stopComponent(dirArg, name);
  await startComponent(dirArg, name);
}

function component(dirArg: string, name: string) {
  const dir = resolve(dirArg);
  const state = readState(dir);
  const index = state?.processes.findIndex((p) => p.name === name) ?? -1;
  const old = state?.processes[index];
  if (!state || !old) throw new Error(`no ${name} in the test cluster in ${dir}`);
  return { dir, state, index, old };
}

/** Stop one component of a running cluster (by its PID); startComponent starts it again with the same flags. */
export async function stopComponent(dirArg: string, name: string): Promise<void> {
  const { old } = component(dirArg, name);
  if (isOurs(old)) await stopProcess(old);
}

/** Start a component stopComponent stopped; for the API server, resolves once it is ready again. */
export async function startComponent(dirArg: string, name: string): Promise<void> {
  const { dir, state, index, old } = component(dirArg, name);
  if (isOurs(old)) throw new Error(`${name} in ${dir} is still running (pid ${old.pid})`);
  const fresh = startDetached(old.name, old.binary, old.args, old.log);
  state.processes[index] = fresh;
  writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
  if (name === "kube-apiserver") {
    const pki = join(dir, "pki");
    const tls = { ca: join(pki, "ca.crt"), cert: join(pki, "admin.crt"), key: join(pki, "admin.key") };
    await waitFor(
      "kube-apiserver /readyz after restart",
      async () => (await httpsStatus(`${state.server}/readyz`, tls)) === 200,
      {
        timeoutMs: 90_000,
        detail: () => failedToStart(fresh),
      },
    );
  }
}

/** Stop exactly the processes `up` started in DIR (by PID, checked against the binary), newest first. */
export async function down(dirArg: string): Promise<number> {
  const dir = resolve(dirArg);
  const state = readState(dir);
  if (!state) return 0;
  let stopped = 0;
  for (const proc of [...state.processes].reverse()) {
    if (isOurs(proc)) {
      await stopProcess(proc);
      stopped++;
    }
  }
  rmSync(stateFile(dir), { force: true });
  return stopped;
}
