import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeKubernetesProtobuf, goDuration } from "./decode.js";
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

test("Secret data is bytes and comes out base64; kinds without a protobuf form are not decoded; garbage is an error", () => {
  const raw = message(field(1, message(str(1, "s"))), entry(2, "password", "hunter2"), str(3, "Opaque"));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("v1", "Secret", raw)), {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s" },
    data: { password: Buffer.from("hunter2").toString("base64") },
    type: "Opaque",
  });
  assert.equal(
    decodeKubernetesProtobuf(envelope("example.com/v1", "Widget", field(1, message(str(1, "w"))))),
    undefined,
  );
  assert.throws(() => decodeKubernetesProtobuf(Buffer.from("{}")), ProtobufError);
});

const num = (n: number, v: number) => Buffer.from([...varint(n * 8), ...varint(v)]);
// A negative varint: ten bytes of two's complement.
const negative = (n: number, v: number) => {
  const bytes: number[] = [];
  let big = BigInt.asUintN(64, BigInt(v));
  for (let i = 0; i < 10; i++) {
    const low = Number(big & 0x7fn);
    big >>= 7n;
    bytes.push(big > 0n ? low | 0x80 : low);
    if (big === 0n) break;
  }
  return Buffer.from([...varint(n * 8), ...bytes]);
};

test("a Deployment as kubectl create deployment sends it: pointer zeros kept, plain zeros dropped, nested types", () => {
  const container = message(
    str(1, "web"),
    str(2, "nginx:1.27"),
    field(6, message(num(3, 8080), str(4, "TCP"))),
    field(8, message(field(2, message(str(1, "cpu"), field(2, message(str(1, "250m"))))))),
    str(13, ""),
  );
  const podSpec = message(field(2, container), num(4, 0));
  const template = message(field(1, message(entry(11, "app", "web"), field(8, Buffer.alloc(0)))), field(2, podSpec));
  const spec = message(
    num(1, 0),
    field(2, message(entry(1, "app", "web"))),
    field(3, template),
    field(4, message(str(1, "RollingUpdate"), field(2, message(field(1, message(num(1, 1), str(3, "25%"))))))),
    num(5, 0),
    num(7, 0),
  );
  const raw = message(field(1, message(str(1, "web"), str(3, "team"))), field(2, spec), field(3, Buffer.alloc(0)));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("apps/v1", "Deployment", raw)), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "team" },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "web",
              image: "nginx:1.27",
              ports: [{ containerPort: 8080, protocol: "TCP" }],
              resources: { requests: { cpu: "250m" } },
            },
          ],
          terminationGracePeriodSeconds: 0,
        },
      },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%" } },
    },
    status: {},
  });
});

test("negative numbers, packed repeated numbers, named slices and meta kinds in any group-version", () => {
  // SelfSubjectAccessReview is not a kind the server stores, but kubectl auth can-i sends it.
  const review = message(field(2, message(field(1, message(str(2, "get"), str(3, "apps"), str(5, "deployments"))))));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review)), {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes: { verb: "get", group: "apps", resource: "deployments" } },
  });
  // SubjectAccessReviewSpec.extra is map<string, ExtraValue>: a map of string lists.
  const extraValue = message(str(1, "a"), str(1, "b"));
  const sar = message(field(2, message(str(3, "alice"), field(5, message(str(1, "scopes"), field(2, extraValue))))));
  const decoded = decodeKubernetesProtobuf(envelope("authorization.k8s.io/v1", "SubjectAccessReview", sar));
  assert.deepEqual(decoded?.spec, { user: "alice", extra: { scopes: ["a", "b"] } });
  // DeleteOptions comes under the group-version it is sent to; gracePeriodSeconds is a pointer.
  const options = message(negative(1, -1), str(4, "Foreground"));
  assert.deepEqual(decodeKubernetesProtobuf(envelope("batch/v1", "DeleteOptions", options)), {
    apiVersion: "batch/v1",
    kind: "DeleteOptions",
    gracePeriodSeconds: -1,
    propagationPolicy: "Foreground",
  });
  // A Service's port numbers are int32; ipFamilies a repeated string; a packed repeated int64 list.
  const packed = field(4, Buffer.from([...varint(5), ...varint(300)]));
  const gid = decodeKubernetesProtobuf(
    envelope("v1", "Pod", message(field(2, message(field(14, message(packed, negative(2, -7))))))),
  );
  assert.deepEqual((gid?.spec as { securityContext: unknown } | undefined)?.securityContext, {
    runAsUser: -7,
    supplementalGroups: [5, 300],
  });
});

test("durations print as Go does", () => {
  assert.equal(goDuration(0), "0s");
  assert.equal(goDuration(1.5e9), "1.5s");
  assert.equal(goDuration(3_723e9), "1h2m3s");
  assert.equal(goDuration(90e9), "1m30s");
  assert.equal(goDuration(2e6), "2ms");
});

test("embedded structs JSON inlines come out inline: an Ingress rule's http, an env var's secretKeyRef name", () => {
  // IngressRule{host=1, ingressRuleValue=2{http=1{paths=1{path=1, backend=...}}}}
  const path = message(str(1, "/"), str(3, "Prefix"));
  const rule = message(str(1, "web.example.com"), field(2, message(field(1, message(field(1, path))))));
  const ingress = decodeKubernetesProtobuf(
    envelope("networking.k8s.io/v1", "Ingress", message(field(2, message(field(3, rule))))),
  );
  assert.deepEqual((ingress?.spec as { rules: unknown[] } | undefined)?.rules, [
    { host: "web.example.com", http: { paths: [{ path: "/", pathType: "Prefix" }] } },
  ]);
  // EnvVar{name=1, valueFrom=3{secretKeyRef=4{localObjectReference=1{name=1}, key=2}}}
  const env = message(
    str(1, "PASSWORD"),
    field(3, message(field(4, message(field(1, message(str(1, "db"))), str(2, "password"))))),
  );
  const pod = decodeKubernetesProtobuf(
    envelope("v1", "Pod", message(field(2, message(field(2, message(str(1, "app"), str(2, "img"), field(7, env))))))),
  );
  const containers = (pod?.spec as { containers: { env: unknown[] }[] } | undefined)?.containers;
  assert.deepEqual(containers?.[0]?.env, [
    { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
  ]);
});
