// The directory renderer: every .yaml, .yml and .json file under the app path (recursively when asked), in
// sorted path order, each parsed as a multi-document stream. Symlinks are followed only inside the repository.
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { matchesGlob } from "./glob.js";
import { parseManifests } from "./manifests.js";
import type { RepoRoot } from "./repo-root.js";
import type { DirectorySpec, RenderedDocument } from "./types.js";

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

export interface DirectoryRenderOptions {
  root: RepoRoot;
  /** The app directory (real path, inside the root). */
  dir: string;
  spec: DirectorySpec;
  signal: AbortSignal;
}

interface ManifestFile {
  /** Relative to the app directory, `/`-separated: what include/exclude match and the sort key. */
  relative: string;
  real: string;
}

function isManifestName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function selected(relative: string, spec: DirectorySpec): boolean {
  if (spec.include && !matchesGlob(relative, spec.include)) return false;
  if (spec.exclude && matchesGlob(relative, spec.exclude)) return false;
  return true;
}

/** Whether an entry can be (or lead to) a manifest: only those are resolved and read. */
function mayHold(entry: Dirent, recurse: boolean): boolean {
  if (entry.isFile()) return isManifestName(entry.name);
  if (entry.isDirectory()) return recurse;
  if (entry.isSymbolicLink()) return recurse || isManifestName(entry.name);
  return false;
}

async function collect(
  options: DirectoryRenderOptions,
  dir: string,
  prefix: string,
  visited: Set<string>,
  out: ManifestFile[],
): Promise<void> {
  options.signal.throwIfAborted();
  visited.add(dir);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Hidden files and directories (.git, .github workflows, editor files) are never manifests.
    if (entry.name.startsWith(".")) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (!mayHold(entry, options.spec.recurse === true)) continue;
    // A file left out by include/exclude is never opened, not even to resolve a symlink.
    if (!entry.isDirectory() && isManifestName(entry.name) && !selected(relative, options.spec)) continue;
    const site = { what: "file", file: options.root.display(join(dir, entry.name)) };
    // Resolving checks every entry we may read, symlinks included, against the repository root.
    const resolved = await options.root.resolve(dir, entry.name, site);
    if (resolved.isDirectory) {
      if (options.spec.recurse && !visited.has(resolved.real))
        await collect(options, resolved.real, relative, visited, out);
    } else if (isManifestName(entry.name)) {
      out.push({ relative, real: resolved.real });
    }
  }
}

/** Render a directory of plain manifests. One bad file fails the whole render. */
export async function renderDirectory(options: DirectoryRenderOptions): Promise<RenderedDocument[]> {
  const files: ManifestFile[] = [];
  await collect(options, options.dir, "", new Set(), files);
  files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  const out: RenderedDocument[] = [];
  for (const f of files) {
    const text = await readFile(f.real, { encoding: "utf8", signal: options.signal });
    const display = options.root.display(join(options.dir, f.relative));
    out.push(...parseManifests(text, { file: display }));
  }
  return out;
}
