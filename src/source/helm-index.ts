// A Helm repository's index.yaml, reduced to what resolving a chart needs. Pure.
import { parse } from "yaml";

export interface ChartVersionEntry {
  /** As listed (`1.2.3`, sometimes `v1.2.3`). */
  version: string;
  /** `sha256:<hex>` of the chart archive, when the index gives one. */
  digest?: string;
  /** Where the archive is, absolute or relative to the repository URL; the first is used, as helm does. */
  urls: string[];
  created?: string;
}

export type HelmIndex = ReadonlyMap<string, readonly ChartVersionEntry[]>;

export class HelmIndexError extends Error {
  override readonly name = "HelmIndexError";
}

const HEX_DIGEST = /^(?:sha256:)?([0-9a-f]{64})$/;

export function parseHelmIndex(text: string, display: string): HelmIndex {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new HelmIndexError(`${display}index.yaml is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (typeof doc !== "object" || doc === null || typeof (doc as { entries?: unknown }).entries !== "object") {
    throw new HelmIndexError(`${display}index.yaml is not a Helm repository index (no entries)`);
  }
  const entries = (doc as { entries: unknown }).entries;
  const index = new Map<string, ChartVersionEntry[]>();
  if (entries === null) return index;
  for (const [name, list] of Object.entries(entries as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const versions: ChartVersionEntry[] = [];
    for (const item of list) {
      const entry = entryOf(item);
      if (entry) versions.push(entry);
    }
    index.set(name, versions);
  }
  return index;
}

function entryOf(item: unknown): ChartVersionEntry | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const { version, digest, urls, created } = item as Record<string, unknown>;
  if (typeof version !== "string" || !Array.isArray(urls)) return undefined;
  const hex = typeof digest === "string" ? HEX_DIGEST.exec(digest)?.[1] : undefined;
  return {
    version,
    urls: urls.filter((u): u is string => typeof u === "string" && u !== ""),
    ...(hex ? { digest: `sha256:${hex}` } : {}),
    ...(typeof created === "string" ? { created } : created instanceof Date ? { created: created.toISOString() } : {}),
  };
}
