// The decryption walk: every leaf in document order (across all documents), decrypted when the
// selection rule says it is encrypted, its Go text fed into SHA-512; then the MAC is opened and compared.

import { createHash, timingSafeEqual } from "node:crypto";
import { SopsDecryptError, SopsFormatError, SopsMacError } from "./errors.js";
import { goBytes } from "./go-value.js";
import type { SopsMetadata } from "./metadata.js";
import { shouldBeEncrypted } from "./selection.js";
import type { TreeComment, TreeLeaf, TreeList, TreeMap, TreeNode } from "./tree.js";
import { decodeOpened, looksEncrypted, openValue, parseEncryptedValue, ValueCipherError } from "./value-cipher.js";

export interface TreeDecryption {
  /** Things worth telling the user that did not stop decryption (a comment that would not decrypt). */
  warnings: string[];
}

/** SOPS's MACOnlyEncryptedInitialization: SHA-256("sops"), hashed first when `mac_only_encrypted` is set. */
const MAC_ONLY_ENCRYPTED_INIT = createHash("sha256").update("sops").digest();

function describePath(path: readonly string[]): string {
  return path.length === 0 ? "the top level" : JSON.stringify(path.join("."));
}

function aadOf(path: readonly string[]): string {
  return `${path.join(":")}:`;
}

class Walker {
  readonly hash = createHash("sha512");
  readonly warnings: string[] = [];

  constructor(
    private readonly meta: SopsMetadata,
    private readonly key: Uint8Array,
    private readonly file: string,
  ) {
    if (meta.macOnlyEncrypted) this.hash.update(MAC_ONLY_ENCRYPTED_INIT);
  }

  map(node: TreeMap, path: string[], stack: string[][]): void {
    const level: string[] = [];
    const inner = [...stack, level];
    const candidates = commentCandidates(node, path);
    for (const entry of node.entries) {
      if (entry.kind === "comment") {
        const original = entry.text;
        this.comment(entry, path, inner, candidates);
        level.push(original);
        continue;
      }
      this.node(entry.value, [...path, entry.key], inner);
      level.length = 0;
    }
  }

  list(node: TreeList, path: string[], stack: string[][]): void {
    const candidates = commentCandidates(node, path);
    node.items.forEach((item, index) => {
      if (item.kind === "comment") {
        this.comment(item, path, stack, candidates);
      } else if (item.kind === "leaf") {
        const opened = this.leaf(item, path, stack);
        // SOPS writes a comment inside a list as an encrypted list item of type comment.
        if (opened !== "value") node.items[index] = { kind: "comment", text: opened.text, from: item };
      } else {
        this.node(item, path, stack);
      }
    });
  }

  node(node: TreeNode, path: string[], stack: string[][]): void {
    if (node.kind === "map") this.map(node, path, stack);
    else if (node.kind === "list") this.list(node, path, stack);
    else if (this.leaf(node, path, stack) !== "value") {
      throw new SopsFormatError(this.file, `the value at ${describePath(path)} is an encrypted comment`);
    }
  }

  /** Decrypts one leaf in place and hashes it; an encrypted comment found as a value is returned for the caller to place. */
  leaf(node: TreeLeaf, path: string[], stack: string[][]): "value" | { text: string } {
    if (node.value.kind === "null") return "value";
    const encrypted = shouldBeEncrypted(this.meta.rule, path, stack);
    if (encrypted && node.value.kind !== "str") {
      throw new SopsDecryptError(
        this.file,
        `the ${node.value.kind} value at ${describePath(path)} is not encrypted, but the file's rules say it should be`,
      );
    }
    if (encrypted && node.value.kind === "str" && node.value.value !== "") {
      const opened = this.open(node.value.value, path);
      if (opened.kind === "comment") return { text: opened.text };
      node.value = opened.value;
    }
    if (!this.meta.macOnlyEncrypted || encrypted) this.hash.update(goBytes(node.value));
    return "value";
  }

  private open(text: string, path: string[]): ReturnType<typeof decodeOpened> {
    try {
      const value = parseEncryptedValue(text);
      return decodeOpened(value.type, openValue(value, this.key, aadOf(path)));
    } catch (cause) {
      const reason = cause instanceof ValueCipherError ? cause.message : "it could not be decrypted";
      throw new SopsDecryptError(this.file, `the value at ${describePath(path)} cannot be decrypted: ${reason}`, {
        cause,
      });
    }
  }

  comment(node: TreeComment, path: string[], stack: string[][], candidates: string[][]): void {
    if (!shouldBeEncrypted(this.meta.rule, path, stack) || !looksEncrypted(node.text)) return;
    let value: ReturnType<typeof parseEncryptedValue>;
    try {
      value = parseEncryptedValue(node.text);
    } catch {
      this.warnings.push(`a comment under ${describePath(path)} looks encrypted but is malformed; it is kept as it is`);
      return;
    }
    // The AAD is the path of the map or list that holds the comment. YAML parsers disagree about which
    // collection a comment between two indentation levels belongs to, so the neighbours are tried too;
    // the GCM tag decides.
    for (const candidate of [path, ...candidates]) {
      try {
        const opened = decodeOpened(value.type, openValue(value, this.key, aadOf(candidate)));
        if (opened.kind === "comment") {
          node.text = opened.text;
          return;
        }
      } catch {
        // next candidate
      }
    }
    // SOPS keeps a comment it cannot decrypt as it is (comments are outside the MAC).
    this.warnings.push(`a comment under ${describePath(path)} could not be decrypted; it is kept as it is`);
  }
}

/** Paths a comment in `node` may have been encrypted under besides its own: the ancestors, then the child collections. */
function commentCandidates(node: TreeMap | TreeList, path: string[]): string[][] {
  const out: string[][] = [];
  for (let i = path.length - 1; i >= 0; i--) out.push(path.slice(0, i));
  const maps = node.kind === "map" ? [node] : node.items.filter((i): i is TreeMap => i.kind === "map");
  for (const map of maps) {
    for (const entry of map.entries) {
      if (entry.kind === "pair" && entry.value.kind !== "leaf") out.push([...path, entry.key]);
    }
  }
  return out;
}

/** Decrypts every document in place and verifies the MAC over all of them. */
export function decryptTree(documents: TreeMap[], meta: SopsMetadata, key: Uint8Array, file: string): TreeDecryption {
  const walker = new Walker(meta, key, file);
  for (const doc of documents) walker.map(doc, [], []);
  verifyMac(walker.hash.digest("hex").toUpperCase(), meta, key, file);
  return { warnings: walker.warnings };
}

function verifyMac(computed: string, meta: SopsMetadata, key: Uint8Array, file: string): void {
  if (meta.mac === undefined) {
    throw new SopsMacError(file, "the file has no MAC, so its values cannot be authenticated; bosun refuses it");
  }
  let stored: string;
  try {
    const value = parseEncryptedValue(meta.mac);
    const opened = decodeOpened(value.type, openValue(value, key, meta.macAad));
    if (opened.kind !== "value" || opened.value.kind !== "str") throw new ValueCipherError("the MAC is not a string");
    stored = opened.value.value;
  } catch (cause) {
    throw new SopsMacError(
      file,
      "the MAC does not decrypt under the data key and lastmodified: the MAC or lastmodified was tampered with",
      { cause },
    );
  }
  const a = Buffer.from(stored, "utf8");
  const b = Buffer.from(computed, "utf8");
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new SopsMacError(file, "MAC mismatch: the values do not match the file's MAC, so the file was tampered with");
  }
}
