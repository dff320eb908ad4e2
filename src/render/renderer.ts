// The render entry point: path safety, tool choice, the render cache, then decryption and post-processing.

import { tmpdir } from "node:os";
import { isAbsolute } from "node:path";
import { describeRef, errorMessage, type KubeObject, refOf, SharedRuns } from "../api/index.js";
import { hasSopsMetadata } from "../secrets/index.js";
import { readToolVersions } from "../tools/index.js";
import { renderCacheKey, stableHash } from "./cache-key.js";
import { detectTool, explicitTool } from "./detect.js";
import { renderDirectory } from "./directory.js";
import { PathEscapeError, RenderError } from "./errors.js";
import { renderHelm } from "./helm.js";
import { renderKustomize } from "./kustomize.js";
import { finalizeObjects } from "./post-process.js";
import { type CachedRender, RenderCache } from "./render-cache.js";
import { RepoRoot } from "./repo-root.js";
import { scopeOf } from "./scope.js";

import { execToolRunner, type ToolRunner } from "./tool-runner.js";
import type { Decrypt, RenderedDocument, RenderRequest, RenderResult, RenderTool } from "./types.js";

export interface RenderToolVersions {
  helm: string;
  kustomize: string;
}

export interface RendererOptions {
  /** Directory of the on-disk render cache; without it renders are cached in memory only. */
  cacheDir?: string;
  /** Renders kept in memory (default 128). */
  memoryEntries?: number;
  /** Runs helm and kustomize (default: the pinned binaries, through execFile). */
  runTool?: ToolRunner;
  /** Versions that key the cache (default: tools/versions.json). */
  toolVersions?: RenderToolVersions;
  /** A helm or kustomize run taking longer fails (default 90 s). */
  toolTimeoutMs?: number;
  /** Parent of temporary directories (default: the OS temp directory). Never inside a checkout. */
  tempDir?: string;
}

const DEFAULT_TOOL_TIMEOUT_MS = 90_000;

interface AppDirectory {
  real: string;
  /** Relative to the root, `/`-separated ("." for the root). */
  display: string;
}

interface ToolRender {
  render: CachedRender;
  /** False when the output is not pinned by the commit (remote kustomize bases). */
  cacheable: boolean;
}

async function appDirectory(root: RepoRoot, path: string): Promise<AppDirectory> {
  if (isAbsolute(path)) throw new PathEscapeError(path, `app path "${path}" must be relative to the repository root`);
  const resolved = await root.resolve(root.real, path === "" ? "." : path, { what: "app path" });
  if (!resolved.isDirectory) throw new RenderError(`app path "${path}" is not a directory`);
  return { real: resolved.real, display: root.display(resolved.real) };
}

function checkDecrypted(value: unknown, doc: RenderedDocument): KubeObject {
  const o = value as Partial<KubeObject> | null;
  const ok =
    typeof o === "object" &&
    o !== null &&
    typeof o.apiVersion === "string" &&
    typeof o.kind === "string" &&
    typeof o.metadata === "object" &&
    o.metadata !== null;
  if (!ok) {
    throw new RenderError(`decryption of ${describeRef(refOf(doc.object))} did not return a Kubernetes object`, {
      ...(doc.file !== undefined ? { file: doc.file } : {}),
    });
  }
  return o as KubeObject;
}

/** The objects of each file, in file order. */
function objectsByFile(documents: RenderedDocument[]): Map<string, KubeObject[]> {
  const byFile = new Map<string, KubeObject[]>();
  for (const doc of documents) {
    if (doc.file === undefined) continue;
    const siblings = byFile.get(doc.file);
    if (siblings) siblings.push(doc.object);
    else byFile.set(doc.file, [doc.object]);
  }
  return byFile;
}

/** Without decryption, the documents as they are; an encrypted one is an error naming its file (never applied). */
function refuseEncrypted(documents: RenderedDocument[]): RenderedDocument[] {
  const encrypted = documents.find((doc) => hasSopsMetadata(doc.object));
  if (encrypted)
    throw new RenderError(
      `${describeRef(refOf(encrypted.object))} is SOPS-encrypted, but the Application configures no decryption (spec.source.decryption)`,
      encrypted.file !== undefined ? { file: encrypted.file } : {},
    );
  return documents;
}

async function decryptAll(
  documents: RenderedDocument[],
  decrypt: Decrypt | undefined,
  signal: AbortSignal,
): Promise<RenderedDocument[]> {
  if (decrypt === undefined) return refuseEncrypted(documents);
  const byFile = objectsByFile(documents);
  const out: RenderedDocument[] = [];
  for (const doc of documents) {
    signal.throwIfAborted();
    const siblings = doc.file === undefined ? undefined : byFile.get(doc.file);
    const whole =
      siblings && siblings.length > 1 ? { fileDocuments: siblings, index: siblings.indexOf(doc.object) } : {};
    let object: unknown;
    try {
      object = await decrypt({
        ...(doc.file !== undefined ? { file: doc.file } : {}),
        object: doc.object,
        ...whole,
        signal,
      });
    } catch (error) {
      if (signal.aborted || error instanceof RenderError) throw error;
      const detail = errorMessage(error);
      throw new RenderError(`decryption of ${describeRef(refOf(doc.object))} failed: ${detail}`, {
        ...(doc.file !== undefined ? { file: doc.file } : {}),
        cause: error,
      });
    }
    out.push({ ...doc, object: checkDecrypted(object, doc) });
  }
  return out;
}

/**
 * Renders Applications' sources. Holds the render cache (memory, and disk when cacheDir is set) and shares
 * a render in progress between callers asking for the same inputs.
 */
export class Renderer {
  readonly #cache: RenderCache;
  readonly #runs = new SharedRuns<CachedRender>();
  readonly #runTool: ToolRunner;
  readonly #timeoutMs: number;
  readonly #tempDir: string;
  #versions: RenderToolVersions | undefined;

  constructor(options: RendererOptions = {}) {
    this.#cache = new RenderCache({
      ...(options.cacheDir !== undefined ? { dir: options.cacheDir } : {}),
      ...(options.memoryEntries !== undefined ? { memoryEntries: options.memoryEntries } : {}),
    });
    this.#runTool = options.runTool ?? execToolRunner();
    this.#timeoutMs = options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.#tempDir = options.tempDir ?? tmpdir();
    this.#versions = options.toolVersions;
  }

  /**
   * Render one source. Throws RenderError (or a subclass) naming the file and line at fault; nothing of a
   * failed render is returned or cached.
   */
  async render(request: RenderRequest): Promise<RenderResult> {
    const { signal } = request;
    signal.throwIfAborted();
    if (!request.app.name || !request.app.namespace) throw new RenderError("the app needs a name and a namespace");
    const root = await RepoRoot.open(request.repoRoot, { signal });
    const dir = await appDirectory(root, request.path);
    const tool = explicitTool(request.source) ?? (await detectTool(dir.real, { signal }));
    let render: CachedRender;
    let fromCache = false;
    if (request.commit === undefined) {
      render = (await this.#renderWith(tool, root, dir, request, signal)).render;
    } else {
      const key = this.#key(tool, dir, request, request.commit);
      const hit = await this.#cache.get(key, signal);
      if (hit !== undefined) {
        render = hit;
        fromCache = true;
      } else {
        render = await this.#runs.run(key, "", signal, async (shared) => {
          const again = await this.#cache.get(key, shared);
          if (again !== undefined) return again;
          const fresh = await this.#renderWith(tool, root.withSignal(shared), dir, request, shared);
          if (fresh.cacheable) await this.#store(key, fresh.render, shared);
          return fresh.render;
        });
      }
    }
    // The cache keeps the tool's output; what follows works on a copy.
    const documents = await decryptAll(structuredClone(render.documents), request.decrypt, signal);
    const objects = finalizeObjects({
      documents,
      app: request.app,
      destinationNamespace: request.destinationNamespace,
      isNamespaced: scopeOf({ isNamespaced: request.isNamespaced, objects: documents.map((d) => d.object) }),
    });
    return { objects, tool, fromCache };
  }

  #key(tool: RenderTool, dir: AppDirectory, request: RenderRequest, commit: string): string {
    this.#versions ??= readToolVersions();
    const versions = this.#versions;
    const spec = request.source[tool] ?? {};
    return renderCacheKey({
      commit,
      path: dir.display,
      tool,
      sourceHash: stableHash(spec),
      toolVersions: tool === "directory" ? {} : { [tool]: versions[tool] },
      inputs:
        tool === "helm"
          ? {
              release: request.source.helm?.releaseName || request.app.name,
              namespace: request.destinationNamespace,
              kubeVersion: request.kubeVersion,
              apiVersions: request.apiVersions,
            }
          : {},
    });
  }

  async #store(key: string, render: CachedRender, signal: AbortSignal): Promise<void> {
    try {
      await this.#cache.put(key, render, signal);
    } catch (error) {
      // A cache that cannot be written costs a render later, never this one.
      if (signal.aborted) throw error;
    }
  }

  async #renderWith(
    tool: RenderTool,
    root: RepoRoot,
    dir: AppDirectory,
    request: RenderRequest,
    signal: AbortSignal,
  ): Promise<ToolRender> {
    const common = { root, dir: dir.real, run: this.#runTool, tempDir: this.#tempDir, timeoutMs: this.#timeoutMs };
    switch (tool) {
      case "directory": {
        const documents = await renderDirectory({ root, dir: dir.real, spec: request.source.directory ?? {}, signal });
        return { render: { tool, documents }, cacheable: true };
      }
      case "kustomize": {
        const out = await renderKustomize({ ...common, spec: request.source.kustomize ?? {}, signal });
        return { render: { tool, documents: out.documents }, cacheable: !out.usesRemote };
      }
      case "helm": {
        const documents = await renderHelm({
          ...common,
          spec: request.source.helm ?? {},
          defaultReleaseName: request.app.name,
          namespace: request.destinationNamespace,
          ...(request.kubeVersion !== undefined ? { kubeVersion: request.kubeVersion } : {}),
          ...(request.apiVersions !== undefined ? { apiVersions: request.apiVersions } : {}),
          signal,
        });
        return { render: { tool, documents }, cacheable: true };
      }
    }
  }
}
