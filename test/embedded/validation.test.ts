// Typed decoding, differentially: bodies kube-apiserver refuses (a value of the wrong type, bad base64, a bad
// quantity, fields the kind does not have under fieldValidation=Strict, an apply body its schema does not fit)
// are refused by the embedded server with the same code and message, and what it accepts it stores alike.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { answeredAlike, rawLine, rawRequest } from "./differential.js";

const deployment = (name: string, spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "c", image: "nginx", ...container }] },
    },
    ...spec,
  },
});
const configMap = (name: string, rest: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name },
  ...rest,
});

type Case = [what: string, method: string, path: string, body: unknown, contentType?: string];

function cases(ns: string): Case[] {
  const deployments = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const configMaps = `/api/v1/namespaces/${ns}/configmaps`;
  const apply = "application/apply-patch+yaml";
  return [
    ["replicas as a string", "POST", deployments, deployment("a", { replicas: "2" })],
    ["a command of booleans", "POST", deployments, deployment("b", {}, { command: [true] })],
    ["a struct as a string", "POST", deployments, deployment("c", { strategy: "x" })],
    ["a port with a fraction", "POST", deployments, deployment("d", {}, { ports: [{ containerPort: 80.5 }] })],
    ["a bad quantity", "POST", deployments, deployment("e", {}, { resources: { limits: { cpu: "lots" } } })],
    ["a quantity as a number", "POST", deployments, deployment("f", {}, { resources: { limits: { cpu: 1 } } })],
    ["null replicas", "POST", deployments, deployment("g", { replicas: null })],
    ["an object in ConfigMap data", "POST", configMaps, configMap("h", { data: { a: { b: 1 } } })],
    ["a number label", "POST", configMaps, configMap("i", { metadata: { name: "i", labels: { a: 1 } } })],
    [
      "bad base64 in Secret data",
      "POST",
      `/api/v1/namespaces/${ns}/secrets`,
      { apiVersion: "v1", kind: "Secret", metadata: { name: "j" }, data: { k: "abc$" } },
    ],
    [
      "an object in Secret stringData",
      "POST",
      `/api/v1/namespaces/${ns}/secrets`,
      { apiVersion: "v1", kind: "Secret", metadata: { name: "k" }, stringData: { k: { x: 1 } } },
    ],
    ["unknown fields, Strict", "POST", `${configMaps}?fieldValidation=Strict`, configMap("l", { bogus: 1, data: {} })],
    [
      "nested unknown field, Strict",
      "POST",
      `${deployments}?fieldValidation=Strict`,
      deployment("m", {}, { imagee: "x" }),
    ],
    ["unknown field, default", "POST", configMaps, configMap("n", { bogus: 1, data: { a: "1" } })],
    ["an unsupported fieldValidation", "POST", `${configMaps}?fieldValidation=Nope`, configMap("o")],
    [
      "apply: replicas as a string",
      "PATCH",
      `${deployments}/p?fieldManager=t`,
      deployment("p", { replicas: "2" }),
      apply,
    ],
    // One error per body: SMD walks a map in Go's random order, so which of several errors it reports first (and
    // whether it reaches the others after an undeclared field) changes from run to run on the real server.
    [
      "apply: a struct as a string",
      "PATCH",
      `${deployments}/q?fieldManager=t`,
      deployment("q", { strategy: "x" }),
      apply,
    ],
    ["apply: a number image", "PATCH", `${deployments}/r?fieldManager=t`, deployment("r", {}, { image: 5 }), apply],
    [
      "apply: an unknown field",
      "PATCH",
      `${deployments}/s?fieldManager=t`,
      deployment("s", {}, { imagee: "y" }),
      apply,
    ],
    [
      "merge patch: unknown field dropped",
      "PATCH",
      `${configMaps}/n`,
      { bogus: 2, data: { b: "2" } },
      "application/merge-patch+json",
    ],
    ["a ConfigMap key with a space", "POST", configMaps, configMap("t", { data: { "a b": "1" } })],
    ["a ConfigMap over 1 MiB", "POST", configMaps, configMap("u", { data: { a: "x".repeat(1024 * 1024 + 1) } })],
    ["a request over 3 MiB", "POST", configMaps, configMap("v", { data: { a: "x".repeat(3 * 1024 * 1024) } })],
    // etcd keeps at most 1.5 MiB an object; a dry run never reaches it.
    ["a Deployment over 1.5 MiB", "POST", deployments, deployment("big", {}, { args: ["x".repeat(1600 * 1024)] })],
    [
      "the same, a dry run",
      "POST",
      `${deployments}?dryRun=All`,
      deployment("big", {}, { args: ["x".repeat(1600 * 1024)] }),
    ],
    [
      "JSON nested deeper than 10,000",
      "POST",
      configMaps,
      `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"},"x":${"[".repeat(10_001)}${"]".repeat(10_001)}}`,
    ],
    [
      "an immutable Secret",
      "POST",
      `/api/v1/namespaces/${ns}/secrets`,
      { apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, immutable: true, data: { a: "YQ==" } },
    ],
    [
      "its data changed",
      "PATCH",
      `/api/v1/namespaces/${ns}/secrets/x`,
      { data: { a: "Yg==" } },
      "application/merge-patch+json",
    ],
    [
      "a Service with a cluster IP",
      "POST",
      `/api/v1/namespaces/${ns}/services`,
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "y" },
        spec: { clusterIP: "10.96.200.7", ports: [{ port: 80 }] },
      },
    ],
    [
      "its cluster IP changed",
      "PATCH",
      `/api/v1/namespaces/${ns}/services/y`,
      { spec: { clusterIP: "10.96.200.8", clusterIPs: ["10.96.200.8"] } },
      "application/merge-patch+json",
    ],
  ];
}

test("bodies the API server cannot decode into their kinds are refused alike, and unknown fields dropped alike", async (t) => {
  const answers = await answeredAlike(t, async (_client, ns) => {
    const out: string[] = [];
    for (const [what, method, path, body, contentType] of cases(ns.name)) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      const answer = await rawRequest(ns.kubeconfig, method, path, { body: text, contentType });
      out.push(rawLine(what, answer));
    }
    // What was stored: unknown fields are gone; an explicit null leaves replicas to its default.
    out.push(ns.kubectl(["-n", ns.name, "get", "configmap", "n", "-o", "jsonpath={.data} {.bogus}"]));
    out.push(ns.kubectl(["-n", ns.name, "get", "deployment", "g", "-o", "jsonpath={.spec.replicas}"]));
    return out;
  });
  const whats = cases("").map(([what]) => what);
  const byCase = new Map(whats.map((what, i) => [what, answers[i]?.slice(what.length + 2)]));
  assert.equal(
    byCase.get("replicas as a string"),
    '400 Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.equal(
    byCase.get("bad base64 in Secret data"),
    '400 Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
  );
  assert.equal(
    byCase.get("nested unknown field, Strict"),
    '400 Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagee"',
  );
  assert.equal(byCase.get("unknown field, default"), "201");
  assert.match(
    byCase.get("apply: replicas as a string") ?? "",
    /^500 failed to create typed patch object \(\/p; apps\/v1, Kind=Deployment\): \.spec\.replicas: expected numeric/,
  );
  assert.equal(byCase.get("merge patch: unknown field dropped"), "200");
  assert.equal(
    byCase.get("a ConfigMap over 1 MiB"),
    '422 ConfigMap "u" is invalid: []: Too long: may not be more than 1048576 bytes',
  );
  assert.equal(byCase.get("a request over 3 MiB"), "413 Request entity too large: limit is 3145728");
  assert.equal(byCase.get("a Deployment over 1.5 MiB"), "500 etcdserver: request is too large");
  assert.equal(byCase.get("the same, a dry run"), "201");
  assert.match(byCase.get("JSON nested deeper than 10,000") ?? "", /^400 .*exceeded max depth/);
  assert.equal(
    byCase.get("its data changed"),
    '422 Secret "x" is invalid: data: Forbidden: field is immutable when `immutable` is set',
  );
  assert.equal(
    byCase.get("its cluster IP changed"),
    '422 Service "y" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.200.8"]: may not change once set',
  );
  assert.deepEqual(answers.slice(-2), ['{"a":"1","b":"2"} ', "1"]);
});

test("kubectl shows the server's warning for an unknown field under --validate=warn, and refuses it by default", async (t) => {
  const manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\nbogus: 1\ndata: {a: '1'}\n";
  await answeredAlike(t, async (_client, ns) => {
    const warned = await kubectlOutcome(
      ns.kubeconfig,
      ["-n", ns.name, "apply", "--validate=warn", "-f", "-"],
      manifest,
    );
    assert.match(warned, /Warning: unknown field "bogus"/);
    const refused = await kubectlOutcome(
      ns.kubeconfig,
      ["-n", ns.name, "apply", "-f", "-"],
      manifest.replace("settings", "other"),
    );
    return [warned, refused];
  });
});

test("a patch whose result has an unknown field, and a body that names a field twice: refused under Strict, warned about otherwise, alike", async (t) => {
  const answers = await answeredAlike(t, async (_client, ns) => {
    const configMaps = `/api/v1/namespaces/${ns.name}/configmaps`;
    const request = (method: string, path: string, body: string, contentType?: string) =>
      rawRequest(ns.kubeconfig, method, path, { body, contentType });
    await request("POST", configMaps, JSON.stringify(configMap("p", { data: { a: "1" } })));
    const out: string[] = [];
    const strict = `${configMaps}/p?fieldValidation=Strict`;
    const patches: Array<[string, string, string]> = [
      ["merge", JSON.stringify({ bogus: 1, data: { b: "2" } }), "application/merge-patch+json"],
      ["strategic", JSON.stringify({ bogus: { x: [1, "y"] } }), "application/strategic-merge-patch+json"],
      ["json", JSON.stringify([{ op: "add", path: "/bogus", value: 1 }]), "application/json-patch+json"],
    ];
    for (const [what, body, type] of patches) {
      // The patched object quoted in the message holds each server's own uid and times.
      const line = rawLine(`${what} patch, Strict`, await request("PATCH", strict, body, type));
      out.push(
        line.replace(/Invalid value: "\{\\"apiVersion.*?\}": strict/, "Invalid value: <the patched object>: strict"),
      );
    }
    const twice = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"q","name":"r"},"data":{"a":"1","a":"2"}}';
    out.push(
      rawLine(
        "a body naming fields twice, Strict",
        await request("POST", `${configMaps}?fieldValidation=Strict`, twice),
      ),
    );
    out.push(rawLine("the same, Ignore", await request("POST", `${configMaps}?fieldValidation=Ignore`, twice)));
    out.push(ns.kubectl(["-n", ns.name, "get", "configmap", "r", "-o", "jsonpath={.data.a}"]));
    // kubectl patch sends no fieldValidation: Warn, and kubectl prints the warning.
    out.push(
      await kubectlOutcome(
        ns.kubeconfig,
        ["-n", ns.name, "patch", "configmap", "p", "--type", "merge", "-p", '{"bogus":1}'],
        "",
      ),
    );
    return out;
  });
  assert.match(
    answers[0] ?? "",
    /^merge patch, Strict: 422 {2}"" is invalid: patch: Invalid value: <the patched object>: strict decoding error: unknown field "bogus"$/,
  );
  assert.equal(
    answers[1],
    'strategic patch, Strict: 422  "" is invalid: patch: Invalid value: "map[bogus:map[x:[1 y]]]": strict decoding error: unknown field "bogus"',
  );
  assert.equal(
    answers[3],
    'a body naming fields twice, Strict: 400 ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", duplicate field "data.a"',
  );
  assert.equal(answers[5], "2", "the last value wins");
  assert.match(answers[6] ?? "", /Warning: unknown field "bogus"/);
});

async function kubectlOutcome(kubeconfig: string, args: string[], input: string): Promise<string> {
  const { runKubectl } = await import("./embedded-fixture.js");
  const r = await runKubectl(kubeconfig, `${kubeconfig}.cache`, args, input);
  return `${r.code} ${r.stdout.trim()} ${r.stderr.trim()}`;
}

test("custom resources are pruned to their CRD's structural schema alike, and refused under Strict alike", async (t) => {
  const group = `prune-${randomBytes(3).toString("hex")}.example.com`;
  const answers = await answeredAlike(t, async (_client, ns) => {
    ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `gadgets.${group}` },
        spec: {
          group,
          scope: "Namespaced",
          names: { kind: "Gadget", plural: "gadgets", singular: "gadget" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: "object",
                  properties: {
                    spec: {
                      type: "object",
                      properties: {
                        size: { type: "string" },
                        parts: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
                        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      }),
    );
    t.after(() => {
      ns.kubectl(["delete", "crd", `gadgets.${group}`, "--wait=false"]);
    });
    ns.kubectl(["wait", "--for=condition=Established", `crd/gadgets.${group}`]);
    const path = `/apis/${group}/v1/namespaces/${ns.name}/gadgets`;
    const gadget = (name: string, spec: Record<string, unknown>) =>
      JSON.stringify({ apiVersion: `${group}/v1`, kind: "Gadget", metadata: { name }, spec });
    const spec = { size: "big", colour: "red", parts: [{ name: "a", weight: 2 }], extra: { any: { thing: 1 } } };
    const out: string[] = [];
    const send = async (what: string, method: string, url: string, body: string, contentType?: string) =>
      out.push(rawLine(what, await rawRequest(ns.kubeconfig, method, url, { body, contentType })));
    await send("default", "POST", path, gadget("a", spec));
    await send("strict", "POST", `${path}?fieldValidation=Strict`, gadget("b", spec));
    await send(
      "merge patch",
      "PATCH",
      `${path}/a`,
      JSON.stringify({ spec: { shape: "round" } }),
      "application/merge-patch+json",
    );
    // One undeclared field: with two, which ones kube-apiserver reports depends on Go's random map order.
    const oneError = { ...spec, parts: [{ name: "a" }] };
    await send("apply", "PATCH", `${path}/c?fieldManager=t`, gadget("c", oneError), "application/apply-patch+yaml");
    out.push(ns.kubectl(["-n", ns.name, "get", `gadgets.${group}`, "a", "-o", "jsonpath={.spec}"]));
    return out;
  });
  assert.equal(answers[0], "default: 201");
  assert.match(
    answers[1] ?? "",
    /^strict: 400 .*strict decoding error: unknown field "spec\.colour", unknown field "spec\.parts\[0\]\.weight"$/,
  );
  // Server-side apply checks the body against the CRD's schema instead of pruning it.
  assert.match(
    answers[3] ?? "",
    /^apply: 500 failed to create typed patch object \(\/c; .*\): \.spec\.colour: field not declared in schema$/,
  );
  assert.equal(answers[4], '{"extra":{"any":{"thing":1}},"parts":[{"name":"a"}],"size":"big"}');
});
