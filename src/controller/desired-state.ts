import type { Application, KubeObject } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { Decrypt, RenderRequest, RenderResult } from "../render/index.js";
import { keysFromSecretData, sopsDecryptor } from "../secrets/index.js";
import type { GitSource, RepoCredentials, ResolvedRevision } from "../source/index.js";

/** Where loading the desired state failed: fetching/resolving the source, or rendering it. */
export class DesiredStateError extends Error {
  override readonly name = "DesiredStateError";
  constructor(
    readonly stage: "source" | "render",
    options: { cause: unknown },
  ) {
    super(options.cause instanceof Error ? options.cause.message : String(options.cause), options);
  }
}

async function secretData(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name }, signal);
  if (!secret) throw new Error(`Secret ${namespace}/${name} not found`);
  return (secret.data ?? {}) as Record<string, string>;
}

/** The SOPS decryptor for an Application: age and PGP keys from its decryption Secret (`*.agekey`, `*.asc`). */
export async function sopsDecryptorFor(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<Decrypt | undefined> {
  const ref = app.spec.source.decryption?.secretRef;
  if (!ref) return undefined;
  const decrypt = sopsDecryptor(keysFromSecretData(await secretData(client, app.metadata.namespace, ref.name, signal)));
  return async ({ file, object, fileDocuments, index }) => await decrypt({ file, object, fileDocuments, index });
}

/** Secret data, base64-decoded. Values never leave this module's callers except into git or decryption. */
export async function readSecretData(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const data = await secretData(client, namespace, name, signal);
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
  let revision: ResolvedRevision;
  let checkout: { dir: string };
  try {
    const credentials = source.credentialsRef
      ? credentialsFromSecret(
          await readSecretData(deps.client, app.metadata.namespace, source.credentialsRef.name, signal),
          source.credentialsRef.name,
        )
      : undefined;
    revision = await deps.git.resolve(source.repoURL, options.revisionOverride ?? source.revision ?? "HEAD", {
      signal,
      credentials,
      refresh: options.refresh,
    });
    checkout = await deps.git.checkout(source.repoURL, revision.sha, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("source", { cause: err });
  }
  try {
    const rendered = await deps.render({
      repoRoot: checkout.dir,
      path: source.path ?? "",
      commit: revision.sha,
      source: { directory: source.directory, kustomize: source.kustomize, helm: source.helm },
      app: { name: app.metadata.name, namespace: app.metadata.namespace },
      destinationNamespace: app.spec.destination.namespace ?? "",
      kubeVersion: deps.kubeVersion,
      isNamespaced: deps.isNamespaced,
      decrypt: await sopsDecryptorFor(deps.client, app, signal),
      signal,
    });
    return { revision, objects: rendered.objects, fromCache: rendered.fromCache };
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("render", { cause: err });
  }
}
