import assert from "node:assert/strict";
import { test } from "node:test";
import { ResourceRegistry } from "../resources/registry.js";
import { customSchemaName, openApiDocument } from "./openapi.js";

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const crd = (size: Record<string, unknown>) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { kind: "Widget", plural: "widgets" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size } } } } },
      },
    ],
  },
});

test("a built-in group-version's v3 document: published schemas, what they refer to, and the PATCH kubectl reads", () => {
  const doc = openApiDocument(new ResourceRegistry(), "/openapi/v3/apis/apps/v1") as Doc;
  const deployment = doc.components.schemas["io.k8s.api.apps.v1.Deployment"];
  assert.deepEqual(deployment?.["x-kubernetes-group-version-kind"], [
    { group: "apps", kind: "Deployment", version: "v1" },
  ]);
  assert.ok(doc.components.schemas["io.k8s.api.core.v1.PodSpec"], "referred schemas are included");
  assert.ok(doc.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
  assert.equal(doc.components.schemas["io.k8s.api.core.v1.Node"], undefined, "other group-versions' kinds are not");
  const containers = (
    doc.components.schemas["io.k8s.api.core.v1.PodSpec"]?.properties as Record<string, unknown> | undefined
  )?.containers as Record<string, unknown>;
  assert.equal(containers["x-kubernetes-patch-merge-key"], "name", "strategic merge metadata comes with the schema");
  const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch;
  assert.deepEqual(patch?.["x-kubernetes-group-version-kind"], { group: "apps", version: "v1", kind: "Deployment" });
  assert.ok(((patch?.parameters ?? []) as { name: string }[]).some((p) => p.name === "fieldValidation"));
  const content = (patch?.requestBody as { content: Record<string, unknown> } | undefined)?.content ?? {};
  assert.ok(content["application/strategic-merge-patch+json"]);
  const deleteOptions = doc.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"];
  assert.deepEqual(deleteOptions?.["x-kubernetes-group-version-kind"], [
    { group: "", kind: "DeleteOptions", version: "v1" },
    { group: "apps", kind: "DeleteOptions", version: "v1" },
  ]);
  const scale = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]?.get;
  assert.deepEqual(scale?.["x-kubernetes-group-version-kind"], { group: "autoscaling", version: "v1", kind: "Scale" });
});

test("a CRD's documents: its schema under the API server's name, no strategic merge, rebuilt when it changes", () => {
  const registry = new ResourceRegistry();
  assert.equal(openApiDocument(registry, "/openapi/v3/apis/example.com/v1"), undefined);
  registry.setCustomResourceDefinitions([crd({ type: "string", nullable: true })]);
  const name = customSchemaName("example.com", "v1", "Widget");
  assert.equal(name, "com.example.v1.Widget");
  const doc = openApiDocument(registry, "/openapi/v3/apis/example.com/v1") as Doc;
  const widget = doc.components.schemas[name] as { properties: Record<string, Record<string, unknown>> };
  assert.deepEqual(widget.properties.metadata?.allOf, [
    { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
  ]);
  assert.ok(doc.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
  assert.ok(doc.components.schemas[`${name}List`]);
  const patch = doc.paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]?.patch;
  const content = (patch?.requestBody as { content: Record<string, unknown> } | undefined)?.content ?? {};
  assert.equal(content["application/strategic-merge-patch+json"], undefined);
  assert.ok(content["application/merge-patch+json"]);

  const v2 = openApiDocument(registry, "/openapi/v2") as { definitions: Record<string, unknown> };
  const size = JSON.stringify(v2.definitions[name]);
  assert.doesNotMatch(size, /nullable/, "v2 has no nullable");
  assert.match(size, /"#\/definitions\/io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.ObjectMeta"/);

  const root = openApiDocument(registry, "/openapi/v3") as { paths: Record<string, { serverRelativeURL: string }> };
  const before = root.paths["apis/example.com/v1"]?.serverRelativeURL;
  registry.setCustomResourceDefinitions([crd({ type: "integer" })]);
  const changed = openApiDocument(registry, "/openapi/v3/apis/example.com/v1") as Doc;
  const spec = (
    changed.components.schemas[name]?.properties as Record<string, { properties: Record<string, unknown> }> | undefined
  )?.spec;
  assert.deepEqual(spec?.properties.size, { type: "integer" });
  const after = (openApiDocument(registry, "/openapi/v3") as typeof root).paths["apis/example.com/v1"]
    ?.serverRelativeURL;
  assert.notEqual(after, before, "the root's hash moves with the document, so kubectl's cache is refreshed");
});
