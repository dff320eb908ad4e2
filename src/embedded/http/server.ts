// The embedded API server: an HTTP(S) listener on loopback in front of EmbeddedApi and its SQLite
// store, with a bearer token (kept in the data directory so kubeconfigs stay valid across restarts).

import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Clock } from "../core/clock.js";
import { EmbeddedApi } from "../core/embedded-api.js";
import { writeKubeconfig } from "../kubeconfig.js";
import type { SimulatorOptions } from "../simulator/options.js";
import { WorkloadSimulator } from "../simulator/simulator.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { type PemKeyPair, selfSignedCertificate } from "../tls/self-signed.js";
import { createHandler } from "./handler.js";

export interface EmbeddedServerOptions {
  /** Where the database, the token and the kubeconfig live. */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default: the token stored in the data directory, or a new one. */
  token?: string;
  /**
   * HTTPS with this certificate and key (PEM), or "self-signed" (the default: a certificate made once and
   * kept in the data directory), or false for plain HTTP. kubectl sends bearer tokens only over HTTPS.
   */
  tls?: { cert: string; key: string } | "self-signed" | false;
  /** Where to write the kubeconfig; default `<dataDir>/kubeconfig`. */
  kubeconfigPath?: string;
  /** Events the watch log keeps; older resourceVersions answer 410 Gone. */
  eventWindow?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 10 s. */
  bookmarkIntervalMs?: number;
  clock?: Clock;
  /** Failures of the built-in controllers (and of the workload simulator); default: a process warning. */
  onControllerError?: (err: Error) => void;
  /**
   * The workload simulator (Deployments, StatefulSets, DaemonSets and Jobs progress on one simulated
   * node; Services get cluster IPs; claims are bound). On by default; false turns it off.
   */
  simulator?: false | SimulatorOptions;
  signal?: AbortSignal;
}

export interface EmbeddedServer {
  url: string;
  /** PEM of the certificate the server presents (undefined for plain HTTP). */
  certificate?: string;
  port: number;
  token: string;
  kubeconfigPath: string;
  api: EmbeddedApi;
  store: SqliteStore;
  /** Undefined when started with `simulator: false`. */
  simulator?: WorkloadSimulator;
  /** Stops listening, ends open watches, closes the database. */
  close(): Promise<void>;
}

function tokenFor(options: EmbeddedServerOptions): string {
  if (options.token) return options.token;
  const file = join(options.dataDir, "token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const token = randomBytes(24).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

async function listen(server: Server, host: string, port: number, signal?: AbortSignal): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, signal }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function tlsFor(options: EmbeddedServerOptions): PemKeyPair | undefined {
  const tls = options.tls ?? "self-signed";
  if (tls === false) return undefined;
  if (tls !== "self-signed") return tls;
  const certFile = join(options.dataDir, "tls.crt");
  const keyFile = join(options.dataDir, "tls.key");
  if (existsSync(certFile) && existsSync(keyFile))
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
  const pair = selfSignedCertificate();
  writeFileSync(keyFile, pair.key, { mode: 0o600 });
  writeFileSync(certFile, pair.cert, { mode: 0o600 });
  return pair;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const store = SqliteStore.open({ dataDir: options.dataDir, eventWindow: options.eventWindow });
  const api = new EmbeddedApi({ store, clock: options.clock, onControllerError: options.onControllerError });
  const simulator =
    options.simulator === false
      ? undefined
      : new WorkloadSimulator(api, {
          clock: options.clock,
          onError: options.onControllerError,
          ...options.simulator,
        });
  const token = tokenFor(options);
  const shutdown = new AbortController();
  // Every open watch listens for the shutdown (and stops listening when it ends): as many as clients watch.
  setMaxListeners(0, shutdown.signal);
  const handler = createHandler({
    api,
    token,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    shutdown: shutdown.signal,
  });
  const tls = tlsFor(options);
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
  const host = options.host ?? "127.0.0.1";
  let port: number;
  try {
    port = await listen(server, host, options.port ?? 0, options.signal);
  } catch (err) {
    simulator?.stop();
    api.close();
    store.close();
    throw err;
  }
  const url = `${tls ? "https" : "http"}://${host}:${port}`;
  const kubeconfigPath = options.kubeconfigPath ?? join(options.dataDir, "kubeconfig");
  writeKubeconfig(kubeconfigPath, { server: url, token, certificateAuthority: tls?.cert });
  simulator?.start();
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      shutdown.abort();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      simulator?.stop();
      await api.idle();
      api.close();
      store.close();
    })();
    return closed;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return { url, certificate: tls?.cert, port, token, kubeconfigPath, api, store, simulator, close };
}
