import { existsSync, readFileSync, statSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { isIPv6 } from "node:net";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";

/** Where the API server is and how to authenticate to it. */
export interface ClusterConfig {
  server: string;
  /** Context name, or "in-cluster". */
  context: string;
  /** In-cluster: the namespace of the Pod's service account (its `namespace` file), when there is one. */
  namespace?: string;
  /** TLS material and auth headers for one request (tokens from exec plugins may rotate, so ask each time). */
  requestOptions(): Promise<RequestOptions>;
  /**
   * Reads the credentials again after the server refused them (401), whether or not they look changed;
   * true when they did change, so the refused request is worth sending once more; false, not an error,
   * when they cannot be read. Absent when there is nothing to re-read.
   */
  refreshCredentials?(): Promise<boolean>;
}

export interface LoadConfigOptions {
  /** A kubeconfig file; else $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  context?: string;
  /** Use the in-cluster service account (token and CA under /var/run/secrets/kubernetes.io/serviceaccount). */
  inCluster?: boolean;
  /** Where the service-account files are, for in-cluster mode; a prefix of the standard path (tests). */
  inClusterRoot?: string;
  /**
   * The environment (tests): KUBERNETES_SERVICE_HOST and _PORT in-cluster, and KUBECONFIG and HOME when
   * deciding whether to fall back to in-cluster. A kubeconfig found by default is read by client-node,
   * from process.env. Default process.env.
   */
  env?: NodeJS.ProcessEnv;
}

/** The in-cluster configuration cannot be used: a variable is unset, or a service-account file unreadable. */
export class InClusterConfigError extends Error {
  override readonly name: string = "InClusterConfigError";
}

/** Where kubelet mounts the Pod's service-account token, the cluster's CA and the namespace. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * Loads a kubeconfig or in-cluster configuration. Kubeconfig parsing and auth plugins (exec, OIDC) come
 * from @kubernetes/client-node; the in-cluster configuration is bosun's own, so that a rotated
 * service-account token is used from the next request on (client-node re-reads it once a minute).
 */
export function loadClusterConfig(options: LoadConfigOptions = {}): ClusterConfig {
  const env = options.env ?? process.env;
  if (options.inCluster || (!options.kubeconfig && defaultsToInCluster(env, options.inClusterRoot))) {
    if (options.context) {
      throw new Error(
        `context "${options.context}" was asked for, but there is no kubeconfig: the configuration is in-cluster`,
      );
    }
    return inClusterConfig({ root: options.inClusterRoot, env });
  }
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      throw new Error(
        `context "${options.context}" is not in the kubeconfig (have: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(", ")})`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new Error(
      options.kubeconfig
        ? `the kubeconfig ${options.kubeconfig} has no current cluster`
        : "no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, or run in a cluster",
    );
  }
  return clusterConfigOf(kc, kc.getCurrentContext());
}

/**
 * client-node's default order, $KUBECONFIG, then ~/.kube/config, then the in-cluster service account:
 * whether it comes to the last, because neither kubeconfig is there and the token is.
 */
function defaultsToInCluster(env: NodeJS.ProcessEnv, root = ""): boolean {
  if (env.KUBECONFIG) return false;
  if (env.HOME && existsSync(join(env.HOME, ".kube", "config"))) return false;
  return existsSync(`${root}${SERVICE_ACCOUNT_DIR}/token`);
}

export interface InClusterOptions {
  /** A prefix of the service-account directory's standard path (tests). */
  root?: string;
  /** Where KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The configuration of a Pod's own service account, as client-go's rest.InClusterConfig: the API server
 * from KUBERNETES_SERVICE_HOST and _PORT, the CA and the token from the service-account volume. Kubelet
 * rotates the projected token by swapping the volume's `..data` symlink; the token and the CA are read
 * again whenever their file changed (a stat per request), and the token also after a 401.
 */
export function inClusterConfig(options: InClusterOptions = {}): ClusterConfig {
  const env = options.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    const unset = [host ? "" : "KUBERNETES_SERVICE_HOST", port ? "" : "KUBERNETES_SERVICE_PORT"].filter(Boolean);
    throw new InClusterConfigError(`in-cluster configuration: ${unset.join(" and ")} not set (not running in a Pod?)`);
  }
  const dir = `${options.root ?? ""}${SERVICE_ACCOUNT_DIR}`;
  const token = new WatchedFile(join(dir, "token"), "service-account token", (text) => text.trim());
  const ca = new WatchedFile(join(dir, "ca.crt"), "cluster CA", (text) => text);
  // Unreadable files are an error now, naming them, rather than at the first request.
  token.read();
  ca.read();
  return {
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    context: "in-cluster",
    namespace: readNamespace(join(dir, "namespace")),
    requestOptions: async () => ({ ca: ca.read(), headers: { Authorization: `Bearer ${token.read()}` } }),
    // A token that cannot be read now leaves the 401 standing; the next request's read names the file.
    refreshCredentials: async () => {
      try {
        return token.reread();
      } catch {
        return false;
      }
    },
  };
}

function readNamespace(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A file read again when it changed: stat (following symlinks, as kubelet's `token -> ..data/token`) is
 * compared by device, inode, size and mtime, so a swapped `..data` shows as another inode at once.
 */
class WatchedFile {
  private seen = "";
  private text = "";

  constructor(
    readonly path: string,
    readonly what: string,
    private readonly parse: (text: string) => string,
  ) {}

  read(): string {
    let identity: string;
    try {
      const s = statSync(this.path);
      identity = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (err) {
      throw this.error(err);
    }
    if (identity !== this.seen) {
      this.text = this.load();
      this.seen = identity; // stat before the read: a change in between is seen by the next stat
    }
    return this.text;
  }

  /** Reads the file whatever its stat says; true when what it holds changed. */
  reread(): boolean {
    const before = this.text;
    this.seen = "";
    return this.read() !== before;
  }

  private load(): string {
    let text: string;
    try {
      text = this.parse(readFileSync(this.path, "utf8"));
    } catch (err) {
      throw this.error(err);
    }
    if (!text) throw new InClusterConfigError(`in-cluster configuration: the ${this.what} ${this.path} is empty`);
    return text;
  }

  private error(err: unknown): InClusterConfigError {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (err as Error).message})`;
    return new InClusterConfigError(`in-cluster configuration: the ${this.what} ${this.path} ${why}`, { cause: err });
  }
}

/** The ClusterConfig of a loaded KubeConfig's current context (it must have a cluster). */
export function clusterConfigOf(kc: KubeConfig, context: string): ClusterConfig {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig of ${context} has no current cluster`);
  return {
    server: cluster.server.replace(/\/+$/, ""),
    context,
    requestOptions: async () => {
      const opts: RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      return opts;
    },
  };
}
