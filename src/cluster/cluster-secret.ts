// A destination cluster as a Secret in the agent's namespace (labelled bosun.dev/secret-type: cluster), in
// Argo CD's shape: `name`, `server`, and `config` (JSON: bearerToken or username/password, tlsClientConfig)
// or a `kubeconfig`. Only credentials held in the Secret itself are used: a file path, an exec plugin or an
// auth provider would let whoever writes the Secret run commands in the agent or send the agent's own
// files (its service account token) to a server of their choosing.
import { readFileSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { parse as parseYaml } from "yaml";
import {
  destinationServer,
  IN_CLUSTER,
  isRecord,
  type JsonRecord,
  type KubeObject,
  LABELS,
  SECRET_TYPES,
} from "../api/index.js";
import { type ClusterConfig, clusterConfigOf } from "./config.js";

/** The credentials of one cluster, as Argo CD's cluster Secret `config` holds them (PEM data base64). */
export interface ClusterCredentials {
  bearerToken?: string;
  username?: string;
  password?: string;
  tlsClientConfig?: {
    insecure?: boolean;
    serverName?: string;
    caData?: string;
    certData?: string;
    keyData?: string;
  };
}

export interface ClusterEntry {
  name: string;
  /** The API server's URL, without a trailing slash. */
  server: string;
  config: ClusterConfig;
}

/** A cluster Secret bosun cannot use; the message names the Secret and what is wrong, never a credential. */
export class ClusterSecretError extends Error {
  override readonly name: string = "ClusterSecretError";
}

const REFUSED_CONFIG_KEYS = ["execProviderConfig", "awsAuthConfig", "proxyUrl"];
const REFUSED_USER_KEYS = [
  "exec",
  "auth-provider",
  "token-file",
  "tokenFile",
  "client-certificate",
  "client-key",
  "username-file",
];
const REFUSED_CLUSTER_KEYS = ["certificate-authority", "proxy-url"];

export const CLUSTER_SECRET_SELECTOR = `${LABELS.secretType}=${SECRET_TYPES.cluster}`;

/** The Secret's string values: `data` decoded (as the API server returns it), `stringData` over it. */
function secretStrings(secret: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = (secret as { data?: unknown }).data;
  if (isRecord(data))
    for (const [k, v] of Object.entries(data)) if (typeof v === "string") out[k] = Buffer.from(v, "base64").toString();
  const stringData = (secret as { stringData?: unknown }).stringData;
  if (isRecord(stringData)) for (const [k, v] of Object.entries(stringData)) if (typeof v === "string") out[k] = v;
  return out;
}

export function normalizeServer(server: string): string {
  return destinationServer({ server }) ?? "";
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function credentialsFromConfig(text: string, where: string): ClusterCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // Only where: a parser's message may quote the text, credentials and all.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new ClusterSecretError(`${where}: config is not JSON${position ? ` (at position ${position})` : ""}`);
  }
  if (!isRecord(parsed)) throw new ClusterSecretError(`${where}: config must be a JSON object`);
  for (const key of REFUSED_CONFIG_KEYS)
    if (parsed[key] !== undefined)
      throw new ClusterSecretError(
        `${where}: config.${key} is not supported: use a bearer token or a client certificate`,
      );
  const tls = isRecord(parsed.tlsClientConfig) ? parsed.tlsClientConfig : {};
  return {
    bearerToken: str(parsed.bearerToken),
    username: str(parsed.username),
    password: str(parsed.password),
    tlsClientConfig: {
      insecure: tls.insecure === true,
      serverName: str(tls.serverName),
      caData: str(tls.caData),
      certData: str(tls.certData),
      keyData: str(tls.keyData),
    },
  };
}

function named(list: unknown, name: unknown, field: string): JsonRecord | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e) => isRecord(e) && e.name === name);
  return isRecord(entry) && isRecord(entry[field]) ? entry[field] : undefined;
}

/** The current context's server and credentials of a kubeconfig held in the Secret (nothing it points to). */
function credentialsFromKubeconfig(text: string, where: string): { server: string; credentials: ClusterCredentials } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    // Only where: the parser's message quotes the lines around the error, credentials and all.
    const at = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new ClusterSecretError(
      `${where}: kubeconfig is not YAML${at ? ` (at line ${at.line}, column ${at.col})` : ""}`,
    );
  }
  if (!isRecord(doc)) throw new ClusterSecretError(`${where}: kubeconfig must be a YAML mapping`);
  const context = named(doc.contexts, doc["current-context"], "context");
  if (!context) throw new ClusterSecretError(`${where}: kubeconfig has no current context`);
  const cluster = named(doc.clusters, context.cluster, "cluster");
  const user = named(doc.users, context.user, "user") ?? {};
  if (!cluster || typeof cluster.server !== "string")
    throw new ClusterSecretError(`${where}: kubeconfig's current context names no cluster with a server`);
  for (const key of REFUSED_CLUSTER_KEYS)
    if (cluster[key] !== undefined)
      throw new ClusterSecretError(`${where}: kubeconfig cluster field ${key} is not supported: put the data inline`);
  for (const key of REFUSED_USER_KEYS)
    if (user[key] !== undefined)
      throw new ClusterSecretError(
        `${where}: kubeconfig user field ${key} is not supported: only a token, a client certificate (inline data) or a username and password`,
      );
  return {
    server: cluster.server,
    credentials: {
      bearerToken: str(user.token),
      username: str(user.username),
      password: str(user.password),
      tlsClientConfig: {
        insecure: cluster["insecure-skip-tls-verify"] === true,
        serverName: str(cluster["tls-server-name"]),
        caData: str(cluster["certificate-authority-data"]),
        certData: str(user["client-certificate-data"]),
        keyData: str(user["client-key-data"]),
      },
    },
  };
}

/** A ClusterConfig from a server URL and inline credentials, through client-node as every other config. */
export function configFromCredentials(name: string, server: string, credentials: ClusterCredentials): ClusterConfig {
  const tls = credentials.tlsClientConfig ?? {};
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server,
        skipTLSVerify: tls.insecure === true,
        ...(tls.caData ? { caData: tls.caData } : {}),
        ...(tls.serverName ? { tlsServerName: tls.serverName } : {}),
      },
    ],
    users: [
      {
        name,
        ...(credentials.bearerToken ? { token: credentials.bearerToken } : {}),
        ...(credentials.username ? { username: credentials.username, password: credentials.password ?? "" } : {}),
        ...(tls.certData ? { certData: tls.certData } : {}),
        ...(tls.keyData ? { keyData: tls.keyData } : {}),
      },
    ],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return clusterConfigOf(kc, `cluster/${name}`);
}

/** The cluster a Secret describes; ClusterSecretError when it cannot be used. */
export function clusterFromSecret(secret: KubeObject): ClusterEntry {
  const where = `cluster Secret ${secret.metadata.namespace ?? ""}/${secret.metadata.name ?? ""}`;
  const values = secretStrings(secret);
  let server = values.server;
  let credentials: ClusterCredentials;
  if (values.config !== undefined) credentials = credentialsFromConfig(values.config, where);
  else if (values.kubeconfig !== undefined) {
    const fromKubeconfig = credentialsFromKubeconfig(values.kubeconfig, where);
    server ??= fromKubeconfig.server;
    credentials = fromKubeconfig.credentials;
  } else throw new ClusterSecretError(`${where}: has neither config nor kubeconfig`);
  if (!server) throw new ClusterSecretError(`${where}: has no server`);
  server = normalizeServer(server);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ClusterSecretError(`${where}: server ${server} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ClusterSecretError(`${where}: server ${server} is not an http(s) URL`);
  if (url.username || url.password) throw new ClusterSecretError(`${where}: server must not hold credentials`);
  const name = values.name?.trim() || server;
  if (name === IN_CLUSTER.name || server === IN_CLUSTER.server)
    throw new ClusterSecretError(`${where}: ${IN_CLUSTER.name} (${IN_CLUSTER.server}) is the agent's own cluster`);
  return { name, server, config: configFromCredentials(name, server, credentials) };
}

/** What `bosun cluster add` stores: the context's server and credentials, files read in, as a Secret's data. */
export function clusterSecretFromKubeconfig(options: {
  name: string;
  namespace: string;
  kubeconfig: string;
  context?: string;
}): KubeObject {
  const kc = new KubeConfig();
  kc.loadFromFile(options.kubeconfig);
  if (options.context) {
    if (!kc.getContextObject(options.context))
      throw new ClusterSecretError(`context "${options.context}" is not in ${options.kubeconfig}`);
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster) throw new ClusterSecretError(`${options.kubeconfig} has no current cluster`);
  if (user?.exec || user?.authProvider)
    throw new ClusterSecretError(
      `the user of context ${kc.getCurrentContext()} authenticates with ${user.exec ? "an exec plugin" : "an auth provider"}; bosun stores only a token or a client certificate (create a ServiceAccount token for bosun)`,
    );
  const b64 = (file: string | undefined, data: string | undefined) =>
    data ?? (file ? readFileSync(file).toString("base64") : undefined);
  const credentials: ClusterCredentials = {
    ...(user?.token ? { bearerToken: user.token } : {}),
    ...(user?.username ? { username: user.username, password: user.password ?? "" } : {}),
    tlsClientConfig: {
      insecure: cluster.skipTLSVerify,
      ...(cluster.tlsServerName ? { serverName: cluster.tlsServerName } : {}),
      ...optional("caData", b64(cluster.caFile, cluster.caData)),
      ...optional("certData", b64(user?.certFile, user?.certData)),
      ...optional("keyData", b64(user?.keyFile, user?.keyData)),
    },
  };
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `cluster-${options.name}`,
      namespace: options.namespace,
      labels: { [LABELS.secretType]: SECRET_TYPES.cluster, "app.kubernetes.io/part-of": "bosun" },
    },
    type: "Opaque",
    stringData: { name: options.name, server: normalizeServer(cluster.server), config: JSON.stringify(credentials) },
  } as KubeObject;
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value ? { [key]: value } : {}) as Partial<Record<K, string>>;
