import type { RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";

/** Where the API server is and how to authenticate to it. */
export interface ClusterConfig {
  server: string;
  /** Context name, or "in-cluster". */
  context: string;
  /** TLS material and auth headers for one request (tokens from exec plugins may rotate, so ask each time). */
  requestOptions(): Promise<RequestOptions>;
}

export interface LoadConfigOptions {
  /** A kubeconfig file; else $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  context?: string;
  /** Use the in-cluster service account (token and CA under /var/run/secrets/kubernetes.io/serviceaccount). */
  inCluster?: boolean;
  /** Where the service-account files are, for in-cluster mode; a prefix of the standard path (tests). */
  inClusterRoot?: string;
}

/**
 * Loads a kubeconfig or in-cluster configuration. Parsing, auth plugins (exec, OIDC) and the in-cluster
 * paths come from @kubernetes/client-node, which already gets them right.
 */
export function loadClusterConfig(options: LoadConfigOptions = {}): ClusterConfig {
  const kc = new KubeConfig();
  if (options.inCluster) kc.loadFromCluster(options.inClusterRoot);
  else if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
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
  return clusterConfigOf(kc, options.inCluster ? "in-cluster" : kc.getCurrentContext());
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
