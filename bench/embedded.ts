// The embedded API server's figures: objects written per second (in-process, and over HTTPS from another
// process), watch event latency (write → event at a watcher), memory and list time with 10,000 objects,
// and how long the workload simulator takes to make Deployments Available. Prints figures; asserts nothing.
//   npx tsx bench/embedded.ts [objects=10000]
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parse } from "yaml";
import { EmbeddedApi, SqliteStore } from "../src/embedded/index.js";
import { startEmbeddedProcess } from "../test/harness/embedded-process.js";

const OBJECTS = Number(process.argv[2] ?? 10_000);
const PAYLOAD = "x".repeat(1024);
const configMap = (name: string, namespace: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace, labels: { bench: "embedded" } },
  data: { payload: PAYLOAD },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

function inProcessWrites(count: number): void {
  const dir = mkdtempSync(join(tmpdir(), "bosun-bench-embedded-"));
  const store = SqliteStore.open({ dataDir: dir });
  const api = new EmbeddedApi({ store });
  try {
    const target = api.targetFor("v1", "ConfigMap", "default");
    if (!target) throw new Error("no ConfigMap resource");
    const started = performance.now();
    for (let i = 0; i < count; i++) api.create(target, configMap(`cm-${i}`, "default"), { fieldManager: "bench" });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `in-process creates:        ${fmt(count / seconds)} objects/s (${count} ConfigMaps of 1 KiB, one transaction each)`,
    );
  } finally {
    api.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Conn {
  call: (
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ) => Promise<{ status: number; text: string }>;
  stream: (path: string, onLine: (line: string) => void) => () => void;
}

function connect(kubeconfigPath: string): Conn {
  const config = parse(readFileSync(kubeconfigPath, "utf8")) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = config.clusters[0]?.cluster;
  const token = config.users[0]?.user.token;
  if (!cluster || !token) throw new Error("unexpected kubeconfig");
  const server = new URL(cluster.server);
  const ca = Buffer.from(cluster["certificate-authority-data"], "base64");
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca });
  const options = (method: string, path: string, contentType?: string) => ({
    host: server.hostname,
    port: server.port,
    path,
    method,
    agent,
    headers: { authorization: `Bearer ${token}`, "content-type": contentType ?? "application/json" },
  });
  return {
    call: (method, path, body, contentType) =>
      new Promise((resolve, reject) => {
        const req = request(options(method, path, contentType), (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      }),
    stream: (path, onLine) => {
      const req = request({ ...options("GET", path), agent: new Agent({ ca }) }, (res) => {
        let buffered = "";
        res.on("data", (c: Buffer) => {
          buffered += c.toString("utf8");
          let nl = buffered.indexOf("\n");
          while (nl >= 0) {
            onLine(buffered.slice(0, nl));
            buffered = buffered.slice(nl + 1);
            nl = buffered.indexOf("\n");
          }
        });
      });
      req.on("error", () => undefined);
      req.end();
      return () => req.destroy();
    },
  };
}

async function createMany(conn: Conn, namespace: string, from: number, count: number, concurrency: number) {
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const i = next++;
      const res = await conn.call(
        "POST",
        `/api/v1/namespaces/${namespace}/configmaps`,
        configMap(`cm-${i}`, namespace),
      );
      if (res.status !== 201) throw new Error(`create cm-${i}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function watchLatency(conn: Conn, namespace: string, writes: number): Promise<number[]> {
  await conn.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  await conn.call("POST", `/api/v1/namespaces/${namespace}/configmaps`, configMap("watched", namespace));
  const waiting = new Map<string, (t: number) => void>();
  const stop = conn.stream(`/api/v1/namespaces/${namespace}/configmaps?watch=1&allowWatchBookmarks=false`, (line) => {
    const event = JSON.parse(line) as { object: { data?: { n?: string } } };
    const n = event.object.data?.n;
    if (n !== undefined) waiting.get(n)?.(performance.now());
  });
  await new Promise((r) => setTimeout(r, 300));
  const latencies: number[] = [];
  for (let i = 0; i < writes; i++) {
    const seen = new Promise<number>((resolve) => waiting.set(String(i), resolve));
    const started = performance.now();
    await conn.call(
      "PATCH",
      `/api/v1/namespaces/${namespace}/configmaps/watched`,
      { data: { n: String(i) } },
      "application/merge-patch+json",
    );
    latencies.push((await seen) - started);
  }
  stop();
  return latencies.sort((a, b) => a - b);
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? NaN) / 1024;
}

async function simulatorRollout(conn: Conn, deployments: number): Promise<number> {
  const namespace = "bench-workloads";
  await conn.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  const started = performance.now();
  for (let i = 0; i < deployments; i++) {
    await conn.call("POST", `/apis/apps/v1/namespaces/${namespace}/deployments`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `web-${i}`, namespace },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: `web-${i}` } },
        template: {
          metadata: { labels: { app: `web-${i}` } },
          spec: { containers: [{ name: "web", image: "nginx" }] },
        },
      },
    });
  }
  for (;;) {
    const list = JSON.parse((await conn.call("GET", `/apis/apps/v1/namespaces/${namespace}/deployments`)).text) as {
      items: Array<{ status?: { availableReplicas?: number } }>;
    };
    if (list.items.filter((d) => d.status?.availableReplicas === 3).length === deployments)
      return (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
}

console.log(`bench/embedded: ${OBJECTS} objects; node ${process.version}; figures from one run on this machine`);
inProcessWrites(Math.min(OBJECTS, 5000));

const dir = mkdtempSync(join(tmpdir(), "bosun-bench-embedded-server-"));
const server = await startEmbeddedProcess(dir);
try {
  const conn = connect(server.kubeconfig);
  const idleRss = rssMiB(server.pid);
  await conn.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } });
  const httpsCount = Math.min(2000, OBJECTS);
  let started = performance.now();
  await createMany(conn, "bench", 0, httpsCount, 8);
  const httpsSeconds = (performance.now() - started) / 1000;
  console.log(`HTTPS creates (8 clients): ${fmt(httpsCount / httpsSeconds)} objects/s (server in its own process)`);

  const latencies = await watchLatency(conn, "bench-watch", 300);
  console.log(
    `watch event latency:       p50 ${fmt(percentile(latencies, 0.5), 2)} ms, p95 ${fmt(percentile(latencies, 0.95), 2)} ms, p99 ${fmt(percentile(latencies, 0.99), 2)} ms (write acknowledged → event read, 300 writes)`,
  );

  await createMany(conn, "bench", httpsCount, OBJECTS - httpsCount, 8);
  started = performance.now();
  const listed = JSON.parse((await conn.call("GET", "/api/v1/namespaces/bench/configmaps")).text) as {
    items: unknown[];
  };
  const listMs = performance.now() - started;
  const dbMiB =
    ["state.db", "state.db-wal"]
      .map((f) => statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0)
      .reduce((a, b) => a + b) /
    1024 /
    1024;
  console.log(
    `memory with ${listed.items.length} objects:  server RSS ${fmt(rssMiB(server.pid))} MiB (idle ${fmt(idleRss)} MiB); database ${fmt(dbMiB, 1)} MiB; full LIST ${fmt(listMs)} ms`,
  );
  const rolloutSeconds = await simulatorRollout(conn, 20);
  console.log(
    `simulator:                 20 Deployments × 3 replicas Available after ${fmt(rolloutSeconds, 1)} s (pods Ready after 1 s)`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
