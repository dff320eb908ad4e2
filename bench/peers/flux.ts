// Flux beside bosun in bench/fleet.ts (--peer flux): the same Applications as Flux objects on the same
// control plane in the same run. source-controller and kustomize-controller (flux-build.ts) run as processes
// outside the cluster with the harness's admin kubeconfig; one GitRepository reads the bench's repository
// over smart HTTP on loopback (source-controller cannot read file:// URLs), and N Kustomizations apply its
// app/ directory into fresh namespaces flux-fleet-I with prune and wait, so Ready means applied and every
// object healthy, as bosun's Synced+Healthy. Every process started here is stopped by PID at the end.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { KubeClient } from "../../src/cluster/index.js";
import { WatchCache } from "../../src/cluster/index.js";
import { kubectl } from "../../test/harness/control-plane.js";
import { type GitHttpServer, startGitHttpServer } from "../../test/harness/git-http-server.js";
import { freePort, httpStatus, waitFor } from "../../test/harness/net.js";
import { isOurs, type StartedProcess, stopProcess, tail } from "../../test/harness/processes.js";
import { git, type Repo } from "../../test/source/git-fixture.js";
import { percentile } from "../stats.js";
import { buildFlux, type FluxController } from "./flux-build.js";
import {
  add,
  apiServerRequests,
  type Counts,
  controllerRequests,
  cpuSeconds,
  describeCounts,
  diff,
  rssMiB,
  totalOf,
} from "./metrics.js";

/** What bench/fleet.ts hands over: its cluster, repository and app, and bosun's cold figures to compare. */
export interface FleetPeerRun {
  kubeconfig: string;
  client: KubeClient;
  repo: Repo;
  appFiles: (image: string) => Record<string, string>;
  apps: number;
  /** bosun's --interval, used for the GitRepository and every Kustomization. */
  interval: string;
  /** bosun's worker count, given to both controllers as --concurrent. */
  concurrency: number;
  idleSeconds: number;
  /** Leave out commit → all Ready (a long phase with many Kustomizations). */
  skipCommit?: boolean;
  work: string;
  bosun: { coldMs: number; requests: number; apiServerRequests: number; cpuSeconds: number; peakRssMiB: number };
}

const NS = "flux-system";
const SOURCE = "podinfo";
const KS_API = "kustomize.toolkit.fluxcd.io/v1";
const SRC_API = "source.toolkit.fluxcd.io/v1";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Controller {
  name: FluxController;
  proc: StartedProcess;
  metrics: string;
  health: string;
}

interface Condition {
  type: string;
  status: string;
}
interface KustomizationStatus {
  observedGeneration?: number;
  lastAppliedRevision?: string;
  conditions?: Condition[];
}

export async function runFluxPeer(run: FleetPeerRun): Promise<void> {
  const { client, kubeconfig, apps: APPS } = run;
  const build = await buildFlux();
  const dir = join(run.work, "flux");
  const tmp = join(dir, "tmp");
  mkdirSync(tmp, { recursive: true });
  mkdirSync(join(dir, "storage"));
  const started: Controller[] = [];
  // Ctrl-C or a kill: the controllers are stopped too (they run detached), then the signal does what it would.
  const onSignal = (signal: NodeJS.Signals) => {
    for (const c of started) if (isOurs(c.proc)) process.kill(c.proc.pid, "SIGKILL");
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const start = async (name: FluxController, args: string[]): Promise<Controller> => {
    const [metricsPort, healthPort] = [await freePort(), await freePort()];
    const binary = build.binary(name);
    const fullArgs = [
      `--metrics-addr=127.0.0.1:${metricsPort}`,
      `--health-addr=127.0.0.1:${healthPort}`,
      "--watch-all-namespaces",
      `--concurrent=${run.concurrency}`,
      "--log-level=info",
      "--log-encoding=json",
      ...args,
    ];
    const log = join(dir, `${name}.log`);
    const fd = openSync(log, "a");
    const child = spawn(binary, fullArgs, {
      detached: true,
      stdio: ["ignore", fd, fd],
      env: { ...process.env, KUBECONFIG: kubeconfig, RUNTIME_NAMESPACE: NS, TMPDIR: tmp },
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    child.unref();
    const c: Controller = {
      name,
      proc: { name, pid: child.pid, binary, args: fullArgs, log },
      metrics: `http://127.0.0.1:${metricsPort}/metrics`,
      health: `http://127.0.0.1:${healthPort}/readyz`,
    };
    started.push(c);
    return c;
  };
  const ks = new WatchCache(client, { namespace: NS, accept: () => true });
  let gitServer: GitHttpServer | undefined;
  try {
    gitServer = await startGitHttpServer({ projectRoot: dirname(run.repo.dir), gitBinary: "/usr/bin/git" });
    kubectl(kubeconfig, ["apply", "--server-side", "-f", join(build.dir, "crds")]);
    kubectl(kubeconfig, ["wait", "--for=condition=Established", "--timeout=60s", "-f", join(build.dir, "crds")]);
    await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    const storagePort = await freePort();
    await start("source-controller", [
      `--storage-path=${join(dir, "storage")}`,
      `--storage-addr=127.0.0.1:${storagePort}`,
      `--storage-adv-addr=127.0.0.1:${storagePort}`,
    ]);
    await start("kustomize-controller", []);
    for (const c of started) {
      await waitFor(
        `${c.name} ${c.health}`,
        async () => {
          if (!isOurs(c.proc)) throw new Error(`${c.name} exited; last lines of ${c.proc.log}:\n${tail(c.proc.log)}`);
          return (await httpStatus(c.health)) === 200;
        },
        {
          timeoutMs: 60_000,
          detail: () => tail(c.proc.log),
        },
      );
    }
    await ks.watchKind(KS_API, "Kustomization");
    const requests = async (): Promise<Counts> =>
      add(...(await Promise.all(started.map((c) => controllerRequests(c.metrics)))));
    const cpu = () => started.reduce((sum, c) => sum + cpuSeconds(c.proc.pid), 0);
    const settled = (k: { metadata: { generation?: number }; status?: KustomizationStatus }, rev: string) =>
      k.status?.observedGeneration === k.metadata.generation &&
      (k.status?.lastAppliedRevision ?? "").endsWith(rev) &&
      k.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
    const allReady = async (rev: string, from: number, limitMs = 20 * 60_000): Promise<number[]> => {
      const at = new Map<string, number>();
      while (at.size < APPS) {
        for (const k of ks.list() as unknown as Array<{
          metadata: { name: string; generation?: number };
          status?: KustomizationStatus;
        }>)
          if (!at.has(k.metadata.name) && settled(k, rev)) at.set(k.metadata.name, performance.now() - from);
        if (performance.now() - from > limitMs) {
          throw new Error(`only ${at.size} of ${APPS} Kustomizations Ready after ${s(limitMs)}`);
        }
        await sleep(100);
      }
      return [...at.values()];
    };

    // Cold: the GitRepository, then for each Application its namespace and its Kustomization.
    const head = await git(run.repo.dir, ["rev-parse", "HEAD"]);
    const cpu0 = cpu();
    const api0 = await apiServerRequests(client);
    const git0 = gitServer.requests.length;
    const startup = totalOf(await requests());
    const t0 = performance.now();
    await client.apply({
      apiVersion: SRC_API,
      kind: "GitRepository",
      metadata: { name: SOURCE, namespace: NS },
      spec: { url: `${gitServer.url}/${basename(run.repo.dir)}`, ref: { branch: "main" }, interval: run.interval },
    });
    for (let i = 0; i < APPS; i++) {
      await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: `flux-fleet-${i}` } });
      await client.apply({
        apiVersion: KS_API,
        kind: "Kustomization",
        metadata: { name: `podinfo-${i}`, namespace: NS },
        spec: {
          interval: run.interval,
          sourceRef: { kind: "GitRepository", name: SOURCE },
          path: "./app",
          prune: true,
          wait: true,
          // Health checks that take longer than this fail and retry an interval later; bosun has no such limit.
          timeout: "10m",
          targetNamespace: `flux-fleet-${i}`,
        },
      });
    }
    const cold = await allReady(head, t0);
    const coldMs = Math.max(...cold);
    const coldCpu = cpu() - cpu0;
    const apiCold = diff(await apiServerRequests(client), api0);
    const coldRequests = await requests(); // since the controllers started, as bosun's count since its start
    const peak = (c: Controller) => rssMiB(c.proc.pid, "VmHWM");
    const v = build.versions;
    const substitutes = Object.values(v.substitute)
      .flatMap((m) => Object.entries(m ?? {}))
      .map(([mod, ver]) => `${mod.replace("github.com/fluxcd/", "")} ${ver}`);
    console.log(
      `Flux beside it: source-controller ${v["source-controller"]} + kustomize-controller ${v["kustomize-controller"]}${substitutes.length ? ` (built with ${substitutes.join(", ")})` : ""}, --concurrent ${run.concurrency}, client QPS/burst upstream defaults; after bosun (its agent stopped), fresh namespaces flux-fleet-I`,
    );
    console.log(
      `cold → all Kustomizations Ready (prune, wait): ${s(coldMs)} (per Kustomization p50 ${s(percentile(cold, 0.5))}, p90 ${s(percentile(cold, 0.9))})`,
    );
    console.log(
      `  controllers' CPU ${coldCpu.toFixed(1)} s, peak RSS ${started.map((c) => `${c.name} ${peak(c).toFixed(0)} MiB`).join(", ")}, git HTTP requests ${gitServer.requests.length - git0}`,
    );
    const fluxTotal = totalOf(coldRequests);
    console.log(
      `  their API requests ${fluxTotal} (${(fluxTotal / APPS).toFixed(1)} per Kustomization; ${startup} of them at start-up): ${describeCounts(coldRequests)}`,
    );
    console.log(
      `  API server, all clients (apiserver_request_total): ${totalOf(apiCold)} (${(totalOf(apiCold) / APPS).toFixed(1)} per Kustomization): ${describeCounts(apiCold)}`,
    );
    const b = run.bosun;
    const peakSum = started.reduce((sum, c) => sum + peak(c), 0);
    console.log(
      `bosun / Flux, cold: time ${(b.coldMs / coldMs).toFixed(2)} (bosun ${s(b.coldMs)}, Flux ${s(coldMs)}), own requests ${(b.requests / fluxTotal).toFixed(2)}, API server requests ${(b.apiServerRequests / totalOf(apiCold)).toFixed(2)}, CPU ${(b.cpuSeconds / coldCpu).toFixed(2)}, peak RSS ${(b.peakRssMiB / peakSum).toFixed(2)}`,
    );

    // Idle: the follow-up work first (bounded), then a quiet window.
    for (let quiet = 0, t = performance.now(); quiet < 3 && performance.now() - t < 120_000; ) {
      const before = totalOf(await requests());
      await sleep(2000);
      quiet = totalOf(await requests()) === before ? quiet + 1 : 0;
    }
    const idleCpu0 = cpu();
    const idle0 = await requests();
    const idleGit0 = gitServer.infoRefsCount();
    await sleep(run.idleSeconds * 1000);
    const perMinute = 60 / run.idleSeconds;
    const idleCpu = cpu() - idleCpu0;
    const idle = diff(await requests(), idle0);
    const writes = [...idle].filter(([m]) => m !== "GET").reduce((a, [, n]) => a + n, 0);
    console.log(`Flux idle, over ${run.idleSeconds} s (per minute; each Kustomization re-applies every interval):`);
    console.log(
      `  CPU ${(idleCpu * perMinute).toFixed(2)} CPU-s (${((idleCpu / run.idleSeconds) * 100).toFixed(1)} % of a core), RSS ${started.map((c) => `${c.name} ${rssMiB(c.proc.pid, "VmRSS").toFixed(0)} MiB`).join(", ")}`,
    );
    console.log(
      `  API requests ${(totalOf(idle) * perMinute).toFixed(0)} (writes ${(writes * perMinute).toFixed(0)}), git fetches ${((gitServer.infoRefsCount() - idleGit0) * perMinute).toFixed(0)}`,
    );

    // Commit → all Ready: with a webhook's effect (the GitRepository asked to reconcile now, as Flux's
    // Receiver does), then by polling.
    if (run.skipCommit) return;
    let sha = await run.repo.commit("flux: new image", run.appFiles("ghcr.io/stefanprodan/podinfo:6.7.3"));
    let t1 = performance.now();
    await client.mergePatch(
      { apiVersion: SRC_API, kind: "GitRepository", namespace: NS, name: SOURCE },
      { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": new Date().toISOString() } } },
    );
    console.log(`Flux commit → all Ready with a webhook: ${s(Math.max(...(await allReady(sha, t1))))}`);
    sha = await run.repo.commit("flux: another image", run.appFiles("ghcr.io/stefanprodan/podinfo:6.7.4"));
    t1 = performance.now();
    console.log(
      `Flux commit → all Ready by polling (interval ${run.interval}): ${s(Math.max(...(await allReady(sha, t1))))}`,
    );
  } finally {
    ks.stop();
    for (const c of [...started].reverse()) await stopProcess(c.proc);
    await gitServer?.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
