// GitSource: the module's entry point. Mirrors per repository URL and credentials under `<cacheDir>/mirrors`
// (callers presenting other credentials, or none, never read what one caller fetched), fetched on demand
// with one fetch at a time per repository (callers with the same credentials share it), revision
// resolution from the mirror, and read-only checkouts per commit under `<cacheDir>/checkouts`, handed out
// only to a caller whose mirror holds the commit.
import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SharedRuns } from "../api/index.js";
import { cleanupCheckouts, materializeCheckout } from "./checkouts.js";
import {
  checkCredentials,
  credentialsFingerprint,
  type PreparedCredentials,
  prepareCredentials,
  type RepoCredentials,
} from "./credentials.js";
import {
  CheckoutError,
  FetchError,
  type FetchFailureReason,
  InvalidRevisionError,
  RevisionNotFoundError,
} from "./errors.js";
import { toFetchError } from "./fetch-failure.js";
import { checkFileRepo, type FileRepoPolicy } from "./file-repos.js";
import { gitEnvironment } from "./git-env.js";
import {
  type CommitInfo,
  commitOf,
  ensureMirror,
  fetchInto,
  hasCommit,
  lastFetchedAt,
  localRefState,
  type MirrorContext,
  markFetched,
  remoteRefState,
} from "./mirror.js";
import { sameRefState } from "./refs.js";
import { parseRepoUrl, type RepoUrl } from "./repo-url.js";
import { isFullSha, matchRevision, validateRevision } from "./revision.js";

export interface GitSourceOptions {
  /** Directory for mirrors, checkouts and helper files; created (0700) when missing. */
  cacheDir: string;
  /** The git binary (default `git`, found on PATH). */
  gitBinary?: string;
  /** The ssh client git runs for ssh URLs (default `ssh`). */
  sshBinary?: string;
  /** A fetch (ls-remote plus fetch) taking longer than this fails as unreachable (default 5 minutes). */
  fetchTimeoutMs?: number;
  /** The clock (default: the system clock). */
  now?: () => Date;
  /** Environment to take PATH, proxies and CA bundles from (default process.env). */
  inheritEnv?: Readonly<Record<string, string | undefined>>;
  /** Where file:// repositories may be read from; none when absent. Never from cacheDir. */
  fileRepos?: FileRepoPolicy;
}

export interface FetchOptions {
  signal: AbortSignal;
  credentials?: RepoCredentials;
}

export interface FetchResult {
  /** The repository URL with credentials stripped. */
  url: string;
  /** False when the remote's refs already matched the mirror and nothing was fetched. */
  changed: boolean;
  fetchedAt: string;
}

export interface FetchStatus {
  lastAttemptAt?: string;
  /** The last successful fetch, also across restarts. */
  lastSuccessAt?: string;
  /** The error of the last attempt, when it failed; cleared by a success. */
  lastError?: FetchError;
}

export interface ResolveOptions extends FetchOptions {
  /**
   * Fetch before resolving (default true). A full SHA already in the mirror never needs a fetch.
   * When the fetch fails because the remote cannot be reached (not because it refused the credentials or
   * its host key is unknown) and the mirror has fetched state, that state answers and the result carries
   * the error as `fetchError`.
   */
  refresh?: boolean;
  /**
   * With refresh: a fetch of this mirror that started at or after this time (ms since the epoch), by any
   * caller, is fresh enough and none is made. Applications sharing a repository then fetch it once per
   * interval, not once each. A failed attempt since then counts too: its error answers, the mirror's
   * state is used.
   */
  freshSince?: number;
}

export interface ResolvedRevision extends CommitInfo {
  /** The ref that matched (`refs/heads/main`, `refs/tags/v1.2.3`, `HEAD`), absent for a SHA. */
  ref?: string;
  /** The version of the tag when the revision was a semver range. */
  version?: string;
  /** Set when the remote could not be fetched and the mirror's last fetched state answered. */
  fetchError?: FetchError;
}

export interface CheckoutOptions {
  signal: AbortSignal;
  /** The credentials the revision was resolved with: the commit must be in that mirror. */
  credentials?: RepoCredentials;
}

export interface Checkout {
  sha: string;
  /** Read-only directory holding exactly the tree of `sha`. */
  dir: string;
}

export interface CleanupOptions {
  signal: AbortSignal;
  /** Commits whose checkouts stay whatever their age. */
  keep?: Iterable<string>;
  /** Remove only checkouts not handed out for at least this long. Without it, every checkout not kept goes. */
  unusedForMs?: number;
}

const DEFAULT_FETCH_TIMEOUT_MS = 5 * 60 * 1000;
const MAX_KNOWN_COMMITS = 2000;

/**
 * Fetch failures after which resolve answers from the mirror's last state. Rejected credentials or host
 * keys are not among them: a caller the remote refuses must not read what another caller fetched.
 */
const FALLBACK_REASONS: ReadonlySet<FetchFailureReason> = new Set(["unreachable", "not-found", "other"]);

export class GitSource {
  readonly #cacheDir: string;
  readonly #gitBinary: string;
  readonly #sshBinary: string;
  readonly #fetchTimeoutMs: number;
  readonly #now: () => Date;
  readonly #env: Record<string, string>;
  readonly #fileRepos: FileRepoPolicy | undefined;
  /** Salts credential fingerprints: kept in the cache directory, so mirrors keep their names across restarts. */
  #salt = "";
  readonly #fetches = new SharedRuns<FetchResult>();
  readonly #checkouts = new SharedRuns<string>();
  readonly #building = new Set<string>();
  readonly #status = new Map<string, FetchStatus>();
  /**
   * The mirrors' ref state and the commits' details, read once and kept: an idle reconcile then spawns one
   * git process (ls-remote) instead of seven. Ref state is dropped whenever this process fetches into the
   * mirror; a commit's details never change.
   */
  readonly #localRefs = new Map<string, ReturnType<typeof localRefState>>();
  readonly #commits = new Map<string, CommitInfo>();
  /** (mirror, commit) pairs known to be present: a checkout needs no git process to check them again. */
  readonly #present = new Set<string>();
  #prepared: Promise<void> | undefined;

  constructor(options: GitSourceOptions) {
    this.#cacheDir = options.cacheDir;
    this.#gitBinary = options.gitBinary ?? "git";
    this.#sshBinary = options.sshBinary ?? "ssh";
    this.#fetchTimeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    this.#now = options.now ?? (() => new Date());
    this.#env = gitEnvironment({ home: join(this.#cacheDir, "home"), inherit: options.inheritEnv ?? process.env });
    this.#fileRepos = options.fileRepos;
  }

  /** The bare mirror directory of a repository URL for callers with these credentials (need not exist yet). */
  async mirrorDir(repoUrl: string, credentials?: RepoCredentials): Promise<string> {
    const repo = parseRepoUrl(repoUrl);
    await this.#prepareCacheDir();
    return this.#mirrorDirOf(repo, credentials);
  }

  #mirrorDirOf(repo: RepoUrl, credentials: RepoCredentials | undefined): string {
    const key = createHash("sha256")
      .update(repo.url)
      .update("\0")
      .update(credentialsFingerprint(credentials, this.#salt))
      .digest("hex");
    return join(this.#cacheDir, "mirrors", `${key.slice(0, 40)}.git`);
  }

  /**
   * Parses the URL, refuses file:// repositories the policy does not allow and credentials that do not fit
   * the transport, before any git process runs.
   */
  async #repo(repoUrl: string, credentials: RepoCredentials | undefined): Promise<RepoUrl> {
    const repo = parseRepoUrl(repoUrl);
    checkCredentials(repo, credentials);
    await checkFileRepo(repo, this.#fileRepos, this.#cacheDir);
    return repo;
  }

  /**
   * Fetches unless a fetch since `freshSince` answered already. A failure the mirror's state can stand in for
   * (the remote unreachable) is returned, not thrown.
   */
  async #refresh(repoUrl: string, dir: string, options: ResolveOptions): Promise<FetchError | undefined> {
    const recent = options.freshSince === undefined ? undefined : this.#attemptSince(dir, options.freshSince);
    if (recent && !recent.lastError) return undefined;
    if (recent?.lastError) {
      const fallback = FALLBACK_REASONS.has(recent.lastError.reason) && (await lastFetchedAt(dir)) !== undefined;
      if (!fallback) throw recent.lastError;
      return recent.lastError;
    }
    try {
      await this.fetch(repoUrl, options);
      return undefined;
    } catch (error) {
      if (!(error instanceof FetchError) || !FALLBACK_REASONS.has(error.reason)) throw error;
      if ((await lastFetchedAt(dir)) === undefined) throw error;
      return error;
    }
  }

  /** The last fetch attempt of a mirror in this process, when it started at or after `since`. */
  #attemptSince(dir: string, since: number): FetchStatus | undefined {
    const status = this.#status.get(dir);
    if (!status?.lastAttemptAt || Date.parse(status.lastAttemptAt) < since) return undefined;
    return status;
  }

  /**
   * Bring the mirror up to date with the remote. Concurrent calls for one URL with the same credentials
   * share one fetch; with other credentials they run after it. Throws FetchError (also recorded in
   * fetchStatus), InvalidRepoUrlError or CredentialsError.
   */
  async fetch(repoUrl: string, options: FetchOptions): Promise<FetchResult> {
    const repo = await this.#repo(repoUrl, options.credentials);
    await this.#prepareCacheDir();
    const variant = credentialsFingerprint(options.credentials, this.#salt);
    return await this.#fetches.run(repo.url, variant, options.signal, (signal) =>
      this.#fetchNow(repo, options.credentials, signal),
    );
  }

  /** What is known of the last fetches of a URL in this process (and the last success across restarts). */
  async fetchStatus(repoUrl: string, credentials?: RepoCredentials): Promise<FetchStatus> {
    const dir = await this.mirrorDir(repoUrl, credentials);
    const status = this.#status.get(dir) ?? {};
    const lastSuccessAt = status.lastSuccessAt ?? (await lastFetchedAt(dir));
    return { ...status, ...(lastSuccessAt !== undefined ? { lastSuccessAt } : {}) };
  }

  /**
   * Resolve a branch, tag, `HEAD`, full or abbreviated commit SHA, or semver range over tags to a commit.
   * Throws RevisionNotFoundError when the (freshly fetched) repository has no such revision, FetchError
   * when the remote is unreachable and the mirror cannot answer, InvalidRevisionError for a rejected input.
   */
  async resolve(repoUrl: string, revision: string, options: ResolveOptions): Promise<ResolvedRevision> {
    const repo = await this.#repo(repoUrl, options.credentials);
    validateRevision(revision);
    const ctx = await this.#mirrorContext(repo, options.credentials, options.signal);
    const known = isFullSha(revision) && (await this.#holds(ctx, revision));
    const fetchError = options.refresh !== false && !known ? await this.#refresh(repoUrl, ctx.dir, options) : undefined;
    if (!known && (await lastFetchedAt(ctx.dir)) === undefined) {
      throw new RevisionNotFoundError(revision, repo.display, "the repository has never been fetched");
    }
    const local = await this.#localRefState(ctx);
    const match = matchRevision(revision, local.table);
    const notFound = (detail: string): never => {
      if (fetchError) throw fetchError;
      throw new RevisionNotFoundError(revision, repo.display, detail);
    };
    if (match.kind === "none") return notFound(match.detail);
    const objectName = match.kind === "object" ? match.objectName : match.sha;
    const commit = await this.#commitOf(ctx, objectName);
    if (!commit.found) return notFound(match.kind === "object" ? commit.detail : `${match.ref} is not a commit`);
    return {
      ...commit.info,
      ...(match.kind !== "object" ? { ref: match.ref } : {}),
      ...(match.kind === "semver" ? { version: match.version } : {}),
      ...(fetchError ? { fetchError } : {}),
    };
  }

  /**
   * The read-only checkout directory of a commit of this repository (full SHA, as returned by resolve).
   * Made once per commit and reused across callers and restarts.
   */
  async checkout(repoUrl: string, sha: string, options: CheckoutOptions): Promise<Checkout> {
    const repo = await this.#repo(repoUrl, options.credentials);
    validateRevision(sha);
    if (!isFullSha(sha)) throw new InvalidRevisionError(sha, "a checkout needs a full commit SHA (resolve first)");
    // Checkouts are shared by commit, but only handed to a caller whose own mirror holds that commit.
    const own = await this.#ownMirror(repo, options.credentials, sha, options.signal);
    const dir = await this.#checkouts.run(sha, "", options.signal, async (signal) => {
      this.#building.add(sha);
      try {
        const mirror = { ...own, signal };
        return await materializeCheckout({ mirror, checkoutsDir: this.#checkoutsDir, now: this.#now() }, sha);
      } finally {
        this.#building.delete(sha);
      }
    });
    return { sha, dir };
  }

  /** Remove checkouts not in `keep` (and, with unusedForMs, unused that long). Returns the removed SHAs. */
  async cleanupCheckouts(options: CleanupOptions): Promise<string[]> {
    const keep = new Set(options.keep ?? []);
    for (const sha of this.#building) keep.add(sha);
    return await cleanupCheckouts({
      checkoutsDir: this.#checkoutsDir,
      now: this.#now(),
      keep,
      unusedForMs: options.unusedForMs,
      building: this.#building,
      signal: options.signal,
    });
  }

  get #checkoutsDir(): string {
    return join(this.#cacheDir, "checkouts");
  }

  async #prepareCacheDir(): Promise<void> {
    this.#prepared ??= (async () => {
      await mkdir(this.#cacheDir, { recursive: true, mode: 0o700 });
      for (const sub of ["home", "bin", "tmp", "mirrors", "checkouts"]) {
        await mkdir(join(this.#cacheDir, sub), { recursive: true, mode: 0o700 });
      }
      this.#salt = await loadSalt(join(this.#cacheDir, "salt"));
    })();
    try {
      await this.#prepared;
    } catch (error) {
      this.#prepared = undefined;
      throw error;
    }
  }

  async #mirrorContext(
    repo: RepoUrl,
    credentials: RepoCredentials | undefined,
    signal: AbortSignal,
    prepared?: PreparedCredentials,
  ): Promise<MirrorContext> {
    await this.#prepareCacheDir();
    const ctx: MirrorContext = {
      gitBinary: this.#gitBinary,
      dir: this.#mirrorDirOf(repo, credentials),
      env: { ...this.#env, ...prepared?.env },
      secrets: prepared?.secrets ?? [],
      signal,
    };
    await ensureMirror(ctx);
    return ctx;
  }

  /**
   * The caller's mirror when it holds `sha` (the positive answer is kept: commits never leave a mirror);
   * CheckoutError otherwise. Creates no mirror for a caller that has none.
   */
  async #ownMirror(
    repo: RepoUrl,
    credentials: RepoCredentials | undefined,
    sha: string,
    signal: AbortSignal,
  ): Promise<MirrorContext> {
    await this.#prepareCacheDir();
    const ctx: MirrorContext = {
      gitBinary: this.#gitBinary,
      dir: this.#mirrorDirOf(repo, credentials),
      env: this.#env,
      secrets: [],
      signal,
    };
    if (!(await this.#holds(ctx, sha)))
      throw new CheckoutError(sha, "the commit is not in the mirror these credentials fetched into (resolve first)");
    return ctx;
  }

  /** Whether the mirror holds the commit; a commit once seen there stays (mirrors only gain objects). */
  async #holds(ctx: MirrorContext, sha: string): Promise<boolean> {
    const key = `${ctx.dir}\0${sha}`;
    if (this.#present.has(key) || this.#commits.has(key)) return true;
    if (!(await hasCommit(ctx, sha))) return false;
    if (this.#present.size >= MAX_KNOWN_COMMITS) this.#present.clear();
    this.#present.add(key);
    return true;
  }

  #localRefState(ctx: MirrorContext): ReturnType<typeof localRefState> {
    let state = this.#localRefs.get(ctx.dir);
    if (!state) {
      state = localRefState(ctx);
      this.#localRefs.set(ctx.dir, state);
      state.catch(() => this.#localRefs.delete(ctx.dir));
    }
    return state;
  }

  async #commitOf(ctx: MirrorContext, objectName: string): ReturnType<typeof commitOf> {
    const key = `${ctx.dir}\0${objectName}`;
    const known = this.#commits.get(key);
    if (known) return { found: true, info: known };
    const commit = await commitOf(ctx, objectName);
    // Only full SHAs: an abbreviation may become ambiguous as the repository grows.
    if (commit.found && isFullSha(objectName)) {
      if (this.#commits.size >= MAX_KNOWN_COMMITS) this.#commits.delete(this.#commits.keys().next().value ?? "");
      this.#commits.set(key, commit.info);
    }
    return commit;
  }

  async #fetchNow(repo: RepoUrl, credentials: RepoCredentials | undefined, signal: AbortSignal): Promise<FetchResult> {
    await this.#prepareCacheDir();
    const attemptAt = this.#now().toISOString();
    const timeout = AbortSignal.timeout(this.#fetchTimeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    const prepared = await prepareCredentials(repo, credentials, {
      askpassPath: join(this.#cacheDir, "bin", "askpass.sh"),
      tempDir: join(this.#cacheDir, "tmp"),
      sshBinary: this.#sshBinary,
    });
    try {
      const ctx = await this.#mirrorContext(repo, credentials, combined, prepared);
      const remote = await remoteRefState(ctx, repo.url);
      const local = await this.#localRefState(ctx);
      const changed = !sameRefState(remote, local);
      if (changed) {
        try {
          await fetchInto(ctx, repo.url, remote.head);
        } finally {
          this.#localRefs.delete(ctx.dir);
        }
      }
      const fetchedAt = this.#now();
      await markFetched(ctx.dir, fetchedAt);
      this.#status.set(ctx.dir, { lastAttemptAt: attemptAt, lastSuccessAt: fetchedAt.toISOString() });
      return { url: repo.display, changed, fetchedAt: fetchedAt.toISOString() };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const fetchError = toFetchError(repo, error, timeout.aborted ? this.#fetchTimeoutMs : undefined);
      const dir = this.#mirrorDirOf(repo, credentials);
      const previous = this.#status.get(dir);
      this.#status.set(dir, {
        lastAttemptAt: attemptAt,
        ...(previous?.lastSuccessAt !== undefined ? { lastSuccessAt: previous.lastSuccessAt } : {}),
        lastError: fetchError,
      });
      throw fetchError;
    } finally {
      await prepared.dispose();
    }
  }
}

/**
 * The salt in `file`, made when missing: written whole to a private temporary file, then linked into place,
 * so a concurrent reader never sees half a salt and two makers agree on the first one linked.
 */
async function loadSalt(file: string): Promise<string> {
  const valid = (text: string) => /^[0-9a-f]{64}$/.test(text);
  const existing = await readFile(file, "utf8").then(
    (t) => t.trim(),
    () => undefined,
  );
  if (existing !== undefined && valid(existing)) return existing;
  if (existing !== undefined) await rm(file, { force: true }); // not a salt: replace it
  const tmp = `${file}.${randomBytes(6).toString("hex")}`;
  await writeFile(tmp, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(tmp, file).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    });
  } finally {
    await rm(tmp, { force: true });
  }
  return (await readFile(file, "utf8")).trim();
}
