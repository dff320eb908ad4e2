import assert from "node:assert/strict";
import { test } from "node:test";
import { goBase64Error } from "./go-base64.js";
import { decodeTypedJson, strictDecodingMessage, strictProblems, TypedDecodeError } from "./typed-json.js";

// Written by Go 1.26's base64.StdEncoding.DecodeString (an empty string: decoded without error).
const GO_BASE64: Record<string, string> = {
  "": "",
  "\n\n": "",
  "=": "illegal base64 data at input byte 0",
  "==": "illegal base64 data at input byte 0",
  "Y Q==": "illegal base64 data at input byte 1",
  "YQ==": "",
  "YQ==YQ==": "illegal base64 data at input byte 4",
  "YW\nJj": "",
  YWJj: "",
  "YWJj\n": "",
  "YWJj\r\nZGVm": "",
  YWJjZA: "illegal base64 data at input byte 4",
  "YWJjZA=": "illegal base64 data at input byte 7",
  "YWJjZA==x": "illegal base64 data at input byte 8",
  a: "illegal base64 data at input byte 0",
  "a=bc": "illegal base64 data at input byte 1",
  ab: "illegal base64 data at input byte 0",
  "ab=": "illegal base64 data at input byte 3",
  "ab=\n=": "",
  "ab=\nx": "illegal base64 data at input byte 3",
  "ab==": "",
  "ab===": "illegal base64 data at input byte 4",
  abc: "illegal base64 data at input byte 0",
  abc$: "illegal base64 data at input byte 3",
  "abc=": "",
  "abc==": "illegal base64 data at input byte 4",
};

test("base64 is refused where Go's StdEncoding refuses it, at the same byte", () => {
  for (const [input, error] of Object.entries(GO_BASE64))
    assert.equal(goBase64Error(input) ?? "", error, JSON.stringify(input));
});

const deployment = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    selector: { matchLabels: { a: "b" } },
    template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x", ...container }] } },
    ...spec,
  },
});

const refusal = (body: Record<string, unknown>, schema: string, kind: string): string => {
  try {
    decodeTypedJson(body, schema, kind, "v1");
  } catch (err) {
    assert.ok(err instanceof TypedDecodeError);
    return err.message;
  }
  return "decoded";
};

// The messages are kube-apiserver 1.36.3's, for the same bodies (POST, see test/embedded/validation.test.ts).
test("a value of the wrong type is refused with encoding/json's message, naming the Go struct and field", () => {
  const deploy = (spec: Record<string, unknown>, container?: Record<string, unknown>) =>
    refusal(deployment(spec, container), "io.k8s.api.apps.v1.Deployment", "Deployment");
  const prefix = 'Deployment in version "v1" cannot be handled as a Deployment: ';
  assert.equal(
    deploy({ replicas: "2" }),
    `${prefix}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`,
  );
  assert.equal(
    deploy({}, { command: [true] }),
    `${prefix}json: cannot unmarshal bool into Go struct field Container.spec.template.spec.containers.command of type string`,
  );
  assert.equal(
    deploy({ strategy: "x" }),
    `${prefix}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.strategy of type v1.DeploymentStrategy`,
  );
  assert.equal(
    deploy({ template: { spec: { containers: { a: 1 } } } }),
    `${prefix}json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container`,
  );
  assert.equal(
    deploy({}, { ports: [{ containerPort: 80.5 }] }),
    `${prefix}json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`,
  );
  assert.equal(
    deploy({}, { resources: { limits: { cpu: "lots" } } }),
    `${prefix}quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  );
  assert.equal(deploy({}, { resources: { limits: { cpu: 1, memory: "64Mi" } } }), "decoded");
  const configMap = (body: Record<string, unknown>) =>
    refusal({ apiVersion: "v1", kind: "ConfigMap", ...body }, "io.k8s.api.core.v1.ConfigMap", "ConfigMap");
  assert.equal(
    configMap({ metadata: { name: "c", labels: { a: 1 } } }),
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  );
  assert.equal(
    configMap({ metadata: "x" }),
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ConfigMap.metadata of type v1.ObjectMeta',
  );
  assert.equal(
    refusal(
      { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { k: "abc$" } },
      "io.k8s.api.core.v1.Secret",
      "Secret",
    ),
    'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
  );
  assert.equal(
    refusal(
      { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80, targetPort: true }] } },
      "io.k8s.api.core.v1.Service",
      "Service",
    ),
    'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
  );
});

test("unknown fields are dropped and listed with their indices; nulls leave a field unset", () => {
  const body = deployment({ replicas: null, wat: 1 }, { imagee: "y" });
  (body as Record<string, unknown>).bogus = true;
  const { object, unknownFields } = decodeTypedJson(body, "io.k8s.api.apps.v1.Deployment", "Deployment", "v1");
  // In document order: the template comes before `wat` in the body.
  assert.deepEqual(unknownFields, ["spec.template.spec.containers[0].imagee", "spec.wat", "bogus"]);
  const spec = object.spec as Record<string, unknown>;
  assert.equal("replicas" in spec, false);
  assert.equal("wat" in spec, false);
  assert.equal("bogus" in object, false);
  assert.deepEqual((spec.template as { spec: { containers: unknown[] } }).spec.containers, [{ name: "c", image: "x" }]);
  assert.equal(
    strictDecodingMessage("Deployment", "v1", strictProblems({ duplicate: [], unknown: unknownFields.slice(0, 2) })),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagee", unknown field "spec.wat"',
  );
});

test("strict decoding names fields given twice before unknown ones", () => {
  assert.deepEqual(strictProblems({ duplicate: ["data.a"], unknown: ["bogus"] }), [
    'duplicate field "data.a"',
    'unknown field "bogus"',
  ]);
});
