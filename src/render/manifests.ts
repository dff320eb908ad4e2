// YAML (and JSON) streams → Kubernetes objects. YAML 1.2 core schema with merge keys, as kustomize reads it;
// multi-document; empty documents skipped; `*List` kinds flattened. A document that is not a mapping, lacks
// kind, apiVersion or metadata.name, or does not parse, is a RenderError naming the file and line.
import { type Document, LineCounter, parseAllDocuments, parseDocument } from "yaml";
import type { KubeObject } from "../api/index.js";
import { RenderError } from "./errors.js";
import type { RenderedDocument } from "./types.js";

const PARSE_OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: true } as const;
const MAX_ALIASES = 100;

export interface ManifestSource {
  /** The file the text came from (relative to the repository root), for messages. */
  file?: string;
  /** What the text is when it is not a file, e.g. `kustomize build output`. */
  origin?: string;
  /**
   * For tool output: the file a document came from, from the comment before it (helm's `# Source:`).
   * Lines are then not reported, since they would be lines of the output, not of that file.
   */
  fileOfComment?: (comment: string) => string | undefined;
}

interface Site {
  file: string | undefined;
  /** Line numbers of this text are lines of `file`. */
  lines: boolean;
  origin: string | undefined;
}

function fail(site: Site, detail: string, line: number | undefined, cause?: unknown): never {
  const where = site.file === undefined && site.origin !== undefined ? `${site.origin}: ` : "";
  const lineOf = site.lines ? line : undefined;
  const lineText = !site.lines && line !== undefined && site.file === undefined ? ` (line ${line})` : "";
  throw new RenderError(`${where}${detail}${lineText}`, { file: site.file, line: lineOf, cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a sequence";
  if (value === null) return "null";
  return `a ${typeof value}`;
}

/** Check that a value has a kind and an apiVersion. */
function asTyped(value: unknown, site: Site, line: number | undefined, what: string): TypedValue {
  if (!isRecord(value)) fail(site, `${what} is not a mapping but ${describeValue(value)}`, line);
  for (const field of ["apiVersion", "kind"] as const) {
    const v = value[field];
    if (typeof v !== "string" || v === "") fail(site, `${what} has no ${field}`, line);
  }
  return value as TypedValue;
}

interface TypedValue extends Record<string, unknown> {
  apiVersion: string;
  kind: string;
}

/** Check that a value is a Kubernetes object (kind, apiVersion, metadata.name); returns it typed. */
function asObject(value: unknown, site: Site, line: number | undefined, what: string): KubeObject {
  const typed = asTyped(value, site, line, what);
  const metadata = typed.metadata;
  if (!isRecord(metadata)) fail(site, `${what} (kind ${typed.kind}) has no metadata`, line);
  const named = [metadata.name, metadata.generateName].some((n) => typeof n === "string" && n !== "");
  if (!named) fail(site, `${what} (kind ${typed.kind}) has no metadata.name`, line);
  return typed as KubeObject;
}

function lineAt(counter: LineCounter, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

function nodeLine(doc: Document, counter: LineCounter, path: Array<string | number>): number | undefined {
  const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (typeof node !== "object" || node === null || !("range" in node)) return undefined;
  const range = (node as { range?: [number, number, number] | null }).range;
  return lineAt(counter, range?.[0]);
}

/** Parse one YAML document (a config file such as a kustomization or Chart.yaml) into a mapping. */
export function parseConfigFile(
  text: string,
  file: string,
): { value: Record<string, unknown>; lineOf: (path: Array<string | number>) => number | undefined } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: counter });
  const site: Site = { file, lines: true, origin: undefined };
  const error = doc.errors[0];
  if (error) fail(site, `YAML syntax error: ${error.message}`, lineAt(counter, error.pos[0]), error);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (cause) {
    fail(site, `YAML cannot be read: ${(cause as Error).message}`, undefined, cause);
  }
  if (value === null || value === undefined) value = {};
  if (!isRecord(value)) fail(site, `expected a mapping, found ${describeValue(value)}`, nodeLine(doc, counter, []));
  return { value, lineOf: (path) => nodeLine(doc, counter, path) };
}

function commentOf(doc: Document): string {
  const contents = doc.contents as { commentBefore?: string | null } | null;
  return [doc.commentBefore, contents?.commentBefore].filter((c): c is string => typeof c === "string").join("\n");
}

/** Every object in a YAML stream, in order. Throws on the first bad document: nothing is half-returned. */
export function parseManifests(text: string, source: ManifestSource): RenderedDocument[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: counter });
  const out: RenderedDocument[] = [];
  let index = 0;
  for (const doc of docs) {
    index += 1;
    const commentFile = source.fileOfComment?.(commentOf(doc));
    const file = commentFile ?? source.file;
    const site: Site = { file, lines: commentFile === undefined && source.file !== undefined, origin: source.origin };
    const error = doc.errors[0];
    if (error) fail(site, `YAML syntax error: ${error.message}`, lineAt(counter, error.pos[0]), error);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (cause) {
      fail(site, `document ${index} cannot be read: ${(cause as Error).message}`, nodeLine(doc, counter, []), cause);
    }
    if (value === null || value === undefined) continue;
    const line = nodeLine(doc, counter, []);
    const typed = asTyped(value, site, line, `document ${index}`);
    const items = typed.items;
    if (typed.kind.endsWith("List") && Array.isArray(items)) {
      items.forEach((item: unknown, i) => {
        const itemLine = nodeLine(doc, counter, ["items", i]) ?? line;
        const entry = asObject(item, site, itemLine, `item ${i} of ${typed.kind} (document ${index})`);
        out.push(file === undefined ? { object: entry } : { file, object: entry });
      });
      continue;
    }
    const object = asObject(typed, site, line, `document ${index}`);
    out.push(file === undefined ? { object } : { file, object });
  }
  return out;
}
