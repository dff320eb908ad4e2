// The document as SOPS sees it: ordered maps (keys and comments in document order), lists, and
// Go-typed scalars. Every store parses into this tree and the decryption walk works on it alone, so the
// walk order (the MAC order) never depends on how JavaScript orders object keys.

/** A scalar with the Go type SOPS gives it. */
export type GoScalar =
  | {
      kind: "str";
      value: string /** exact bytes when they came out of decryption (may not be UTF-8) */;
      raw?: Uint8Array;
    }
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "bool"; value: boolean }
  /** `value` is Go's RFC 3339 text with nanoseconds (`MarshalText`). */
  | { kind: "time"; value: string }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "null" };

export interface TreeLeaf {
  kind: "leaf";
  value: GoScalar;
}

/** One comment line, without its `#`. */
export interface TreeComment {
  kind: "comment";
  text: string;
  /** Set when the comment was an encrypted list item (SOPS writes comments in lists that way). */
  from?: TreeLeaf;
}

export interface TreePair {
  kind: "pair";
  key: string;
  value: TreeNode;
}

export interface TreeMap {
  kind: "map";
  entries: Array<TreePair | TreeComment>;
}

export interface TreeList {
  kind: "list";
  items: Array<TreeNode | TreeComment>;
}

export type TreeNode = TreeLeaf | TreeMap | TreeList;

/** A plain JavaScript value of a decrypted tree: what a YAML or JSON parser would have given. Comments are dropped. */
export function treeToPlain(node: TreeNode): unknown {
  switch (node.kind) {
    case "map": {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) {
        if (entry.kind === "pair") out[entry.key] = treeToPlain(entry.value);
      }
      return out;
    }
    case "list":
      return node.items.filter((item) => item.kind !== "comment").map((item) => treeToPlain(item as TreeNode));
    case "leaf":
      return scalarToPlain(node.value);
  }
}

function scalarToPlain(s: GoScalar): unknown {
  switch (s.kind) {
    case "str":
    case "time":
    case "float":
    case "bool":
      return s.value;
    case "int":
      // Numbers beyond 2^53 lose precision here, as in any JavaScript YAML/JSON parser; the plaintext keeps them exact.
      return Number(s.value);
    case "bytes":
      return new TextDecoder().decode(s.value);
    case "null":
      return null;
  }
}
