// Decrypting one SOPS file: parse it into trees, unwrap the data key, decrypt and authenticate every
// value (the MAC), write the plaintext back out.

import { parseAllDocuments } from "yaml";
import { parseBinaryFile } from "./binary-store.js";
import { type PreparedKeys, prepareKeys, type SopsKeys, unwrapDataKey } from "./data-key.js";
import { decryptTree } from "./decrypt-tree.js";
import { parseDotenvFile } from "./dotenv-store.js";
import { SopsFormatError } from "./errors.js";
import { parseJsonFile } from "./json-store.js";
import { looksLikeSopsMetadata, parseMetadata } from "./metadata.js";
import type { ParsedSopsFile } from "./store.js";
import { treeToPlain } from "./tree.js";
import { parseYamlFile } from "./yaml-store.js";

export type SopsFormat = "yaml" | "json" | "dotenv" | "binary";

export interface DecryptSopsOptions {
  content: string | Uint8Array;
  format: SopsFormat;
  /** Names the file in errors (a path in the repository); `<input>` when not given. */
  file?: string;
  keys: SopsKeys;
}

export interface SopsDecryptResult {
  /** The decrypted file: text for yaml, json and dotenv, the exact bytes for binary. */
  plaintext: string | Uint8Array;
  /**
   * The decrypted documents as plain values (comments dropped): one per YAML document, the object for
   * JSON, a string map for dotenv, none for binary. Integers beyond 2^53 lose precision here only.
   */
  documents: unknown[];
  /** The age recipient or PGP fingerprint whose entry gave the data key. */
  unwrappedBy: string;
  /** What did not stop decryption but is worth telling (a comment that would not decrypt). */
  warnings: string[];
}

const DEFAULT_FILE = "<input>";

function asText(content: string | Uint8Array, file: string): string {
  if (typeof content === "string") return content;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    throw new SopsFormatError(file, "the file is not UTF-8 text");
  }
}

export function parseSopsFile(content: string | Uint8Array, format: SopsFormat, file: string): ParsedSopsFile {
  const text = asText(content, file);
  switch (format) {
    case "yaml":
      return parseYamlFile(text, file);
    case "json":
      return parseJsonFile(text, file);
    case "dotenv":
      return parseDotenvFile(text, file);
    case "binary":
      return parseBinaryFile(text, file);
  }
}

/** Decrypts a parsed file with keys parsed beforehand (the render hook parses them once). */
export async function decryptParsed(
  parsed: ParsedSopsFile,
  keys: PreparedKeys,
  file: string,
): Promise<{ unwrappedBy: string; warnings: string[] }> {
  if (parsed.metadata === undefined) {
    throw new SopsFormatError(file, "is not SOPS-encrypted: it has no sops metadata");
  }
  const meta = parseMetadata(parsed.metadata, file);
  const { key, unwrappedBy } = await unwrapDataKey(meta, keys, file);
  const { warnings } = decryptTree(parsed.documents, meta, key, file);
  return { unwrappedBy, warnings };
}

/** Decrypts a SOPS file; refuses a file without a valid MAC, and one no given key opens. */
export async function decryptSops(options: DecryptSopsOptions): Promise<SopsDecryptResult> {
  const file = options.file ?? DEFAULT_FILE;
  const parsed = parseSopsFile(options.content, options.format, file);
  const { unwrappedBy, warnings } = await decryptParsed(parsed, await prepareKeys(options.keys), file);
  const plaintext = parsed.emit();
  const documents = options.format === "binary" ? [] : parsed.documents.map((d) => treeToPlain(d));
  return { plaintext, documents, unwrappedBy, warnings };
}

function hasSopsBlock(value: unknown): boolean {
  return typeof value === "object" && value !== null && looksLikeSopsMetadata((value as Record<string, unknown>).sops);
}

/** Whether content carries SOPS metadata (a `sops` map with SOPS's fields, or `sops_` dotenv lines). Never throws. */
export function isSopsEncrypted(content: string | Uint8Array, format: SopsFormat): boolean {
  let text: string;
  try {
    text = typeof content === "string" ? content : new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return false;
  }
  try {
    switch (format) {
      case "yaml": {
        const [first] = parseAllDocuments(text, { schema: "failsafe" });
        return first !== undefined && first.errors.length === 0 && hasSopsBlock(first.toJS());
      }
      case "json":
      case "binary":
        return hasSopsBlock(JSON.parse(text));
      case "dotenv":
        return /^sops_(?:mac|lastmodified|version|age__|pgp__|key_groups__)/m.test(text);
    }
  } catch {
    return false;
  }
}
