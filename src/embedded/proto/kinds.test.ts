import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeKubernetesProtobuf } from "./kinds.js";
import { ProtobufError } from "./wire.js";

// A tiny encoder, enough to write what kubectl sends.
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const field = (n: number, bytes: Buffer): Buffer =>
  Buffer.from([...varint(n * 8 + 2), ...varint(bytes.length), ...bytes]);
const str = (n: number, s: string) => field(n, Buffer.from(s));
const entry = (n: number, k: string, v: string) => field(n, Buffer.concat([str(1, k), str(2, v)]));
const message = (...parts: Buffer[]) => Buffer.concat(parts);

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from("k8s\0", "binary"),
    field(1, message(str(1, apiVersion), str(2, kind))),
    field(2, raw),
    str(3, ""),
    str(4, ""),
  ]);
}

test("a ConfigMap as kubectl create sends it decodes to its JSON form, zero values dropped", () => {
  const meta = message(
    str(1, "settings"),
    str(2, ""),
    str(3, "team"),
    field(8, Buffer.alloc(0)),
    entry(11, "app", "web"),
  );
  const raw = message(field(1, meta), entry(2, "a", "1"), entry(2, "b", "2"));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "ConfigMap", raw)), {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "team", labels: { app: "web" } },
    data: { a: "1", b: "2" },
  });
});

test("Secret data is bytes and comes out base64; unknown kinds are not decoded; garbage is an error", () => {
  const raw = message(field(1, message(str(1, "s"))), entry(2, "password", "hunter2"), str(3, "Opaque"));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "Secret", raw)), {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s" },
    data: { password: Buffer.from("hunter2").toString("base64") },
    type: "Opaque",
  });
  assert.equal(decodeKubernetesProtobuf(envelope("apps/v1", "Deployment", field(1, message(str(1, "d"))))), undefined);
  assert.throws(() => decodeKubernetesProtobuf(Buffer.from("{}")), ProtobufError);
});
