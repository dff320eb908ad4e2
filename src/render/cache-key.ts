// The render cache key: a hash of everything the tool's output depends on. Pure.
import { createHash } from "node:crypto";

/** JSON with object keys sorted and undefined members dropped: equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export function stableHash(value: unknown): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex");
}

/** Bumped when what a cached render holds, or how it is produced, changes. */
export const RENDER_CACHE_FORMAT = 1;

export interface RenderCacheKeyParts {
  commit: string;
  /** The app path, normalised (relative to the repository root, `/`-separated). */
  path: string;
  tool: string;
  /** A stable hash of the part of the source spec the tool reads. */
  sourceHash: string;
  /** Versions of the tools the render runs. */
  toolVersions: Record<string, string>;
  /** Other inputs the tool reads (helm: release, namespace, kube version, API versions). */
  inputs: Record<string, unknown>;
}

export function renderCacheKey(parts: RenderCacheKeyParts): string {
  return stableHash({ format: RENDER_CACHE_FORMAT, ...parts });
}
