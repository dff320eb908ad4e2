// JSON pointers (RFC 6901): "/spec/template/spec/containers/0/image", with "~1" for "/" and "~0" for "~".

import { isRecord } from "../api/index.js";
import { JsonPointerError } from "./errors.js";

/** Encode one reference token: "~" → "~0", "/" → "~1". */
export function escapeToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The pointer of a path given as tokens; `[]` is the whole document (""). */
export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapeToken(String(t))}`).join("");
}

/** The tokens of a pointer. Throws `JsonPointerError` on anything RFC 6901 does not allow. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPointerError(pointer, 'must be empty or start with "/"');
  return pointer
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~(?![01])/.test(token)) throw new JsonPointerError(pointer, '"~" must be followed by 0 or 1');
      return token.replaceAll("~1", "/").replaceAll("~0", "~");
    });
}

/** An array index token: digits without a leading zero ("0", "12"), as RFC 6901 requires. */
export function arrayIndex(token: string, length: number): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return index < length ? index : undefined;
}

/** True when `ancestor` is a strict prefix of `pointer` on token boundaries ("/a" of "/a/b", not of "/ab"). */
export function isAncestorPointer(ancestor: string, pointer: string): boolean {
  return pointer.length > ancestor.length && pointer.startsWith(ancestor) && pointer[ancestor.length] === "/";
}

/** The value at `tokens`, or undefined when the path does not exist. */
export function valueAt(root: unknown, tokens: readonly string[]): unknown {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const i = arrayIndex(token, node.length);
      if (i === undefined) return undefined;
      node = node[i];
    } else if (isRecord(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * Remove the value at `tokens` from `root`, IN PLACE (callers pass their own copy). A path that does
 * not exist is not an error: an ignore rule names a field that may be absent. Returns whether it removed.
 */
export function removeInPlace(root: unknown, tokens: readonly string[]): boolean {
  const last = tokens.at(-1);
  if (last === undefined) return false;
  const parent = valueAt(root, tokens.slice(0, -1));
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length);
    if (i === undefined) return false;
    parent.splice(i, 1);
    return true;
  }
  if (isRecord(parent) && Object.hasOwn(parent, last)) {
    delete parent[last];
    return true;
  }
  return false;
}
