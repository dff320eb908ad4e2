// ChartSource: charts from Helm repositories and OCI registries. Resolves a chart's revision (a version or a
// semver range) to one version and the digest of what was pulled, and hands out the chart unpacked in a
// read-only directory named by that digest. A repository's index is fetched once for every Application
// using it (revalidated with ETag / Last-Modified) and kept per credentials, so callers presenting other
// credentials never read what another caller fetched; an unpacked chart is handed out only to a caller whose
// own index or registry answer named its digest.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rename, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import semver from "semver";
import { SharedRuns } from "../api/index.js";
import { readChartArchive, writeChartFiles } from "./chart-archive.js";
import { type VendoredChart, type VendorOptions, vendorRemoteDependencies } from "./chart-dependencies.js";
import {
  type ChartRef,
  type ChartRevision,
  chartRevision,
  ociTagOf,
  parseArtifactRef,
  parseChartRef,
  parseChartRevision,
  versionOfOciTag,
} from "./chart-ref.js";
import { makeReadOnly, removeTree } from "./checkouts.js";
import { CredentialsError, FetchError, RevisionNotFoundError } from "./errors.js";
import { type ChartVersionEntry, type HelmIndex, HelmIndexError, parseHelmIndex } from "./helm-index.js";
import { type HttpResponse, httpGet, type TlsMaterial } from "./http-get.js";
import { HELM_CHART_CONFIG, HELM_CHART_LAYER, OciClient, type OciManifest, transportFailure } from "./oci-client.js";
import { highestVersion, validateRevision, versionOf } from "./revision.js";

/** Credentials for a chart repository or registry, from a repository Secret. */
export interface ChartCredentials extends TlsMaterial {
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer` to a Helm repository; as the password to a registry. */
  token?: string;
  /** Allow them over plain http:// (refused otherwise). */
  insecure?: boolean;
}

export interface ChartSourceOptions {
  cacheDir: string;
  /** One HTTP exchange taking longer fails as unreachable (default 2 minutes). */
  timeoutMs?: number;
}

export interface ChartResolveOptions {
  credentials?: ChartCredentials;
  /** spec.source.insecure: plain http:// repositories and registries are allowed. */
  insecure?: boolean;
  /** Ask the repository again (default true); without it the last answer in this process serves. */
  refresh?: boolean;
  /** With refresh: an answer obtained at or after this time (ms since the epoch), by any caller, serves. */
  freshSince?: number;
  signal: AbortSignal;
}

export interface ResolvedChart {
  /** `VERSION@sha256:…`: what status and history record, and what a rollback asks for. */
  sha: string;
  chart: string;
  version: string;
  /** The chart archive's digest (a Helm repository) or the manifest's (an OCI registry). */
  digest: string;
  /** The repository or registry, credentials stripped. */
  repo: string;
  /** When the repository says the version was published, if it does. */
  created?: string;
  /** The directory holding the unpacked chart (read-only) and the chart's directory inside it. */
  root: string;
  path: string;
  /** Set when the repository could not be reached and its last answer in this process served. */
  fetchError?: FetchError;
}

const DEFAULT_TIMEOUT_MS = 2 * 60 * 1000;
const MAX_INDEX_BYTES = 128 * 1024 * 1024;
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

interface IndexState {
  index: HelmIndex;
  etag?: string;
  lastModified?: string;
}

interface Answer {
  at: number;
  result?: Omit<ResolvedChart, "fetchError">;
  error?: unknown;
}

export class ChartSource {
  readonly #cacheDir: string;
  readonly #timeoutMs: number;
  readonly #runs = new SharedRuns<Omit<ResolvedChart, "fetchError">>();
  readonly #unpacking = new SharedRuns<{ root: string; path: string }>();
  readonly #indexes = new Map<string, IndexState>();
  /** The last answer per (source, credentials, revision): serves callers within freshSince, and when unreachable. */
  readonly #answers = new Map<string, Answer>();
  readonly #registries = new Map<string, OciClient>();
  #salt: Promise<string> | undefined;

  constructor(options: ChartSourceOptions) {
    this.#cacheDir = options.cacheDir;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async resolve(
    repoURL: string,
    chart: string,
    revision: string | undefined,
    options: ChartResolveOptions,
  ): Promise<ResolvedChart> {
    const ref = parseChartRef(repoURL, chart, { insecure: options.insecure === true });
    const wanted = parseChartRevision(revision);
    checkChartCredentials(ref, options.credentials);
    const key = await this.#keyOf(ref, options.credentials);
    return await this.#answered(`${key}\0${revision ?? ""}`, options, (signal) =>
      this.#resolveNow(ref, key, wanted, options.credentials, signal),
    );
  }

  /**
   * One resolution per (source, credentials, revision) at a time, shared; within freshSince (or without
   * refresh) the last answer serves, and an unreachable source falls back to its last result.
   */
  async #answered(
    answerKey: string,
    options: ChartResolveOptions,
    work: (signal: AbortSignal) => Promise<Omit<ResolvedChart, "fetchError">>,
  ): Promise<ResolvedChart> {
    const last = this.#answers.get(answerKey);
    const refresh = options.refresh ?? true;
    if (last && (!refresh || (options.freshSince !== undefined && last.at >= options.freshSince))) {
      return this.#fromAnswer(last, undefined);
    }
    const started = Date.now();
    try {
      const result = await this.#runs.run(answerKey, "", options.signal, work);
      this.#answers.set(answerKey, { at: started, result });
      return result;
    } catch (err) {
      if (options.signal.aborted) throw err;
      const previous = this.#answers.get(answerKey)?.result;
      const answer: Answer = { at: started, error: err, ...(previous ? { result: previous } : {}) };
      this.#answers.set(answerKey, answer);
      return this.#fromAnswer(answer, err);
    }
  }

  /**
   * An OCI artifact of manifests (what `flux push artifact` or `oras push` makes: one gzipped tar layer),
   * unpacked: `revision` is a tag (default `latest`), a semver range over the tags, a `sha256:` digest, or
   * `TAG@sha256:…` as recorded. Its revision is `TAG@sha256:<manifest digest>`; `path` is "" (the root).
   */
  async resolveArtifact(
    repoURL: string,
    revision: string | undefined,
    options: ChartResolveOptions,
  ): Promise<ResolvedChart> {
    const ref = parseArtifactRef(repoURL, { insecure: options.insecure === true });
    checkChartCredentials(ref, options.credentials);
    const key = await this.#keyOf(ref, options.credentials);
    const wanted = revision === undefined || revision === "" || revision === "HEAD" ? "latest" : revision;
    validateRevision(wanted);
    return await this.#answered(`artifact\0${key}\0${wanted}`, options, (signal) =>
      this.#resolveArtifactNow(ref, key, wanted, options.credentials, signal),
    );
  }

  async #resolveArtifactNow(
    ref: Extract<ChartRef, { kind: "oci" }>,
    key: string,
    wanted: string,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<Omit<ResolvedChart, "fetchError">> {
    const client = this.#registry(key, credentials);
    const pinned = /^(?:(.+)@)?(sha256:[0-9a-f]{64})$/.exec(wanted);
    let tag = pinned?.[1] ?? (pinned ? "" : wanted);
    if (!pinned) {
      const tags = await client.tags(ref, signal);
      if (!tags.includes(wanted)) {
        const best = semver.validRange(wanted) === null ? undefined : highestVersion(wanted, tags);
        if (best === undefined) {
          throw new RevisionNotFoundError(
            wanted,
            ref.display,
            `no tag has that name${semver.validRange(wanted) === null ? "" : " or matches it as a semver range"}`,
          );
        }
        tag = best.listed;
      }
    }
    const manifest = await client.manifest(ref, pinned?.[2] ?? tag, signal);
    const layer = manifest.layers.find((l) => /tar\+gzip$/.test(l.mediaType));
    if (layer === undefined) {
      const types = manifest.layers.map((l) => l.mediaType).join(", ") || "no layers";
      throw new FetchError(
        ref.display,
        "other",
        `${tag || manifest.digest} holds no gzipped tar layer of manifests (${types})`,
      );
    }
    if (layer.mediaType === HELM_CHART_LAYER) {
      throw new FetchError(
        ref.display,
        "other",
        `${tag || manifest.digest} is a Helm chart: name it in spec.source.chart`,
      );
    }
    const unpacked = await this.#unpack(
      manifest.digest,
      undefined,
      `${ref.display}:${tag || manifest.digest}`,
      signal,
      async () => client.blob(ref, layer.digest, MAX_ARCHIVE_BYTES, signal),
      "tree",
    );
    return {
      sha: `${tag ? `${tag}@` : ""}${manifest.digest}`,
      chart: ref.repository,
      version: tag,
      digest: manifest.digest,
      repo: ref.display,
      ...unpacked,
    };
  }

  /** The last answer, or its error; an unreachable repository's error with an earlier result is a warning. */
  #fromAnswer(answer: Answer, fresh: unknown): ResolvedChart {
    const error = fresh ?? answer.error;
    if (error === undefined && answer.result) return answer.result;
    if (error instanceof FetchError && error.reason === "unreachable" && answer.result) {
      return { ...answer.result, fetchError: error };
    }
    throw error;
  }

  async #resolveNow(
    ref: ChartRef,
    key: string,
    wanted: ChartRevision,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<Omit<ResolvedChart, "fetchError">> {
    return ref.kind === "oci"
      ? await this.#resolveOci(ref, key, wanted, credentials, signal)
      : await this.#resolveHelmRepository(ref, key, wanted, credentials, signal);
  }

  async #resolveHelmRepository(
    ref: Extract<ChartRef, { kind: "helm-repository" }>,
    key: string,
    wanted: ChartRevision,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<Omit<ResolvedChart, "fetchError">> {
    const index = await this.#fetchIndex(ref, key, credentials, signal);
    const entries = index.get(ref.chart);
    if (entries === undefined || entries.length === 0) {
      throw new RevisionNotFoundError(wanted.range, ref.display, `the repository has no chart named ${ref.chart}`);
    }
    const entry = pickEntry(ref, entries, wanted);
    const version = versionOf(entry.version) ?? entry.version;
    const url = entry.urls[0];
    if (url === undefined) throw new FetchError(ref.display, "other", `${ref.chart} ${entry.version} lists no URL`);
    const archiveUrl = new URL(url, ref.base);
    let digest = entry.digest;
    let archive: Buffer | undefined;
    if (digest === undefined || !(await this.#isUnpacked(digest))) {
      archive = await this.#download(ref, archiveUrl, credentials, signal);
      const actual = `sha256:${createHash("sha256").update(archive).digest("hex")}`;
      if (digest !== undefined && digest !== actual) {
        throw new FetchError(
          ref.display,
          "other",
          `${ref.chart} ${entry.version}: the archive's digest ${actual} is not the index's ${digest}`,
        );
      }
      digest = actual;
    }
    if (wanted.kind === "pinned" && wanted.digest !== digest) throw pinnedMismatch(ref, wanted, digest);
    const unpacked = await this.#unpack(digest, archive, `${ref.chart}-${entry.version}.tgz`, signal, async () =>
      this.#download(ref, archiveUrl, credentials, signal),
    );
    return {
      sha: chartRevision(version, digest),
      chart: ref.chart,
      version,
      digest,
      repo: ref.display,
      ...(entry.created ? { created: entry.created } : {}),
      ...unpacked,
    };
  }

  async #resolveOci(
    ref: Extract<ChartRef, { kind: "oci" }>,
    key: string,
    wanted: ChartRevision,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<Omit<ResolvedChart, "fetchError">> {
    const client = this.#registry(key, credentials);
    let reference: string;
    let version: string;
    if (wanted.kind === "pinned") {
      reference = wanted.digest;
      version = wanted.version;
    } else {
      const tags = await client.tags(ref, signal);
      const best = highestVersion(wanted.range, tags, versionOfOciTag);
      if (best === undefined) throw noMatch(ref, wanted.range, tags.map(versionOfOciTag));
      reference = best.listed;
      version = best.version;
    }
    const manifest = await client.manifest(ref, reference, signal);
    const layer = chartLayer(ref, manifest, `${version}`);
    const digest = manifest.digest;
    const unpacked = await this.#unpack(digest, undefined, `${ref.display}:${ociTagOf(version)}`, signal, async () =>
      client.blob(ref, layer.digest, MAX_ARCHIVE_BYTES, signal),
    );
    return { sha: chartRevision(version, digest), chart: ref.chart, version, digest, repo: ref.display, ...unpacked };
  }

  /**
   * Removes unpacked charts and artifacts no answer of this process refers to, and composed charts, when
   * unused for `unusedForMs` (a directory's mtime is when it was last handed out), and leftovers of an
   * interrupted unpack. Returns the directories removed.
   */
  async cleanup(options: { unusedForMs: number; signal: AbortSignal }): Promise<string[]> {
    const referenced = new Set<string>();
    for (const answer of this.#answers.values()) if (answer.result) referenced.add(answer.result.root);
    const busy = new Set(this.#unpacking.busy().map((digest) => this.#unpackedDir(digest)));
    const removed: string[] = [];
    const now = Date.now();
    for (const sub of ["charts", "composed"]) {
      const dir = join(this.#cacheDir, sub);
      const entries = await readdir(dir).catch(() => [] as string[]);
      for (const name of entries.sort()) {
        options.signal.throwIfAborted();
        const path = join(dir, name);
        if (referenced.has(path) || busy.has(path)) continue;
        const info = await stat(path).catch(() => undefined);
        if (!info?.isDirectory() || now - info.mtimeMs < options.unusedForMs) continue;
        await removeTree(path);
        removed.push(path);
      }
    }
    return removed;
  }

  /**
   * The chart at root/path with its dependencies on Helm repositories and OCI registries fetched into
   * charts/ (see chart-dependencies.ts); undefined when it needs none.
   */
  async withDependencies(options: Omit<VendorOptions, "charts" | "cacheDir">): Promise<VendoredChart | undefined> {
    return await vendorRemoteDependencies({ ...options, charts: this, cacheDir: join(this.#cacheDir, "composed") });
  }

  #registry(key: string, credentials: ChartCredentials | undefined): OciClient {
    let client = this.#registries.get(key);
    if (client === undefined) {
      const username = credentials?.username ?? (credentials?.token !== undefined ? "bosun" : undefined);
      const password = credentials?.password ?? credentials?.token;
      client = new OciClient({
        timeoutMs: this.#timeoutMs,
        ...(username !== undefined && password !== undefined ? { auth: { username, password } } : {}),
        ...(credentials ? { tls: credentials } : {}),
      });
      this.#registries.set(key, client);
    }
    return client;
  }

  /** The repository's index, revalidated; kept on disk per credentials so a restart revalidates too. */
  async #fetchIndex(
    ref: Extract<ChartRef, { kind: "helm-repository" }>,
    key: string,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<HelmIndex> {
    const file = join(this.#cacheDir, "indexes", `${key}.yaml`);
    const metaFile = `${file}.json`;
    let state = this.#indexes.get(key);
    if (state === undefined) state = await readStoredIndex(file, metaFile, ref.display);
    const headers = authHeaders(credentials);
    if (state?.etag) headers["if-none-match"] = state.etag;
    if (state?.lastModified) headers["if-modified-since"] = state.lastModified;
    const res = await this.#get(ref, new URL("index.yaml", ref.base), headers, MAX_INDEX_BYTES, credentials, signal);
    if (res.status === 304 && state !== undefined) {
      this.#indexes.set(key, state);
      return state.index;
    }
    if (res.status !== 200) throw httpStatusError(ref, res.status, "index.yaml");
    const text = res.body.toString("utf8");
    let index: HelmIndex;
    try {
      index = parseHelmIndex(text, ref.display);
    } catch (err) {
      if (err instanceof HelmIndexError) throw new FetchError(ref.display, "other", err.message);
      throw err;
    }
    const etag = typeof res.headers.etag === "string" ? res.headers.etag : undefined;
    const lastModified = res.headers["last-modified"];
    const next: IndexState = { index, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
    this.#indexes.set(key, next);
    await mkdir(join(this.#cacheDir, "indexes"), { recursive: true, mode: 0o700 });
    await writeFile(file, text, { mode: 0o600 });
    await writeFile(metaFile, JSON.stringify({ etag, lastModified }), { mode: 0o600 });
    return index;
  }

  async #download(
    ref: Extract<ChartRef, { kind: "helm-repository" }>,
    url: URL,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<Buffer> {
    if (url.protocol !== "https:" && !(url.protocol === "http:" && ref.base.protocol === "http:")) {
      throw new FetchError(ref.display, "other", `refused to download a chart from ${url.protocol}//${url.host}`);
    }
    // As helm without --pass-credentials: credentials go only to the repository's own host.
    const headers = url.origin === ref.base.origin ? authHeaders(credentials) : {};
    const res = await this.#get(ref, url, headers, MAX_ARCHIVE_BYTES, credentials, signal);
    if (res.status !== 200) throw httpStatusError(ref, res.status, url.pathname.split("/").pop() ?? "chart archive");
    return res.body;
  }

  /** One GET to a Helm repository, with its TLS material; a transport failure as the repository's FetchError. */
  async #get(
    ref: ChartRef,
    url: URL,
    headers: Record<string, string>,
    maxBytes: number,
    credentials: ChartCredentials | undefined,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    try {
      return await httpGet(url.toString(), {
        headers,
        maxBytes,
        timeoutMs: this.#timeoutMs,
        signal,
        ...(credentials ? { tls: credentials } : {}),
      });
    } catch (err) {
      throw transportFailure(ref, err);
    }
  }

  #unpackedDir(digest: string): string {
    return join(this.#cacheDir, "charts", digest.replace(":", "-"));
  }

  async #isUnpacked(digest: string): Promise<boolean> {
    return (await stat(this.#unpackedDir(digest)).catch(() => undefined))?.isDirectory() === true;
  }

  /** The unpacked chart of a digest, made from the archive (given, or downloaded) when missing. */
  async #unpack(
    digest: string,
    archive: Buffer | undefined,
    what: string,
    signal: AbortSignal,
    download: () => Promise<Buffer>,
    layout: "chart" | "tree" = "chart",
  ): Promise<{ root: string; path: string }> {
    const target = this.#unpackedDir(digest);
    return await this.#unpacking.run(digest, "", signal, async (inner) => {
      if (await this.#isUnpacked(digest)) {
        const now = new Date();
        await utimes(target, now, now); // handed out again: not for cleanup
        return { root: target, path: await readTop(target) };
      }
      const { top, files } = await readChartArchive(archive ?? (await download()), what, inner, { layout });
      await mkdir(join(this.#cacheDir, "charts"), { recursive: true, mode: 0o700 });
      const work = await mkdtemp(join(this.#cacheDir, "charts", ".tmp-"));
      try {
        await writeChartFiles(work, files);
        await writeFile(join(work, ".bosun-chart"), top, { mode: 0o400 });
        await makeReadOnly(work, { keepTopWritable: true });
        await rename(work, target);
      } catch (err) {
        await removeTree(work);
        if (!(await this.#isUnpacked(digest))) throw err;
      }
      return { root: target, path: top };
    });
  }

  /** A key per (source, credentials), salted so file names say nothing of the credentials. */
  async #keyOf(ref: ChartRef, credentials: ChartCredentials | undefined): Promise<string> {
    const salt = await this.#saltOf();
    const where = ref.kind === "oci" ? `${ref.protocol}//${ref.host}/${ref.repository}` : ref.base.toString();
    return createHash("sha256")
      .update(salt)
      .update(where)
      .update("\0")
      .update(JSON.stringify(credentials ?? null))
      .digest("hex")
      .slice(0, 40);
  }

  #saltOf(): Promise<string> {
    this.#salt ??= (async () => {
      await mkdir(this.#cacheDir, { recursive: true, mode: 0o700 });
      const file = join(this.#cacheDir, "salt");
      const existing = await readFile(file, "utf8").catch(() => undefined);
      if (existing) return existing;
      const salt = randomBytes(32).toString("hex");
      await writeFile(file, salt, { mode: 0o600, flag: "wx" }).catch(() => undefined);
      return (await readFile(file, "utf8").catch(() => salt)) || salt;
    })();
    return this.#salt;
  }
}

async function readTop(dir: string): Promise<string> {
  return (await readFile(join(dir, ".bosun-chart"), "utf8")).trim();
}

async function readStoredIndex(file: string, metaFile: string, display: string): Promise<IndexState | undefined> {
  try {
    const meta = JSON.parse(await readFile(metaFile, "utf8")) as { etag?: string; lastModified?: string };
    const index = parseHelmIndex(await readFile(file, "utf8"), display);
    return {
      index,
      ...(meta.etag ? { etag: meta.etag } : {}),
      ...(meta.lastModified ? { lastModified: meta.lastModified } : {}),
    };
  } catch {
    return undefined;
  }
}

function authHeaders(credentials: ChartCredentials | undefined): Record<string, string> {
  if (credentials?.token !== undefined) return { authorization: `Bearer ${credentials.token}` };
  if (credentials?.username !== undefined && credentials.password !== undefined) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
    return { authorization: `Basic ${basic}` };
  }
  return {};
}

/** Credentials travel only over https, or plain http when their Secret says `insecure: "true"`. */
export function checkChartCredentials(ref: ChartRef, credentials: ChartCredentials | undefined): void {
  if (credentials === undefined) return;
  const sends = credentials.token !== undefined || credentials.password !== undefined;
  const plain = ref.kind === "oci" ? ref.protocol === "http:" : ref.base.protocol === "http:";
  if (sends && plain && credentials.insecure !== true) {
    throw new CredentialsError(
      ref.display,
      'credentials are sent only over https; for a plain http repository set insecure: "true" in the repository Secret',
    );
  }
}

function pickEntry(
  ref: Extract<ChartRef, { kind: "helm-repository" }>,
  entries: readonly ChartVersionEntry[],
  wanted: ChartRevision,
): ChartVersionEntry {
  const best = highestVersion(
    wanted.range,
    entries.map((e) => e.version),
  );
  const entry = best && entries.find((e) => e.version === best.listed);
  if (entry === undefined) {
    throw noMatch(
      ref,
      wanted.range,
      entries.map((e) => e.version),
    );
  }
  return entry;
}

function noMatch(ref: ChartRef, range: string, versions: string[]): RevisionNotFoundError {
  const listed = versions
    .map((v) => versionOf(v))
    .filter((v): v is string => v !== undefined)
    .sort(semver.rcompare)
    .slice(0, 5);
  const some = listed.length > 0 ? `; it has ${listed.join(", ")}${versions.length > 5 ? ", …" : ""}` : "";
  return new RevisionNotFoundError(range, ref.display, `no version of chart ${ref.chart} matches${some}`);
}

function pinnedMismatch(ref: ChartRef, wanted: Extract<ChartRevision, { kind: "pinned" }>, digest: string): FetchError {
  return new FetchError(
    ref.display,
    "other",
    `${ref.chart} ${wanted.version} is now ${digest}, not the pinned ${wanted.digest}: the repository replaced it`,
  );
}

function chartLayer(ref: ChartRef, manifest: OciManifest, version: string): { digest: string } {
  const layer = manifest.layers.find((l) => l.mediaType === HELM_CHART_LAYER);
  const isChart = manifest.config?.mediaType === HELM_CHART_CONFIG || layer !== undefined;
  if (!isChart || layer === undefined) {
    const types = manifest.layers.map((l) => l.mediaType).join(", ") || "no layers";
    throw new FetchError(ref.display, "other", `${version} is not a Helm chart (${types})`);
  }
  return layer;
}

function httpStatusError(ref: ChartRef, status: number, what: string): FetchError {
  if (status === 401 || status === 403) {
    return new FetchError(ref.display, "auth", `${what}: the repository refused the credentials (HTTP ${status})`);
  }
  if (status === 404) return new FetchError(ref.display, "not-found", `${what}: not found (HTTP 404)`);
  return new FetchError(ref.display, "other", `${what}: HTTP ${status}`);
}
