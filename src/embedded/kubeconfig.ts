// The kubeconfig that points kubectl and bosun at the embedded server: one cluster, one user with the
// bearer token, one context.

import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

export interface KubeconfigOptions {
  server: string;
  token: string;
  /** PEM of the server's certificate (or its CA) when it serves HTTPS. */
  certificateAuthority?: string;
  name?: string;
}

export function kubeconfigYaml(options: KubeconfigOptions): string {
  const name = options.name ?? "bosun-embedded";
  const cluster: Record<string, string> = { server: options.server };
  if (options.certificateAuthority)
    cluster["certificate-authority-data"] = Buffer.from(options.certificateAuthority).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  });
}

/** Writes the kubeconfig readable by its owner only (it holds the token). */
export function writeKubeconfig(path: string, options: KubeconfigOptions): void {
  writeFileSync(path, kubeconfigYaml(options), { mode: 0o600 });
}
