// Where an Application's source is: its revision resolved (a commit, a chart version, an artifact tag) and
// how to get its tree, with a chart's remote dependencies fetched into it. Fetches are told to the observer.
import { type Application, appKeyOf } from "../api/index.js";
import {
  type ChartCredentials,
  type ChartSource,
  CredentialsError,
  FetchError,
  InvalidRepoUrlError,
  InvalidRevisionError,
  type RepoCredentials,
  type ResolvedRevision,
  RevisionNotFoundError,
  redactUrl,
} from "../source/index.js";
import { type DesiredStateDeps, DesiredStateError } from "./desired-types.js";
import { type GitFetchFailure, NO_OBSERVER } from "./observer.js";
import { chartCredentials, repositoryCredentials, repositorySecretsByUrl } from "./source-credentials.js";

export const isOciUrl = (url: string) => /^oci:\/\//i.test(url);

/** Why resolving failed, as a fetch failure; undefined when the fetch itself went well. */
function fetchFailure(err: unknown): GitFetchFailure | undefined {
  if (err instanceof FetchError) return err.reason;
  if (err instanceof RevisionNotFoundError) return undefined;
  if (err instanceof CredentialsError || err instanceof InvalidRepoUrlError || err instanceof InvalidRevisionError)
    return "invalid";
  return "other";
}

/** The source's revision, and how to get its tree (a checkout only when the render is not memoized). */
export interface LocatedSource {
  revision: ResolvedRevision;
  checkout: () => Promise<{ dir: string; path: string }>;
}

export async function resolveGit(
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
export async function resolveChart(
  deps: DesiredStateDeps,
  app: Application,
  options: { refresh: boolean; freshSince?: number; revisionOverride?: string; signal: AbortSignal },
): Promise<LocatedSource> {
  const { source } = app.spec;
  const chart = source.chart ?? "";
  if (!deps.charts) throw new Error("this agent was started without chart support");
  const credentials = await chartCredentials(deps.client, app, options.signal);
  const revision = options.revisionOverride ?? source.revision;
  const artifact = source.chart === undefined;
  const resolved = await observedFetch(deps, app, options, async () => {
    const resolveOptions = {
      ...(credentials ? { credentials } : {}),
      insecure: source.insecure === true,
      refresh: options.refresh,
      ...(options.freshSince !== undefined ? { freshSince: options.freshSince } : {}),
      signal: options.signal,
    };
    const charts = deps.charts as ChartSource;
    return artifact
      ? await charts.resolveArtifact(source.repoURL, revision, resolveOptions)
      : await charts.resolve(source.repoURL, chart, revision, resolveOptions);
  });
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
  return await observedFetch(deps, app, options, () =>
    deps.git.resolve(app.spec.source.repoURL, revision, resolveOptions),
  );
}

/** A resolution, the observer told how a fetch it was allowed to make (refresh) went. */
async function observedFetch<T extends { fetchError?: FetchError }>(
  deps: DesiredStateDeps,
  app: Application,
  options: { refresh: boolean; signal: AbortSignal },
  resolve: () => Promise<T>,
): Promise<T> {
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
    const resolved = await resolve();
    report(resolved.fetchError?.reason);
    return resolved;
  } catch (err) {
    if (!options.signal.aborted) report(fetchFailure(err));
    throw err;
  }
}

/**
 * A chart's dependencies on Helm repositories and OCI registries, fetched by bosun into a copy of the chart.
 * Credentials for a dependency's repository: the repository Secret (in the Application's namespace) whose
 * `url` is the longest prefix of it, as Argo CD matches repository Secrets; else the Application's own
 * credentialsRef when the dependency is on its repoURL's host.
 */
export async function withChartDependencies(
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
