// Credentials and keys an Application names, read from Secrets in its namespace: repository credentials
// (only Secrets labelled bosun.dev/secret-type: repository), chart credentials, SOPS keys. Values never leave
// this module's callers except into git, a chart repository or decryption.
import { type Application, type KubeObject, LABELS, SECRET_TYPES } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { Decrypt } from "../render/index.js";
import { keysFromSecretData, sopsDecryptor } from "../secrets/index.js";
import { type ChartCredentials, CredentialsError, type RepoCredentials } from "../source/index.js";

async function getSecret(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<KubeObject> {
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name }, signal);
  if (!secret) throw new Error(`Secret ${namespace}/${name} not found`);
  return secret;
}

async function secretData(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  return ((await getSecret(client, namespace, name, signal)).data ?? {}) as Record<string, string>;
}

/** A Secret's `data`, base64-decoded. */
export function decoded(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v, "base64").toString("utf8");
  return out;
}

/**
 * The data of the Secret an Application names in `credentialsRef`, decoded: only a Secret labelled
 * `bosun.dev/secret-type: repository` in the Application's namespace, so an Application cannot have the
 * agent send it any other Secret (the API tokens, sealing keys) as a password.
 */
async function credentialsRefData(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<{ name: string; data: Record<string, string> } | undefined> {
  return await repositorySecretData(client, app.metadata.namespace, app.spec.source, signal);
}

/** The repository Secret a `credentialsRef` in `namespace` names, decoded (see credentialsRefData). */
async function repositorySecretData(
  client: KubeClient,
  namespace: string,
  source: { repoURL: string; credentialsRef?: { name: string } },
  signal: AbortSignal,
): Promise<{ name: string; data: Record<string, string> } | undefined> {
  const ref = source.credentialsRef;
  if (!ref) return undefined;
  const secret = await getSecret(client, namespace, ref.name, signal);
  if (secret.metadata.labels?.[LABELS.secretType] !== SECRET_TYPES.repository)
    throw new CredentialsError(
      source.repoURL,
      `Secret ${namespace}/${ref.name} is not labelled ${LABELS.secretType}=${SECRET_TYPES.repository}; credentialsRef names only repository Secrets`,
    );
  return { name: ref.name, data: decoded((secret.data ?? {}) as Record<string, string>) };
}

/** Git credentials from the Application's credentialsRef. */
export async function repositoryCredentials(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<RepoCredentials | undefined> {
  return await gitCredentialsIn(client, app.metadata.namespace, app.spec.source, signal);
}

/** Git credentials from a `credentialsRef` of something in `namespace` (an ApplicationSet's git generator). */
export async function gitCredentialsIn(
  client: KubeClient,
  namespace: string,
  source: { repoURL: string; credentialsRef?: { name: string } },
  signal: AbortSignal,
): Promise<RepoCredentials | undefined> {
  const secret = await repositorySecretData(client, namespace, source, signal);
  return secret && credentialsFromSecret(secret.data, secret.name);
}

/**
 * Credentials for a chart repository or registry, from the same repository Secrets as Git's: user name and
 * password or a token, and TLS material with Flux's and Argo CD's key names (`ca.crt`/`caFile`,
 * `tls.crt`/`certFile`/`tlsClientCertData`, `tls.key`/`keyFile`/`tlsClientCertKey`).
 */
export async function chartCredentials(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<ChartCredentials | undefined> {
  const secret = await credentialsRefData(client, app, signal);
  return secret && chartCredentialsFromSecret(secret.data, secret.name);
}

export function chartCredentialsFromSecret(data: Record<string, string>, secretName: string): ChartCredentials {
  const pick = (...keys: string[]) => keys.map((k) => data[k]).find((v) => v !== undefined && v !== "");
  const entries: Array<[keyof ChartCredentials, string | undefined]> = [
    ["username", pick("username")],
    ["password", pick("password")],
    ["token", pick("token", "bearerToken")],
    ["caCert", pick("ca.crt", "caFile", "tlsCACertData")],
    ["clientCert", pick("tls.crt", "certFile", "tlsClientCertData")],
    ["clientKey", pick("tls.key", "keyFile", "tlsClientCertKey")],
  ];
  const credentials: ChartCredentials = {};
  for (const [k, v] of entries) if (v !== undefined) (credentials as Record<string, string>)[k] = v;
  if (data.insecure?.trim() === "true") credentials.insecure = true;
  if ((credentials.username === undefined) !== (credentials.password === undefined)) {
    throw new Error(
      `Secret ${secretName} has a ${credentials.username === undefined ? "password" : "username"} without a ${credentials.username === undefined ? "username" : "password"}`,
    );
  }
  if ((credentials.clientCert === undefined) !== (credentials.clientKey === undefined)) {
    throw new Error(`Secret ${secretName} has a client certificate without its key, or a key without its certificate`);
  }
  return credentials;
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
  return decoded(await secretData(client, namespace, name, signal));
}

/**
 * Repository credentials from a Secret, with Argo CD's and Flux's key names. `insecure: "true"` allows them
 * over plain http:// (a loopback or lab server); they are refused there otherwise.
 */
export function credentialsFromSecret(data: Record<string, string>, secretName: string): RepoCredentials {
  const sshKey = data.sshPrivateKey ?? data.identity;
  if (sshKey) {
    const knownHosts = data.knownHosts ?? data.known_hosts;
    if (!knownHosts) throw new Error(`Secret ${secretName} has an SSH key but no knownHosts (or known_hosts) entry`);
    return { sshPrivateKey: sshKey, knownHosts };
  }
  const insecure = data.insecure?.trim() === "true" ? { insecure: true } : {};
  if (data.token) return { token: data.token, ...(data.username ? { username: data.username } : {}), ...insecure };
  if (data.username && data.password) return { username: data.username, password: data.password, ...insecure };
  throw new Error(
    `Secret ${secretName} holds no credentials: expected username+password, token, or sshPrivateKey+knownHosts`,
  );
}

/** The repository Secrets of a namespace that name a `url`, longest first. */
export async function repositorySecretsByUrl(
  client: KubeClient,
  namespace: string,
  signal: AbortSignal,
): Promise<Array<{ url: string; credentials: ChartCredentials }>> {
  const list = await client.list("v1", "Secret", {
    namespace,
    labelSelector: `${LABELS.secretType}=${SECRET_TYPES.repository}`,
    signal,
  });
  const out: Array<{ url: string; credentials: ChartCredentials }> = [];
  for (const secret of list.items) {
    const data = decoded(((secret as { data?: Record<string, string> }).data ?? {}) as Record<string, string>);
    if (!data.url) continue;
    try {
      out.push({ url: data.url, credentials: chartCredentialsFromSecret(data, secret.metadata.name ?? "") });
    } catch {
      // A Secret for Git (an ssh key) names no chart credentials.
    }
  }
  return out.sort((a, b) => b.url.length - a.url.length);
}
