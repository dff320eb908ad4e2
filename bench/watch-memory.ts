// The embedded API server's memory with many watchers of a large object: N watches of ConfigMaps in one
// namespace (each on its own connection, from this process), then a ConfigMap of about 1 MiB created and
// changed three times. Prints the server process's resident memory (VmRSS, sampled every 50 ms, and its
// peak) with watchers that read their streams and with watchers that stop reading (the server then holds
// what it sent until the sockets drain). Asserts nothing.
//   npx tsx bench/watch-memory.ts [watchers=1000] [sizeKiB=1024]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { startEmbeddedProcess } from "../test/harness/embedded-process.js";

const WATCHERS = Number(process.argv[2] ?? 1000);
const SIZE_KIB = Number(process.argv[3] ?? 1024);

interface Server {
  url: URL;
  token: string;
  ca: Buffer;
}

function serverOf(kubeconfig: string): Server {
  const config = parse(readFileSync(kubeconfig, "utf8")) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const cluster = config.clusters[0]?.cluster;
  const token = config.users[0]?.user.token;
  if (!cluster || !token) throw new Error("unexpected kubeconfig");
  return { url: new URL(cluster.server), token, ca: Buffer.from(cluster["certificate-authority-data"], "base64") };
}

function call(s: Server, method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: s.url.hostname,
        port: s.url.port,
        path,
        method,
        ca: s.ca,
        headers: {
          authorization: `Bearer ${s.token}`,
          "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          (res.statusCode ?? 0) < 300
            ? resolve(res.statusCode ?? 0)
            : reject(new Error(`${method} ${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface Watch {
  bytes: number;
  stop: () => void;
}

function watch(s: Server, path: string, read: boolean, agent: Agent): Promise<Watch> {
  return new Promise((resolve, reject) => {
    const w: Watch = { bytes: 0, stop: () => undefined };
    const req = request(
      { host: s.url.hostname, port: s.url.port, path, agent, headers: { authorization: `Bearer ${s.token}` } },
      (res) => {
        if (read) res.on("data", (c: Buffer) => (w.bytes += c.length));
        else res.pause();
        resolve(w);
      },
    );
    w.stop = () => req.destroy();
    req.on("error", (err) => (w.bytes === 0 ? reject(err) : undefined));
    req.end();
  });
}

function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

async function scenario(read: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bosun-bench-watch-"));
  const server = await startEmbeddedProcess(dir);
  try {
    const s = serverOf(server.kubeconfig);
    const ns = "mem";
    await call(s, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    const before = rssMiB(server.pid).rss;
    const agent = new Agent({ ca: s.ca, keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const watches: Watch[] = [];
    for (let i = 0; i < WATCHERS; i += 50)
      watches.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, WATCHERS - i) }, () =>
            watch(s, `/api/v1/namespaces/${ns}/configmaps?watch=1`, read, agent),
          ),
        )),
      );
    const watching = rssMiB(server.pid).rss;
    let top = watching;
    const sampler = setInterval(() => (top = Math.max(top, rssMiB(server.pid).rss)), 50);
    const payload = "x".repeat(SIZE_KIB * 1024 - 200);
    const started = performance.now();
    await call(s, "POST", `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "large" },
      data: { payload },
    });
    for (let n = 1; n <= 3; n++)
      await call(s, "PATCH", `/api/v1/namespaces/${ns}/configmaps/large`, { data: { n: String(n) } });
    const expected = 4 * SIZE_KIB * 1024 * 0.99;
    if (read) while (watches.some((w) => w.bytes < expected)) await new Promise((r) => setTimeout(r, 50));
    else await new Promise((r) => setTimeout(r, 2000));
    const delivered = performance.now() - started;
    clearInterval(sampler);
    const { rss, peak } = rssMiB(server.pid);
    top = Math.max(top, rss);
    const label = read ? "watchers reading" : "watchers not reading";
    console.log(
      `| ${label} | ${before.toFixed(0)} MiB | ${watching.toFixed(0)} MiB | ${top.toFixed(0)} MiB | ${peak.toFixed(0)} MiB | ${read ? `${(delivered / 1000).toFixed(1)} s` : "n/a"} |`,
    );
    for (const w of watches) w.stop();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${WATCHERS} watches of ConfigMaps; one of ${SIZE_KIB} KiB created, then changed 3 times`);
console.log(
  "| | server RSS before | with the watches open | highest sampled | VmHWM (peak) | all 4 events delivered |",
);
console.log("|---|---|---|---|---|---|");
await scenario(true);
await scenario(false);
