import { type Application, appKeyOf, type KubeObject, LABELS, SECRET_TYPES } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { Decrypt, RenderRequest, RenderResult } from "../render/index.js";
import { keysFromSecretData, sopsDecryptor } from "../secrets/index.js";
import {
  type ChartCredentials,
  type ChartSource,
  CredentialsError,
  FetchError,
  type GitSource,
  InvalidRepoUrlError,
  InvalidRevisionError,
  type RepoCredentials,
  type ResolvedRevision,
  RevisionNotFoundError,
  redactUrl,
} from "../source/index.js";
import { type AgentObserver, type GitFetchFailure, NO_OBSERVER } from "./observer.js";
import { readValuesFrom, type ValuesFrom } from "./values-from.js";

/** Where loading the desired state failed: fetching/resolving the source, or rendering it. */
export class DesiredStateError extends Error {
  override readonly name = "DesiredStateError";
  /** The commit being rendered, when the source resolved (a render failure). */
  readonly revision?: string;
  constructor(
    readonly stage: "source" | "render",
    options: { cause: unknown; revision?: string },
  ) {
    super(options.cause instanceof Error ? options.cause.message : String(options.cause), { cause: options.cause });
    if (options.revision !== undefined) this.revision = options.revision;
  }
}

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

function decoded(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v, "base64").toString("utf8");
  return out;
}

/**
 * The credentials an Application names in `credentialsRef`: only a Secret labelled
 * `bosun.dev/secret-type: repository` in the Application's namespace, so an Application cannot have the
 * agent send it any other Secret (the API tokens, sealing keys) as a password.
 */
export async function repositoryCredentials(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<RepoCredentials | undefined> {
  const ref = app.spec.source.credentialsRef;
  if (!ref) return undefined;
  const secret = await getSecret(client, app.metadata.namespace, ref.name, signal);
  if (secret.metadata.labels?.[LABELS.secretType] !== SECRET_TYPES.repository)
    throw new CredentialsError(
      app.spec.source.repoURL,
      `Secret ${app.metadata.namespace}/${ref.name} is not labelled ${LABELS.secretType}=${SECRET_TYPES.repository}; credentialsRef names only repository Secrets`,
    );
  return credentialsFromSecret(decoded((secret.data ?? {}) as Record<string, string>), ref.name);
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
  const ref = app.spec.source.credentialsRef;
  if (!ref) return undefined;
  const secret = await getSecret(client, app.metadata.namespace, ref.name, signal);
  if (secret.metadata.labels?.[LABELS.secretType] !== SECRET_TYPES.repository)
    throw new CredentialsError(
      app.spec.source.repoURL,
      `Secret ${app.metadata.namespace}/${ref.name} is not labelled ${LABELS.secretType}=${SECRET_TYPES.repository}; credentialsRef names only repository Secrets`,
    );
  return chartCredentialsFromSecret(decoded((secret.data ?? {}) as Record<string, string>), ref.name);
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

const isOciUrl = (url: string) => /^oci:\/\//i.test(url);

/** helm's --kube-version from the API server's gitVersion (`v1.36.3+k3s1` → `1.36.3`). */
export function kubeVersionOf(gitVersion: string | undefined): string | undefined {
  return gitVersion?.replace(/^v/, "").replace(/[-+].*$/, "") || undefined;
}

export interface DesiredState {
  revision: ResolvedRevision;
  objects: KubeObject[];
  fromCache: boolean;
  /** Values from Secrets (helm.valuesFrom) that must be masked in whatever bosun shows. */
  sensitive?: readonly string[];
}

export interface DesiredStateDeps {
  client: KubeClient;
  git: GitSource;
  /** Charts from Helm repositories and OCI registries; an Application naming a chart fails without it. */
  charts?: ChartSource;
  render: (request: RenderRequest) => Promise<RenderResult>;
  isNamespaced: RenderRequest["isNamespaced"];
  kubeVersion?: string;
  /** helm's --api-versions (Capabilities.APIVersions): the destination cluster's groups, versions and kinds. */
  apiVersions?: () => string[];
  /** Hears of each fetch and render (the agent's metrics); nothing by default. */
  observe?: AgentObserver;
  /** Milliseconds for durations (default performance.now). */
  clock?: () => number;
  /** Changes whenever what isNamespaced answers may have changed (a CRD came or went). */
  scopeGeneration?: () => number;
}

interface MemoizedRender {
  inputs: string;
  tool: RenderResult["tool"];
  objects: KubeObject[];
}

/**
 * The last render of each Application and the inputs it was made from: a commit checked out is immutable,
 * so the same inputs again (the idle reconcile, every interval) need no checkout and no render. Not used
 * for an Application that decrypts SOPS files: its keys live in a Secret that may change under it.
 */
export class RenderMemo {
  readonly #entries = new Map<string, MemoizedRender>();

  get(app: string, inputs: string): MemoizedRender | undefined {
    const entry = this.#entries.get(app);
    return entry?.inputs === inputs ? entry : undefined;
  }

  set(app: string, entry: MemoizedRender): void {
    this.#entries.set(app, entry);
  }

  forget(app: string): void {
    this.#entries.delete(app);
  }
}

/** What a render of the Application at `sha` depends on besides the checked-out tree; undefined: do not memoize. */
function renderInputs(
  deps: DesiredStateDeps,
  app: Application,
  sha: string,
  valuesDigest: string | undefined,
): string | undefined {
  const { source, destination } = app.spec;
  if (source.decryption) return undefined;
  const { name, namespace } = app.metadata;
  const { path, directory, kustomize, helm, chart, repoURL } = source;
  const scopes = deps.scopeGeneration?.() ?? 0;
  return JSON.stringify([
    sha,
    chart === undefined ? undefined : [repoURL, chart],
    path,
    directory,
    kustomize,
    helm,
    name,
    namespace,
    destination.namespace,
    deps.kubeVersion,
    scopes,
    valuesDigest,
  ]);
}

/** Why resolving failed, as a fetch failure; undefined when the fetch itself went well. */
function fetchFailure(err: unknown): GitFetchFailure | undefined {
  if (err instanceof FetchError) return err.reason;
  if (err instanceof RevisionNotFoundError) return undefined;
  if (err instanceof CredentialsError || err instanceof InvalidRepoUrlError || err instanceof InvalidRevisionError)
    return "invalid";
  return "other";
}

/**
 * From an Application's source to its desired objects: resolve the revision (fetching when `refresh`),
 * check the commit out, render it. `revisionOverride` pins a revision (a rollback or a requested sync).
 */
export async function loadDesiredState(
  deps: DesiredStateDeps,
  app: Application,
  options: {
    refresh: boolean;
    /** A fetch of the repository by anyone since then is fresh enough (see GitSource.resolve). */
    freshSince?: number;
    revisionOverride?: string;
    /** The last render of each Application (the agent's); none: always render. */
    memo?: RenderMemo;
    /** Told the values from Secrets to mask as soon as they are read (before a render that may fail). */
    onSensitive?: (values: readonly string[]) => void;
    signal: AbortSignal;
  },
): Promise<DesiredState> {
  const { source } = app.spec;
  const signal = options.signal;
  const observe = deps.observe ?? NO_OBSERVER;
  const clock = deps.clock ?? (() => performance.now());
  const key = `${app.metadata.namespace}/${app.metadata.name}`;
  let revision: ResolvedRevision;
  let checkout: { dir: string; path: string };
  let inputs: string | undefined;
  let values: ValuesFrom | undefined;
  try {
    const located =
      source.chart !== undefined || isOciUrl(source.repoURL)
        ? await resolveChart(deps, app, options)
        : await resolveGit(deps, app, options);
    revision = located.revision;
    values = await valuesFromOf(deps, app, revision.sha, signal);
    if (values) options.onSensitive?.(values.sensitive);
    const sensitive = values?.sensitive ?? [];
    inputs = options.memo ? renderInputs(deps, app, revision.sha, values?.digest) : undefined;
    const memoized = inputs !== undefined ? options.memo?.get(key, inputs) : undefined;
    if (memoized) {
      observe.rendered({ app: appKeyOf(app), tool: memoized.tool, durationMs: 0, fromCache: true });
      return { revision, objects: memoized.objects, fromCache: true, sensitive };
    }
    checkout = await located.checkout();
  } catch (err) {
    if (signal.aborted || err instanceof DesiredStateError) throw err;
    throw new DesiredStateError("source", { cause: err });
  }
  checkout = await withChartDependencies(deps, app, checkout, revision.sha, signal);
  try {
    const decrypt = await sopsDecryptorFor(deps.client, app, signal);
    const started = clock();
    const rendered = await deps.render({
      repoRoot: checkout.dir,
      path: checkout.path,
      // Renders holding values from Secrets are not kept on disk.
      ...(values?.fromSecret ? {} : { commit: revision.sha }),
      source: { directory: source.directory, kustomize: source.kustomize, helm: helmSpecOf(source.helm, values) },
      app: { name: app.metadata.name, namespace: app.metadata.namespace },
      destinationNamespace: app.spec.destination.namespace ?? "",
      kubeVersion: deps.kubeVersion,
      ...(deps.apiVersions ? { apiVersions: deps.apiVersions() } : {}),
      isNamespaced: deps.isNamespaced,
      decrypt,
      signal,
    });
    observe.rendered({
      app: appKeyOf(app),
      tool: rendered.tool,
      durationMs: clock() - started,
      fromCache: rendered.fromCache,
    });
    if (inputs !== undefined) options.memo?.set(key, { inputs, tool: rendered.tool, objects: rendered.objects });
    return { revision, objects: rendered.objects, fromCache: rendered.fromCache, sensitive: values?.sensitive ?? [] };
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("render", { cause: err, revision: revision.sha });
  }
}

/**
 * A chart's dependencies on Helm repositories and OCI registries, fetched by bosun into a copy of the chart.
 * Credentials for a dependency's repository: the repository Secret (in the Application's namespace) whose
 * `url` is the longest prefix of it, as Argo CD matches repository Secrets; else the Application's own
 * credentialsRef when the dependency is on its repoURL's host.
 */
async function withChartDependencies(
  deps: DesiredStateDeps,
  app: Application,
  checkout: { dir: string; path: string },
  revision: string,
  signal: AbortSignal,
): Promise<{ dir: string; path: string }> {
  if (!deps.charts) return checkout;
  const { source } = app.spec;
  const sameHost = (repository: string) => {
    try {
      return new URL(repository).host === new URL(source.repoURL).host;
    } catch {
      return false;
    }
  };
  let byUrl: Promise<Array<{ url: string; credentials: ChartCredentials }>> | undefined;
  let appCredentials: Promise<ChartCredentials | undefined> | undefined;
  try {
    const vendored = await deps.charts.withDependencies({
      root: checkout.dir,
      path: checkout.path,
      identity: revision,
      credentialsFor: async (repository) => {
        byUrl ??= repositorySecretsByUrl(deps.client, app.metadata.namespace, signal);
        const match = (await byUrl).find((s) => repository.startsWith(s.url));
        if (match) return match.credentials;
        if (!sameHost(repository) || !source.credentialsRef) return undefined;
        appCredentials ??= chartCredentials(deps.client, app, signal);
        return await appCredentials;
      },
      insecure: source.insecure === true,
      signal,
    });
    return vendored ? { dir: vendored.root, path: vendored.path } : checkout;
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("render", { cause: err, revision });
  }
}

/** The repository Secrets of a namespace that name a `url`, longest first. */
async function repositorySecretsByUrl(
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

/** helm.valuesFrom read and merged with the inline values; undefined when the Application names none. */
async function valuesFromOf(
  deps: DesiredStateDeps,
  app: Application,
  revision: string,
  signal: AbortSignal,
): Promise<ValuesFrom | undefined> {
  if ((app.spec.source.helm?.valuesFrom?.length ?? 0) === 0) return undefined;
  try {
    return await readValuesFrom(deps.client, app, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DesiredStateError("render", { cause: err, revision });
  }
}

/** The helm spec the renderer sees: valuesFrom already merged into the values. */
function helmSpecOf(
  helm: Application["spec"]["source"]["helm"],
  values: ValuesFrom | undefined,
): RenderRequest["source"]["helm"] {
  if (helm === undefined) return undefined;
  const { valuesFrom: _merged, ...spec } = helm;
  return values?.values === undefined ? spec : { ...spec, values: values.values };
}

/** The source's revision, and how to get its tree (a checkout only when the render is not memoized). */
interface LocatedSource {
  revision: ResolvedRevision;
  checkout: () => Promise<{ dir: string; path: string }>;
}

async function resolveGit(
  deps: DesiredStateDeps,
  app: Application,
  options: { refresh: boolean; freshSince?: number; revisionOverride?: string; signal: AbortSignal },
): Promise<LocatedSource> {
  const { source } = app.spec;
  const signal = options.signal;
  const credentials = await repositoryCredentials(deps.client, app, signal);
  const revision = await resolveObserved(deps, app, {
    revision: options.revisionOverride ?? source.revision ?? "HEAD",
    credentials,
    refresh: options.refresh,
    ...(options.freshSince !== undefined ? { freshSince: options.freshSince } : {}),
    signal,
  });
  const checkout = async () => {
    const tree = await deps.git.checkout(source.repoURL, revision.sha, {
      signal,
      ...(credentials ? { credentials } : {}),
    });
    return { dir: tree.dir, path: source.path ?? "" };
  };
  return { revision, checkout };
}

/**
 * A chart from a Helm repository or an OCI registry, resolved and unpacked; its revision in the shape of a
 * commit's (`VERSION@sha256:…`, the chart and repository as the message), so status and history treat it alike.
 */
async function resolveChart(
  deps: DesiredStateDeps,
  app: Application,
  options: { refresh: boolean; freshSince?: number; revisionOverride?: string; signal: AbortSignal },
): Promise<LocatedSource> {
  const { source } = app.spec;
  const chart = source.chart ?? "";
  if (!deps.charts) throw new Error("this agent was started without chart support");
  const credentials = await chartCredentials(deps.client, app, options.signal);
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const report = (error: GitFetchFailure | undefined) => {
    if (!options.refresh) return;
    (deps.observe ?? NO_OBSERVER).gitFetched({
      app: appKeyOf(app),
      repo: redactUrl(source.repoURL),
      durationMs: clock() - started,
      ...(error ? { error } : {}),
    });
  };
  try {
    const revision = options.revisionOverride ?? source.revision;
    const resolveOptions = {
      ...(credentials ? { credentials } : {}),
      insecure: source.insecure === true,
      refresh: options.refresh,
      ...(options.freshSince !== undefined ? { freshSince: options.freshSince } : {}),
      signal: options.signal,
    };
    const artifact = source.chart === undefined;
    const resolved = artifact
      ? await deps.charts.resolveArtifact(source.repoURL, revision, resolveOptions)
      : await deps.charts.resolve(source.repoURL, chart, revision, resolveOptions);
    report(resolved.fetchError?.reason);
    const when = resolved.created ?? "";
    const who = { name: resolved.repo, email: "" };
    return {
      revision: {
        sha: resolved.sha,
        message: artifact
          ? `artifact ${resolved.repo}:${resolved.version || resolved.digest} (${resolved.digest})`
          : `chart ${resolved.chart} ${resolved.version} (${resolved.digest})`,
        author: who,
        authoredAt: when,
        committer: who,
        committedAt: when,
        version: resolved.version,
        ...(resolved.fetchError ? { fetchError: resolved.fetchError } : {}),
      },
      checkout: async () => ({ dir: resolved.root, path: artifact ? (source.path ?? "") : resolved.path }),
    };
  } catch (err) {
    if (!options.signal.aborted) report(fetchFailure(err));
    throw err;
  }
}

/** `git.resolve`, telling the observer how a fetch it was allowed to make went. */
async function resolveObserved(
  deps: DesiredStateDeps,
  app: Application,
  options: {
    revision: string;
    credentials?: RepoCredentials;
    refresh: boolean;
    freshSince?: number;
    signal: AbortSignal;
  },
): Promise<ResolvedRevision> {
  const { revision, ...resolveOptions } = options;
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const report = (error: GitFetchFailure | undefined) => {
    if (!options.refresh) return;
    (deps.observe ?? NO_OBSERVER).gitFetched({
      app: appKeyOf(app),
      repo: redactUrl(app.spec.source.repoURL),
      durationMs: clock() - started,
      ...(error ? { error } : {}),
    });
  };
  try {
    const resolved = await deps.git.resolve(app.spec.source.repoURL, revision, resolveOptions);
    report(resolved.fetchError?.reason);
    return resolved;
  } catch (err) {
    if (!options.signal.aborted) report(fetchFailure(err));
    throw err;
  }
}
