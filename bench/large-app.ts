// One Application of many objects on the real control plane: cold sync, idle resync (a reconcile whose
// interval came round with nothing changed), a sync asked for again (every object re-applied) and the
// cascade delete. Called by bench/reconcile.ts; prints figures, asserts nothing.
import { join } from "node:path";
import { pino } from "pino";
import type { Application } from "../src/api/index.js";
import type { KubeClient } from "../src/cluster/index.js";
import { type ReconciledEvent, startAgent } from "../src/controller/index.js";
import { kubectl } from "../test/harness/control-plane.js";
import { Repo } from "../test/source/git-fixture.js";
import { median } from "./stats.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface LargeAppOptions {
  kubeconfig: string;
  client: KubeClient;
  work: string;
  objects: number;
  kubeQps: number;
  idleRuns: number;
  signal: AbortSignal;
}

export async function benchLargeApp(o: LargeAppOptions): Promise<void> {
  const ns = "bench-large";
  const dest = "bench-large-dest";
  kubectl(o.kubeconfig, ["create", "namespace", ns]);
  const repo = await Repo.init(join(o.work, "large-repo"));
  const docs = Array.from(
    { length: o.objects },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: large-${String(i).padStart(5, "0")}\ndata: { i: "${i}" }\n`,
  );
  const sha = await repo.commit("many", { "app/all.yaml": docs.join("---\n") });
  const requests = { total: 0 };
  const reconciles: ReconciledEvent[] = [];
  const stop = new AbortController();
  o.signal.addEventListener("abort", () => stop.abort(), { once: true });
  const agent = await startAgent({
    kubeconfig: o.kubeconfig,
    namespace: ns,
    concurrency: 4,
    cacheDir: join(o.work, "large-agent-cache"),
    allowFileRepos: [o.work],
    kubeQps: o.kubeQps,
    kubeBurst: o.kubeQps * 2,
    log: pino({ level: "warn" }),
    signal: stop.signal,
    observeRequests: () => {
      requests.total++;
    },
    observe: {
      reconciled: (e) => reconciles.push(e),
      synced: () => undefined,
      driftCorrected: () => undefined,
      gitFetched: () => undefined,
      rendered: () => undefined,
    },
  });
  const idleInterval = 10;
  const get = async () =>
    (await o.client.get({ apiVersion: "bosun.dev/v1alpha1", kind: "Application", namespace: ns, name: "large" })) as
      | Application
      | undefined;
  const settled = (a: Application | undefined) =>
    a?.status?.sync?.status === "Synced" &&
    a.status.sync.revision === sha &&
    a.status.health?.status === "Healthy" &&
    a.status.operation?.phase !== "Running";
  try {
    let t0 = performance.now();
    await o.client.apply({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Application",
      metadata: { name: "large", namespace: ns, finalizers: ["bosun.dev/resources-finalizer"] },
      spec: {
        source: { repoURL: repo.fileUrl, path: "app" },
        destination: { namespace: dest },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          interval: `${idleInterval}s`,
          timeout: "15m",
          syncOptions: ["CreateNamespace=true"],
        },
      },
    });
    while (!settled(await get())) await sleep(250);
    const cold = performance.now() - t0;
    const coldRequests = requests.total;

    // Idle: wait for the follow-up reconciles to finish, then time the next ones the interval brings.
    await sleep(3000);
    const idle: Array<{ ms: number; requests: number }> = [];
    for (let i = 0; i < o.idleRuns; i++) {
      const seen = reconciles.length;
      const before = requests.total;
      while (reconciles.length === seen) await sleep(50);
      const r = reconciles[reconciles.length - 1];
      if (r) idle.push({ ms: r.durationMs, requests: requests.total - before });
    }

    const history = (await get())?.status?.history?.length ?? 0;
    t0 = performance.now();
    await o.client.rest.request({
      method: "PATCH",
      path: `/apis/bosun.dev/v1alpha1/namespaces/${ns}/applications/large`,
      body: { metadata: { annotations: { "bosun.dev/reconcile-requested-at": new Date().toISOString() } } },
      contentType: "application/merge-patch+json",
    });
    for (;;) {
      const a = await get();
      if ((a?.status?.history?.length ?? 0) > history && settled(a)) break;
      await sleep(250);
    }
    const resync = performance.now() - t0;

    t0 = performance.now();
    kubectl(o.kubeconfig, ["-n", ns, "delete", "application", "large", "--wait=false"]);
    for (;;) {
      const left = await o.client.list("v1", "ConfigMap", { namespace: dest, labelSelector: "" });
      const remaining = left.items.filter((c) => c.metadata.name?.startsWith("large-")).length;
      if (remaining === 0 && !(await get())) break;
      await sleep(500);
    }
    const cascade = performance.now() - t0;

    console.log(`one Application of ${o.objects} ConfigMaps (agent at --kube-qps ${o.kubeQps}):`);
    console.log(`  cold sync → Synced+Healthy:   ${seconds(cold)} (${coldRequests} API requests)`);
    console.log(
      `  idle resync (${idleInterval} s interval):   median ${median(idle.map((r) => r.ms)).toFixed(0)} ms, ${median(idle.map((r) => r.requests))} requests per reconcile (${idle.length} runs)`,
    );
    console.log(`  sync asked for again:         ${seconds(resync)} (every object re-applied)`);
    console.log(`  cascade delete → all gone:    ${seconds(cascade)}`);
  } finally {
    stop.abort();
    await agent.done;
  }
}
