// Decoding the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`), which typed
// clients (`kubectl create deployment|job|secret…`, `kubectl auth can-i`, `kubectl drain`) send, into
// the JSON the rest of the server works with. Every message of the stable built-in group-versions is
// known from the published generated.proto files (api-schemas/, see schemas/bundle.ts).

import type { JsonRecord } from "../../api/index.js";
import { type KubernetesApiBundle, kubernetesApiBundle, type ProtoField } from "../schemas/bundle.js";
import { ProtobufError, readFields, readPackedVarints, type WireField } from "./wire.js";

const META = "k8s.io.apimachinery.pkg.apis.meta.v1";
const NUMERIC = new Set(["int32", "int64", "bool"]);

function fieldsOf(buf: Buffer | undefined): WireField[] {
  return buf ? readFields(buf) : [];
}

function varintField(buf: Buffer | undefined, number: number): number {
  let value = 0;
  for (const f of fieldsOf(buf)) if (f.number === number) value = f.varint ?? 0;
  return value;
}

function bytesField(buf: Buffer | undefined, number: number): Buffer | undefined {
  let value: Buffer | undefined;
  for (const f of fieldsOf(buf)) if (f.number === number) value = f.bytes;
  return value;
}

function rfc3339(seconds: number, nanos: number, digits: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = digits > 0 ? `.${String(Math.floor(nanos / 10 ** (9 - digits))).padStart(digits, "0")}` : "";
  return `${base}${fraction}Z`;
}

const UNITS: readonly [string, number][] = [
  ["h", 3600e9],
  ["m", 60e9],
];

/** time.Duration's String(): `1h2m3.5s`, `1.5ms`, `0s`. */
export function goDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return "0s";
  const sign = nanoseconds < 0 ? "-" : "";
  let rest = Math.abs(nanoseconds);
  if (rest < 1e3) return `${sign}${rest}ns`;
  if (rest < 1e6) return `${sign}${rest / 1e3}µs`;
  if (rest < 1e9) return `${sign}${rest / 1e6}ms`;
  let out = "";
  for (const [unit, size] of UNITS) {
    if (rest >= size || out) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return `${sign}${out}${Number((rest / 1e9).toFixed(9))}s`;
}

function rawJson(raw: Buffer | undefined, what: string): unknown {
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new ProtobufError(`${what} does not hold JSON`);
  }
}

/** Messages whose JSON form is not an object of their fields; undefined stands for an absent field. */
const SPECIAL: Readonly<Record<string, (buf: Buffer | undefined) => unknown>> = {
  [`${META}.Time`]: (buf) => {
    const seconds = varintField(buf, 1);
    return seconds === 0 ? undefined : rfc3339(seconds, 0, 0);
  },
  [`${META}.MicroTime`]: (buf) => {
    const seconds = varintField(buf, 1);
    return seconds === 0 ? undefined : rfc3339(seconds, varintField(buf, 2), 6);
  },
  [`${META}.Duration`]: (buf) => goDuration(varintField(buf, 1)),
  [`${META}.FieldsV1`]: (buf) => rawJson(bytesField(buf, 1), "FieldsV1"),
  "k8s.io.apimachinery.pkg.runtime.RawExtension": (buf) => rawJson(bytesField(buf, 1), "RawExtension"),
  "k8s.io.apimachinery.pkg.api.resource.Quantity": (buf) => bytesField(buf, 1)?.toString("utf8") || undefined,
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString": (buf) => {
    if (varintField(buf, 1) === 1) return bytesField(buf, 3)?.toString("utf8") ?? "";
    const value = varintField(buf, 2);
    return value === 0 ? undefined : value | 0;
  },
};

class Decoder {
  private readonly wrappers: ReadonlySet<string>;
  constructor(private readonly bundle: KubernetesApiBundle["protobuf"]) {
    this.wrappers = new Set(bundle.wrappers);
  }

  scalar(type: string, f: WireField): unknown {
    switch (type) {
      case "string":
        return (f.bytes ?? Buffer.alloc(0)).toString("utf8");
      case "bytes":
        return (f.bytes ?? Buffer.alloc(0)).toString("base64");
      case "bool":
        return f.varint !== 0;
      case "int32":
        return (f.varint ?? 0) | 0;
      case "int64":
        return f.varint ?? 0;
      case "double":
        return f.bytes?.length === 8 ? f.bytes.readDoubleLE(0) : 0;
      default:
        return this.message(type, f.bytes);
    }
  }

  message(type: string, buf: Buffer | undefined): unknown {
    const special = SPECIAL[type];
    if (special) return special(buf);
    const fields = this.bundle.messages[type];
    if (!fields) throw new ProtobufError(`unknown message ${type}`);
    if (this.wrappers.has(type)) return (this.object(fields, buf).items as unknown[] | undefined) ?? [];
    return this.object(fields, buf);
  }

  private object(fields: readonly ProtoField[], buf: Buffer | undefined): JsonRecord {
    const byId = new Map(fields.map((f) => [f.id, f]));
    const out: JsonRecord = {};
    for (const wire of fieldsOf(buf)) {
      const spec = byId.get(wire.number);
      if (spec) this.add(out, spec, wire);
    }
    return out;
  }

  private add(out: JsonRecord, spec: ProtoField, wire: WireField): void {
    if (spec.map) {
      const key = bytesField(wire.bytes, 1)?.toString("utf8") ?? "";
      const valueField = fieldsOf(wire.bytes).find((f) => f.number === 2) ?? { number: 2, wireType: 2 };
      const map = (out[spec.name] as JsonRecord | undefined) ?? {};
      map[key] = this.scalar(spec.type, valueField) ?? (spec.type === "string" ? "" : null);
      out[spec.name] = map;
      return;
    }
    if (spec.repeated) {
      const list = (out[spec.name] as unknown[] | undefined) ?? [];
      if (NUMERIC.has(spec.type) && wire.wireType === 2)
        for (const v of readPackedVarints(wire.bytes ?? Buffer.alloc(0)))
          list.push(this.scalar(spec.type, { number: wire.number, wireType: 0, varint: v }));
      else list.push(this.scalar(spec.type, wire));
      out[spec.name] = list;
      return;
    }
    const value = this.scalar(spec.type, wire);
    if (value === undefined) return;
    if (spec.inline && typeof value === "object" && value !== null) {
      Object.assign(out, value);
      return;
    }
    if (!spec.keepZero && (value === "" || value === 0 || value === false)) return;
    out[spec.name] = value;
  }
}

let decoder: Decoder | undefined;

/** The message a kind of an apiVersion is encoded as; meta kinds (DeleteOptions) are in every version. */
function messageOf(bundle: KubernetesApiBundle["protobuf"], apiVersion: string, kind: string): string | undefined {
  const pkg = bundle.packages[apiVersion];
  if (pkg && bundle.messages[`${pkg}.${kind}`]) return `${pkg}.${kind}`;
  if (bundle.messages[`${META}.${kind}`]) return `${META}.${kind}`;
  return undefined;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `k8s\0`-prefixed runtime.Unknown envelope; undefined when its kind has no protobuf form. */
export function decodeKubernetesProtobuf(body: Buffer): JsonRecord | undefined {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw new ProtobufError("not a Kubernetes protobuf message");
  let apiVersion = "";
  let kind = "";
  let raw: Buffer | undefined;
  for (const f of readFields(body.subarray(4))) {
    if (f.number === 1 && f.bytes) {
      for (const t of readFields(f.bytes)) {
        if (t.number === 1) apiVersion = t.bytes?.toString("utf8") ?? "";
        if (t.number === 2) kind = t.bytes?.toString("utf8") ?? "";
      }
    }
    if (f.number === 2) raw = f.bytes;
  }
  const bundle = kubernetesApiBundle().protobuf;
  const type = messageOf(bundle, apiVersion, kind);
  if (!type) return undefined;
  decoder ??= new Decoder(bundle);
  return { apiVersion, kind, ...(decoder.message(type, raw) as JsonRecord) };
}
