// SOPS YAML files (one or more documents). The `yaml` package parses with the failsafe schema, so
// every scalar comes back as its source text and go-yaml's own typing rules (go-yaml-resolve.ts) decide
// what the MAC sees. Decrypted values and comments are written back into the same syntax tree, so the
// plaintext keeps the file's layout; every typed plain scalar is rewritten in the form SOPS prints
// (`0x1F` → `31`, `2024-01-02` → `2024-01-02T00:00:00Z`) so a YAML 1.2 reader gets SOPS's values.

import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { SopsFormatError, SopsUnsupportedError } from "./errors.js";
import { formatFloatG } from "./go-number.js";
import { plainWouldNotBeString, resolvePlainScalar, resolveTaggedScalar, UnsignedIntError } from "./go-yaml-resolve.js";
import type { ParsedSopsFile } from "./store.js";
import type { GoScalar, TreeComment, TreeLeaf, TreeList, TreeMap, TreeNode } from "./tree.js";

const STR_TAG = "tag:yaml.org,2002:str";
/** Guards against alias chains that expand without end (a "billion laughs" document). */
const MAX_ALIAS_EXPANSIONS = 1000;

type CommentOwner = { commentBefore?: string | null; comment?: string | null };

interface CommentSlot {
  owner: CommentOwner;
  prop: "commentBefore" | "comment";
  lines: string[];
  entries: Array<{ comment: TreeComment; line: number }>;
}

function describePath(path: readonly string[]): string {
  return path.length === 0 ? "the top level" : JSON.stringify(path.join("."));
}

/** Builds the tree of one parsed document and remembers where each leaf and comment came from. */
class Builder {
  readonly leaves = new Map<TreeLeaf, Scalar>();
  readonly slots: CommentSlot[] = [];
  readonly lists: Array<{ tree: TreeList; seq: YAMLSeq }> = [];
  private aliasExpansions = 0;

  constructor(
    private readonly doc: Document,
    private readonly file: string,
  ) {}

  /** One comment entry per non-empty line of a comment slot; `track` is false under an alias (its target is written once). */
  comments(owner: CommentOwner | null | undefined, prop: "commentBefore" | "comment", track: boolean): TreeComment[] {
    const text = owner?.[prop];
    if (!owner || typeof text !== "string" || text === "") return [];
    const slot: CommentSlot = { owner, prop, lines: text.split("\n"), entries: [] };
    const out: TreeComment[] = [];
    slot.lines.forEach((line, index) => {
      if (line === "") return;
      const comment: TreeComment = { kind: "comment", text: line };
      slot.entries.push({ comment, line: index });
      out.push(comment);
    });
    if (track) this.slots.push(slot);
    return out;
  }

  scalar(node: Scalar, path: readonly string[]): GoScalar {
    const raw = node.value;
    if (raw instanceof Uint8Array) return { kind: "str", value: new TextDecoder().decode(raw), raw };
    const text = typeof raw === "string" ? raw : String(raw);
    if (node.tag && node.tag !== STR_TAG) {
      const resolved = resolveTaggedScalar(node.tag, text);
      if (!resolved)
        throw new SopsFormatError(this.file, `the value at ${describePath(path)} does not match its tag ${node.tag}`);
      return resolved;
    }
    if (node.tag === STR_TAG || node.type !== "PLAIN") return { kind: "str", value: text };
    try {
      return resolvePlainScalar(text);
    } catch (cause) {
      if (cause instanceof UnsignedIntError) {
        throw new SopsUnsupportedError(
          this.file,
          `the value at ${describePath(path)} is an integer beyond the signed 64-bit range, which SOPS cannot handle`,
        );
      }
      throw cause;
    }
  }

  key(key: unknown, path: readonly string[]): string {
    const node = isAlias(key) ? this.resolveAlias(key) : key;
    if (isScalar(node)) {
      const value = this.scalar(node, path);
      if (value.kind === "str") return value.value;
      throw new SopsFormatError(
        this.file,
        `a key under ${describePath(path)} is a ${value.kind}; SOPS supports string keys only`,
      );
    }
    throw new SopsFormatError(
      this.file,
      `a key under ${describePath(path)} is not a scalar; SOPS supports string keys only`,
    );
  }

  resolveAlias(alias: Alias): unknown {
    this.aliasExpansions += 1;
    if (this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
      throw new SopsFormatError(this.file, `the document expands more than ${MAX_ALIAS_EXPANSIONS} aliases`);
    }
    const target = alias.resolve(this.doc);
    if (target === undefined) throw new SopsFormatError(this.file, `the alias *${alias.source} has no anchor`);
    return target;
  }

  value(node: unknown, path: string[], track: boolean): TreeNode {
    if (node === null || node === undefined) return { kind: "leaf", value: { kind: "null" } };
    if (isAlias(node)) return this.value(this.resolveAlias(node), path, false);
    if (isMap(node)) return this.map(node, path, track);
    if (isSeq(node)) return this.seq(node, path, track);
    if (isScalar(node)) {
      const leaf: TreeLeaf = { kind: "leaf", value: this.scalar(node, path) };
      if (track) this.leaves.set(leaf, node);
      return leaf;
    }
    throw new SopsFormatError(this.file, `the value at ${describePath(path)} is not a YAML scalar, map or list`);
  }

  /** The comments SOPS attaches before an item: those of a scalar or alias value (a collection keeps its own). */
  valueComments(node: unknown, track: boolean): TreeComment[] {
    if (!isScalar(node) && !isAlias(node)) return [];
    return [...this.comments(node, "commentBefore", track), ...this.comments(node, "comment", track)];
  }

  map(node: YAMLMap, path: string[], track: boolean): TreeMap {
    const entries: TreeMap["entries"] = [...this.comments(node, "commentBefore", track)];
    for (const pair of node.items) {
      const key = this.key(pair.key, path);
      if (isScalar(pair.key)) {
        entries.push(...this.comments(pair.key, "commentBefore", track), ...this.comments(pair.key, "comment", track));
      }
      entries.push(...this.valueComments(pair.value, track));
      entries.push({ kind: "pair", key, value: this.value(pair.value, [...path, key], track) });
    }
    entries.push(...this.comments(node, "comment", track));
    return { kind: "map", entries };
  }

  seq(node: YAMLSeq, path: string[], track: boolean): TreeList {
    const items: TreeList["items"] = [...this.comments(node, "commentBefore", track)];
    for (const item of node.items) {
      items.push(...this.valueComments(item, track));
      items.push(this.value(item, path, track));
    }
    items.push(...this.comments(node, "comment", track));
    const tree: TreeList = { kind: "list", items };
    if (track) this.lists.push({ tree, seq: node });
    return tree;
  }

  /** Writes the (decrypted) tree back into the syntax tree: values, comment lines, list-item comments. */
  writeBack(): void {
    for (const [leaf, node] of this.leaves) writeScalar(node, leaf.value, node.type === "PLAIN");
    for (const slot of this.slots) {
      for (const { comment, line } of slot.entries) slot.lines[line] = comment.text;
      slot.owner[slot.prop] = slot.lines.join("\n");
    }
    for (const { tree, seq } of this.lists) {
      for (const item of tree.items) {
        const source = item.kind === "comment" && item.from ? this.leaves.get(item.from) : undefined;
        if (item.kind === "comment" && source) placeListComment(seq, source, item.text);
      }
    }
  }

  document(): { tree: TreeMap; metadata: unknown } {
    const contents = this.doc.contents;
    const head = this.comments(this.doc, "commentBefore", true);
    if (contents === null || contents === undefined) {
      return {
        tree: { kind: "map", entries: [...head, ...this.comments(this.doc, "comment", true)] },
        metadata: undefined,
      };
    }
    if (!isMap(contents)) {
      throw new SopsFormatError(
        this.file,
        "a YAML document is not a map; SOPS supports documents whose top level is a map",
      );
    }
    let metadata: unknown;
    const index = contents.items.findIndex((pair) => this.key(pair.key, []) === "sops");
    if (index >= 0) {
      const value = contents.items[index]?.value;
      metadata = isMap(value) || isSeq(value) || isScalar(value) ? value.toJS(this.doc) : undefined;
      contents.items.splice(index, 1);
    }
    const tree = this.map(contents, [], true);
    tree.entries.unshift(...head);
    tree.entries.push(...this.comments(this.doc, "comment", true));
    return { tree, metadata };
  }
}

/** YAML text of a float that a YAML reader takes back as a float: go-yaml's form, with `.0` when it would read as an int. */
function yamlFloat(v: number): string {
  if (Number.isNaN(v)) return ".nan";
  if (v === Number.POSITIVE_INFINITY) return ".inf";
  if (v === Number.NEGATIVE_INFINITY) return "-.inf";
  const text = formatFloatG(v);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function writeScalar(node: Scalar, value: GoScalar, wasPlain: boolean): void {
  switch (value.kind) {
    case "null":
      return;
    case "str":
      if (!wasPlain && !node.tag) return;
      node.value = value.value;
      node.tag = undefined;
      node.type = plainWouldNotBeString(value.value) ? "QUOTE_DOUBLE" : undefined;
      return;
    case "bytes":
      node.value = Buffer.from(value.value).toString("base64");
      node.tag = "tag:yaml.org,2002:binary";
      node.type = "PLAIN";
      return;
    default:
      node.value =
        value.kind === "float"
          ? yamlFloat(value.value)
          : value.kind === "bool"
            ? String(value.value)
            : value.value.toString();
      node.tag = undefined;
      node.type = "PLAIN";
  }
}

/** Moves a decrypted list-item comment out of the list, onto the next item (or the end of the list). */
function placeListComment(seq: YAMLSeq, node: Scalar, text: string): void {
  const index = seq.items.indexOf(node);
  if (index < 0) return;
  seq.items.splice(index, 1);
  const next = seq.items[index] as CommentOwner | undefined;
  if (next && typeof next === "object") {
    next.commentBefore = next.commentBefore ? `${text}\n${next.commentBefore}` : text;
  } else {
    seq.comment = seq.comment ? `${seq.comment}\n${text}` : text;
  }
}

/** Parses SOPS YAML. Parse errors name a line and column, never the text there. */
export function parseYamlFile(content: string, file: string): ParsedSopsFile {
  const docs = parseAllDocuments(content, { schema: "failsafe", uniqueKeys: false });
  if (!Array.isArray(docs)) throw new SopsFormatError(file, "the YAML stream could not be parsed");
  const builders: Builder[] = [];
  const documents: TreeMap[] = [];
  let metadata: unknown;
  docs.forEach((doc, index) => {
    const error = doc.errors[0];
    if (error) {
      const where = error.linePos?.[0];
      const at = where ? ` at line ${where.line}, column ${where.col}` : "";
      throw new SopsFormatError(file, `YAML document ${index + 1} is not valid YAML (${error.code}${at})`);
    }
    const builder = new Builder(doc, file);
    const { tree, metadata: docMetadata } = builder.document();
    if (index === 0) metadata = docMetadata;
    builders.push(builder);
    documents.push(tree);
  });
  return {
    documents,
    metadata,
    emit(): string {
      for (const builder of builders) builder.writeBack();
      return docs.map((doc) => doc.toString({ lineWidth: 0 })).join("");
    },
  };
}
