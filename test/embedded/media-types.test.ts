// Content negotiation, differentially: the media types a request body may be in, the 415 for the others,
// protobuf bodies from kubectl's typed clients, and what `kubectl explain` prints from OpenAPI. The embedded
// server must answer as kube-apiserver does, so tools that work on one work on the other.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { answeredAlike, rawLine, rawRequest } from "./differential.js";
import { startFixture } from "./embedded-fixture.js";
import { raw } from "./raw-http.js";

const configMap = (name: string) => JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });

test("bodies in JSON, YAML and protobuf are read, others get kube-apiserver's 415", async (t) => {
  const group = `media-${randomBytes(3).toString("hex")}.example.com`;
  const answers = await answeredAlike(t, async (_client, ns) => {
    const out: string[] = [];
    const path = `/api/v1/namespaces/${ns.name}/configmaps`;
    const send = async (what: string, method: string, url: string, body: string, contentType: string) => {
      out.push(rawLine(what, await rawRequest(ns.kubeconfig, method, url, { body, contentType })));
    };
    await send("text/plain", "POST", path, configMap("plain"), "text/plain");
    await send("json with charset", "POST", path, configMap("json"), "application/json;charset=utf-8");
    await send(
      "yaml",
      "POST",
      path,
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\ndata: {a: '1'}\n",
      "application/yaml",
    );
    await send("patch as json", "PATCH", `${path}/yaml`, '{"data":{"a":"2"}}', "application/json");
    ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: "Namespaced",
          names: { kind: "Widget", plural: "widgets", singular: "widget" },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            },
          ],
        },
      }),
    );
    t.after(() => {
      ns.kubectl(["delete", "crd", `widgets.${group}`, "--wait=false"]);
    });
    ns.kubectl(["wait", "--for=condition=Established", `crd/widgets.${group}`]);
    const widgets = `/apis/${group}/v1/namespaces/${ns.name}/widgets`;
    const widget = (name: string) => JSON.stringify({ apiVersion: `${group}/v1`, kind: "Widget", metadata: { name } });
    await send("custom resource strategic merge patch", "POST", widgets, widget("w"), "application/json");
    await send("", "PATCH", `${widgets}/w`, '{"spec":{}}', "application/strategic-merge-patch+json");
    await send("custom resource as yaml", "POST", widgets, widget("w2"), "application/yaml");
    // kubectl's typed client sends this Deployment as protobuf; what is stored must be what was meant.
    out.push(
      ns.kubectl([
        "-n",
        ns.name,
        "create",
        "deployment",
        "web",
        "--image=nginx:1.27",
        "--replicas=0",
        "-o",
        "jsonpath={.spec.replicas} {.spec.selector.matchLabels} {.spec.template.spec.containers[0].name}",
      ]),
    );
    out.push(ns.kubectl(["explain", "deployment.spec.replicas"]));
    out.push(ns.kubectl(["explain", "services.spec.ports.targetPort"]));
    return out;
  });
  assert.match(
    answers[0] ?? "",
    /^text\/plain: 415 the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/,
  );
  assert.deepEqual(answers.slice(1, 3), ["json with charset: 201", "yaml: 201"]);
  // The router refuses a PATCH no route consumes before any handler, in plain text.
  assert.equal(answers[3], "patch as json: 415 415: Unsupported Media Type");
  assert.equal(answers[4], "custom resource strategic merge patch: 201");
  assert.match(
    answers[5] ?? "",
    /^: 415 .*accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
  );
  assert.equal(answers[6], "custom resource as yaml: 201");
  assert.equal(answers[7], '0 {"app":"web"} nginx');
});

test("OpenAPI v2 is JSON: a client that takes only protobuf gets 406, and the document names every kind", async (t) => {
  const { server } = await startFixture(t, { simulator: false });
  const refused = await raw(server, "GET", "/openapi/v2", {
    accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
  });
  assert.equal(refused.code, 406);
  assert.match(refused.text, /only the following media types are accepted: application\/json/);
  const v2 = await raw(server, "GET", "/openapi/v2", { accept: "application/json" });
  const doc = v2.body as { swagger: string; definitions: Record<string, unknown>; paths: Record<string, unknown> };
  assert.equal(doc.swagger, "2.0");
  assert.ok(doc.definitions["io.k8s.api.apps.v1.Deployment"]);
  assert.ok(doc.definitions["io.k8s.api.core.v1.PodSpec"], "schemas the kinds refer to are included");
  assert.ok(doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]);
  assert.equal(doc.definitions["io.k8s.api.storage.v1.StorageClass"], undefined, "kinds not served are left out");
});
