// Cached renders: in memory (bounded, least recently used out first) and, when a directory is given, as JSON
// files written atomically (temporary file + rename), so a restart does not render again. What is cached is the
// tool's output before decryption: decrypted values never reach the disk.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RENDER_CACHE_FORMAT } from "./cache-key.js";
import type { RenderedDocument, RenderTool } from "./types.js";

export interface CachedRender {
  tool: RenderTool;
  documents: RenderedDocument[];
}

export interface RenderCacheOptions {
  /** Directory for the on-disk cache; without it the cache lives in memory only. */
  dir?: string;
  /** Renders kept in memory (default 128). */
  memoryEntries?: number;
}

const TOOLS: readonly string[] = ["directory", "kustomize", "helm"];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A cache file's content, or undefined when it is not one this version wrote. */
function decode(value: unknown): CachedRender | undefined {
  if (!isRecord(value) || value.format !== RENDER_CACHE_FORMAT) return undefined;
  const { tool, documents } = value;
  if (typeof tool !== "string" || !TOOLS.includes(tool) || !Array.isArray(documents)) return undefined;
  for (const d of documents) {
    if (!isRecord(d) || !isRecord(d.object) || (d.file !== undefined && typeof d.file !== "string")) return undefined;
    const o = d.object;
    if (typeof o.apiVersion !== "string" || typeof o.kind !== "string" || !isRecord(o.metadata)) return undefined;
  }
  return { tool: tool as RenderTool, documents: documents as RenderedDocument[] };
}

export class RenderCache {
  readonly #dir: string | undefined;
  readonly #max: number;
  readonly #memory = new Map<string, CachedRender>();

  constructor(options: RenderCacheOptions = {}) {
    this.#dir = options.dir;
    this.#max = Math.max(1, options.memoryEntries ?? 128);
  }

  async get(key: string, signal: AbortSignal): Promise<CachedRender | undefined> {
    const hit = this.#memory.get(key);
    if (hit !== undefined) {
      this.#memory.delete(key);
      this.#memory.set(key, hit);
      return hit;
    }
    if (this.#dir === undefined) return undefined;
    let text: string;
    try {
      text = await readFile(this.#file(key), { encoding: "utf8", signal });
    } catch (error) {
      if (signal.aborted) throw error;
      return undefined;
    }
    let parsed: CachedRender | undefined;
    try {
      parsed = decode(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) {
      // Unreadable or from another format: drop it, it will be rendered and written again.
      await rm(this.#file(key), { force: true });
      return undefined;
    }
    this.#remember(key, parsed);
    return parsed;
  }

  async put(key: string, value: CachedRender, signal: AbortSignal): Promise<void> {
    this.#remember(key, value);
    if (this.#dir === undefined) return;
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const file = this.#file(key);
    const temp = `${file}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
    const body = JSON.stringify({ format: RENDER_CACHE_FORMAT, ...value });
    try {
      await writeFile(temp, body, { mode: 0o600, signal });
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  #remember(key: string, value: CachedRender): void {
    this.#memory.delete(key);
    this.#memory.set(key, value);
    while (this.#memory.size > this.#max) {
      const oldest = this.#memory.keys().next().value;
      if (oldest === undefined) break;
      this.#memory.delete(oldest);
    }
  }

  #file(key: string): string {
    return join(this.#dir ?? "", `${key}.json`);
  }
}
