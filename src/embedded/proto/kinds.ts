// Decoding the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) of the few kinds
// kubectl creates through typed clients (`kubectl create namespace|configmap|secret|serviceaccount`)
// into the JSON the rest of the server works with. Other kinds are refused by the caller with 415.

import type { JsonRecord } from "../../api/index.js";
import { ProtobufError, readFields } from "./wire.js";

type Scalar = "string" | "bytes" | "int" | "bool";
type FieldType = Scalar | { message: Schema } | { map: "string" | "bytes" } | "time";
interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type Schema = Readonly<Record<number, FieldSpec>>;

const OWNER_REFERENCE: Schema = {
  1: { name: "kind", type: "string" },
  3: { name: "name", type: "string" },
  4: { name: "uid", type: "string" },
  5: { name: "apiVersion", type: "string" },
  6: { name: "controller", type: "bool" },
  7: { name: "blockOwnerDeletion", type: "bool" },
};

const OBJECT_META: Schema = {
  1: { name: "name", type: "string" },
  2: { name: "generateName", type: "string" },
  3: { name: "namespace", type: "string" },
  5: { name: "uid", type: "string" },
  6: { name: "resourceVersion", type: "string" },
  7: { name: "generation", type: "int" },
  8: { name: "creationTimestamp", type: "time" },
  11: { name: "labels", type: { map: "string" } },
  12: { name: "annotations", type: { map: "string" } },
  13: { name: "ownerReferences", type: { message: OWNER_REFERENCE }, repeated: true },
  14: { name: "finalizers", type: "string", repeated: true },
};

const NAME_ONLY: Schema = { 1: { name: "name", type: "string" } };
const OBJECT_REFERENCE: Schema = {
  1: { name: "kind", type: "string" },
  2: { name: "namespace", type: "string" },
  3: { name: "name", type: "string" },
  5: { name: "apiVersion", type: "string" },
};

const KINDS: Readonly<Record<string, Schema>> = {
  "v1/Namespace": {
    1: { name: "metadata", type: { message: OBJECT_META } },
    2: { name: "spec", type: { message: { 1: { name: "finalizers", type: "string", repeated: true } } } },
  },
  "v1/ConfigMap": {
    1: { name: "metadata", type: { message: OBJECT_META } },
    2: { name: "data", type: { map: "string" } },
    3: { name: "binaryData", type: { map: "bytes" } },
    4: { name: "immutable", type: "bool" },
  },
  "v1/Secret": {
    1: { name: "metadata", type: { message: OBJECT_META } },
    2: { name: "data", type: { map: "bytes" } },
    3: { name: "type", type: "string" },
    4: { name: "stringData", type: { map: "string" } },
    5: { name: "immutable", type: "bool" },
  },
  "v1/ServiceAccount": {
    1: { name: "metadata", type: { message: OBJECT_META } },
    2: { name: "secrets", type: { message: OBJECT_REFERENCE }, repeated: true },
    3: { name: "imagePullSecrets", type: { message: NAME_ONLY }, repeated: true },
    4: { name: "automountServiceAccountToken", type: "bool" },
  },
};

function decodeTime(buf: Buffer): string | undefined {
  let seconds = 0;
  for (const f of readFields(buf)) if (f.number === 1) seconds = f.varint ?? 0;
  return seconds === 0 ? undefined : `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

function decodeMapEntry(buf: Buffer, valueType: "string" | "bytes"): [string, string] {
  let key = "";
  let value = "";
  for (const f of readFields(buf)) {
    if (f.number === 1) key = f.bytes?.toString("utf8") ?? "";
    if (f.number === 2)
      value = valueType === "bytes" ? (f.bytes?.toString("base64") ?? "") : (f.bytes?.toString("utf8") ?? "");
  }
  return [key, value];
}

function decodeValue(spec: FieldSpec, f: { varint?: number; bytes?: Buffer }): unknown {
  const t = spec.type;
  if (t === "string") return f.bytes?.toString("utf8");
  if (t === "bytes") return f.bytes?.toString("base64");
  if (t === "int") return f.varint;
  if (t === "bool") return f.varint === 1;
  if (t === "time") return f.bytes ? decodeTime(f.bytes) : undefined;
  if ("message" in t) return f.bytes ? decodeMessage(f.bytes, t.message) : undefined;
  return undefined;
}

/** Zero values are dropped, as the JSON encoding omits them. */
function isZero(v: unknown): boolean {
  return (
    v === undefined ||
    v === "" ||
    v === false ||
    v === 0 ||
    (typeof v === "object" && v !== null && Object.keys(v).length === 0)
  );
}

export function decodeMessage(buf: Buffer, schema: Schema): JsonRecord {
  const out: JsonRecord = {};
  for (const f of readFields(buf)) {
    const spec = schema[f.number];
    if (!spec) continue;
    if (typeof spec.type === "object" && "map" in spec.type) {
      const [k, v] = decodeMapEntry(f.bytes ?? Buffer.alloc(0), spec.type.map);
      out[spec.name] = { ...((out[spec.name] as JsonRecord | undefined) ?? {}), [k]: v };
      continue;
    }
    const value = decodeValue(spec, f);
    if (spec.repeated) out[spec.name] = [...((out[spec.name] as unknown[] | undefined) ?? []), value];
    else if (!isZero(value)) out[spec.name] = value;
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `k8s\0`-prefixed runtime.Unknown envelope; undefined when its kind is not one known here. */
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
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema || !raw) return undefined;
  return { apiVersion, kind, ...decodeMessage(raw, schema) };
}
