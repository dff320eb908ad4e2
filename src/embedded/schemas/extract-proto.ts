// Reading the Kubernetes API's protobuf messages from the sources k8s.io/api publishes: each package's
// generated.proto (field numbers and types) and its Go types (whether a field is a pointer or omitempty,
// which decides whether a zero value on the wire is a value or an absent field). generated.proto is
// written by go-to-protobuf in one regular shape (proto2, no nesting, no oneof), which is all read here.

import type { ProtoField, ProtoMessages } from "./bundle.js";

const SCALARS = new Set(["string", "bytes", "bool", "int32", "int64", "double"]);

export interface ParsedProto {
  /** The proto package, e.g. `k8s.io.api.apps.v1`. */
  package: string;
  messages: Record<string, ProtoField[]>;
}

function qualify(type: string, pkg: string): string {
  if (SCALARS.has(type)) return type;
  return type.startsWith(".") ? type.slice(1) : `${pkg}.${type}`;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

/** The messages of one generated.proto, keyed by fully qualified name. */
export function parseGeneratedProto(text: string, file: string): ParsedProto {
  const source = stripComments(text);
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(source)?.[1];
  if (!pkg) throw new Error(`${file}: no package statement`);
  const messages: Record<string, ProtoField[]> = {};
  for (const m of source.matchAll(/^message\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const fields: ProtoField[] = [];
    for (const line of (m[2] ?? "").split("\n")) {
      const trimmed = line.trim();
      if (trimmed === "") continue;
      const map = /^map<\s*(\S+)\s*,\s*(\S+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;$/.exec(trimmed);
      if (map) {
        if (map[1] !== "string") throw new Error(`${file}: ${m[1]}.${map[3]}: map key ${map[1]} is not a string`);
        fields.push({ id: Number(map[4]), name: map[3] as string, type: qualify(map[2] as string, pkg), map: true });
        continue;
      }
      const field = /^(optional|repeated)\s+(\S+)\s+(\w+)\s*=\s*(\d+)\s*;$/.exec(trimmed);
      if (!field) throw new Error(`${file}: ${m[1]}: cannot read the field "${trimmed}"`);
      const spec: ProtoField = {
        id: Number(field[4]),
        name: field[3] as string,
        type: qualify(field[2] as string, pkg),
      };
      if (field[1] === "repeated") spec.repeated = true;
      fields.push(spec);
    }
    messages[`${pkg}.${m[1]}`] = fields;
  }
  return { package: pkg, messages };
}

export interface GoFieldFacts {
  /** A pointer field: on the wire only when set, so its zero value is a value. */
  pointer: boolean;
  /** `omitempty` or `omitzero`: the JSON encoding drops its zero value. */
  omitEmpty: boolean;
}

export interface GoPackageFacts {
  /** Struct name → JSON field name → facts. */
  structs: Map<string, Map<string, GoFieldFacts>>;
  /** Struct name → protobuf names of embedded structs whose fields JSON inlines (`json:",inline"`). */
  inlined: Map<string, Set<string>>;
  /** Named slice types (`type ExtraValue []string`), encoded as a message holding `items`. */
  sliceTypes: Set<string>;
}

/** Struct fields and named slice types of one Go package's sources (gofmt'd, one field per line). */
export function readGoPackage(sources: readonly string[]): GoPackageFacts {
  const structs = new Map<string, Map<string, GoFieldFacts>>();
  const inlined = new Map<string, Set<string>>();
  const sliceTypes = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(/^type\s+(\w+)\s+\[\]/gm)) sliceTypes.add(m[1] as string);
    for (const m of source.matchAll(/^type\s+(\w+)\s+struct\s*\{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map<string, GoFieldFacts>();
      for (const f of (m[2] ?? "").matchAll(/^\s+\w+\s+(\*?)[^\s`]+\s+`([^`]*)`/gm)) {
        const json = /json:"([^"]*)"/.exec(f[2] ?? "")?.[1];
        if (!json) continue;
        const [name, ...options] = json.split(",");
        if (!name || name === "-") continue;
        fields.set(name, {
          pointer: f[1] === "*",
          omitEmpty: options.includes("omitempty") || options.includes("omitzero"),
        });
      }
      structs.set(m[1] as string, fields);
      const embedded = [...(m[2] ?? "").matchAll(/^\s+\*?(?:\w+\.)?(\w+)\s+`([^`]*)`/gm)].flatMap((e) => {
        const tag = e[2] ?? "";
        if (!/json:",inline/.test(tag) || !/protobuf:"/.test(tag)) return [];
        // Without `name=`, go-to-protobuf names the field after its type, lowerCamelCased.
        const type = e[1] ?? "";
        return [/protobuf:"[^"]*name=(\w+)/.exec(tag)?.[1] ?? `${type.charAt(0).toLowerCase()}${type.slice(1)}`];
      });
      if (embedded.length > 0) inlined.set(m[1] as string, new Set(embedded));
    }
  }
  return { structs, inlined, sliceTypes };
}

/**
 * Marks each scalar field whose zero value must be kept (a pointer, or a field the JSON encoding
 * writes even when empty), and returns the names of messages that stand for named slices.
 */
export function applyGoFacts(parsed: ParsedProto, facts: GoPackageFacts): string[] {
  const wrappers: string[] = [];
  for (const [fqn, fields] of Object.entries(parsed.messages)) {
    const name = fqn.slice(parsed.package.length + 1);
    if (facts.sliceTypes.has(name) && fields.length === 1 && fields[0]?.name === "items") {
      wrappers.push(fqn);
      continue;
    }
    const goFields = facts.structs.get(name);
    const inline = facts.inlined.get(name);
    for (const field of fields) {
      if (inline?.has(field.name)) field.inline = true;
      if (field.repeated || field.map || !SCALARS.has(field.type)) continue;
      const go = goFields?.get(field.name);
      if (go && (go.pointer || !go.omitEmpty)) field.keepZero = true;
    }
  }
  return wrappers;
}

export function mergeMessages(into: ProtoMessages, parsed: ParsedProto): void {
  for (const [fqn, fields] of Object.entries(parsed.messages)) into[fqn] = fields;
}
