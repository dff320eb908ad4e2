import type { Application, KubeObject } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { RenderRequest, RenderResult } from "../render/index.js";
import type { GitSource, RepoCredentials, ResolvedRevision } from "../source/index.js";

/** Secret data, base64-decoded. Values never leave this module's callers except into git or decryption. */
export async function readSecretData(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name }, signal);
  if (!secret) throw new Error(`Secret ${namespace}/${name} not found`);
  const data = (secret.data ?? {}) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v, "base64").toString("utf8");
  return out;
}

/** Repository credentials from a Secret, with Argo CD's and Flux's key names. */
export function credentialsFromSecret(data: Record<string, string>, secretName: string): RepoCredentials {
  const sshKey = data.sshPrivateKey ?? data.identity;
  if (sshKey) {
    const knownHosts = data.knownHosts ?? data.known_hosts;
    if (!knownHosts) throw new Error(`Secret ${secretName} has an SSH key but no knownHosts (or known_hosts) entry`);
    return { sshPrivateKey: sshKey, knownHosts };
  }
  if (data.token) return { token: data.token, ...(data.username ? { username: data.username } : {}) };
  if (data.username && data.password) return { username: data.username, password: data.password };
  throw new Error(
    `Secret ${secretName} holds no credentials: expected username+password, token, or sshPrivateKey+knownHosts`,
  );
}

export interface DesiredState {
  revision: ResolvedRevision;
  objects: KubeObject[];
  fromCache: boolean;
}

export interface DesiredStateDeps {
  client: KubeClient;
  git: GitSource;
  render: (request: RenderRequest) => Promise<RenderResult>;
  decryptorFor?: (app: Application, signal: AbortSignal) => Promise<RenderRequest["decrypt"]>;
  isNamespaced: RenderRequest["isNamespaced"];
  kubeVersion?: string;
}

/**
 * From an Application's source to its desired objects: resolve the revision (fetching when `refresh`),
 * check the commit out, render it. `revisionOverride` pins a revision (a rollback or a requested sync).
 */
export async function loadDesiredState(
  deps: DesiredStateDeps,
  app: Application,
  options: { refresh: boolean; revisionOverride?: string; signal: AbortSignal },
): Promise<DesiredState> {
  const { source } = app.spec;
  const signal = options.signal;
  const credentials = source.credentialsRef
    ? credentialsFromSecret(
        await readSecretData(deps.client, app.metadata.namespace, source.credentialsRef.name, signal),
        source.credentialsRef.name,
      )
    : undefined;
  const revision = await deps.git.resolve(source.repoURL, options.revisionOverride ?? source.revision ?? "HEAD", {
    signal,
    credentials,
    refresh: options.refresh,
  });
  const checkout = await deps.git.checkout(source.repoURL, revision.sha, { signal });
  const decrypt = source.decryption ? await deps.decryptorFor?.(app, signal) : undefined;
  const rendered = await deps.render({
    repoRoot: checkout.dir,
    path: source.path ?? "",
    commit: revision.sha,
    source: { directory: source.directory, kustomize: source.kustomize, helm: source.helm },
    app: { name: app.metadata.name, namespace: app.metadata.namespace },
    destinationNamespace: app.spec.destination.namespace ?? "",
    kubeVersion: deps.kubeVersion,
    isNamespaced: deps.isNamespaced,
    decrypt,
    signal,
  });
  return { revision, objects: rendered.objects, fromCache: rendered.fromCache };
}
