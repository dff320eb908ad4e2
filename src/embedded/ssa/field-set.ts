// A set of field paths, the data behind `managedFields[].fieldsV1`. A path is a list of encoded path
// elements exactly as fieldsV1 spells them: `f:<field>`, `k:<json of the key fields>` for an item of an
// associative list, `v:<json>` for an item of a set, `i:<index>` for an item of an atomic-free list.
// In fieldsV1 a node that is itself in the set and has children carries a "." entry.

import { isRecord, type JsonRecord } from "../../api/index.js";

export type PathElement = string;
export type FieldPath = readonly PathElement[];

export class FieldSet {
  private readonly children = new Map<PathElement, FieldSet>();
  private member = false;

  static fromPaths(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Reads a fieldsV1 object; malformed parts are ignored (managedFields is data other programs wrote). */
  static fromFieldsV1(json: unknown): FieldSet {
    const set = new FieldSet();
    set.readFieldsV1(json);
    return set;
  }

  private readFieldsV1(json: unknown): void {
    if (!isRecord(json)) return;
    for (const [element, child] of Object.entries(json)) {
      if (element === ".") {
        this.member = true;
        continue;
      }
      const node = this.child(element);
      if (isRecord(child) && Object.keys(child).length > 0) node.readFieldsV1(child);
      else node.member = true;
    }
  }

  toFieldsV1(): JsonRecord {
    const out: JsonRecord = {};
    const keys = [...this.children.keys()].sort();
    if (this.member && keys.length > 0) out["."] = {};
    for (const k of keys) {
      const child = this.children.get(k);
      if (child && !child.isEmpty()) out[k] = child.toFieldsV1();
    }
    return out;
  }

  private child(element: PathElement): FieldSet {
    let node = this.children.get(element);
    if (!node) {
      node = new FieldSet();
      this.children.set(element, node);
    }
    return node;
  }

  insert(path: FieldPath): void {
    let node: FieldSet = this;
    for (const element of path) node = node.child(element);
    node.member = true;
  }

  has(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (const element of path) {
      node = node.children.get(element);
      if (!node) return false;
    }
    return node.member;
  }

  /** True when the path or anything below it is in the set. */
  hasPrefix(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (const element of path) {
      node = node.children.get(element);
      if (!node) return false;
    }
    return !node.isEmpty();
  }

  isEmpty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  /** Every member path, depth first in sorted order. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: FieldSet, prefix: PathElement[]) => {
      if (node.member) out.push(prefix);
      for (const k of [...node.children.keys()].sort()) {
        const c = node.children.get(k);
        if (c) walk(c, [...prefix, k]);
      }
    };
    walk(this, []);
    return out;
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.fromPaths([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.fromPaths(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.fromPaths(this.paths().filter((p) => other.has(p)));
  }

  /** Paths of this set at or below a prefix. */
  filter(keep: (path: FieldPath) => boolean): FieldSet {
    return FieldSet.fromPaths(this.paths().filter(keep));
  }
}

/** `.spec.template.spec.containers[name="web"].image`: how conflict messages name a path. */
export function describePath(path: FieldPath): string {
  return path
    .map((element) => {
      const kind = element.slice(0, 2);
      const rest = element.slice(2);
      if (kind === "f:") return `.${rest}`;
      if (kind === "i:") return `[${rest}]`;
      if (kind === "v:") return `[=${rest}]`;
      if (kind === "k:") {
        const key: unknown = JSON.parse(rest);
        if (!isRecord(key)) return `[${rest}]`;
        const parts = Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
        return `[${parts.join(",")}]`;
      }
      return element;
    })
    .join("");
}
