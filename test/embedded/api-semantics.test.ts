// The embedded server's REST semantics over HTTPS, asserted on status codes and Status bodies: auth,
// create/get/update, optimistic concurrency, validation, generation, status and scale subresources,
// pagination, dry runs.

import assert from "node:assert/strict";
import { test } from "node:test";
import { startFixture } from "./embedded-fixture.js";
import { at, raw } from "./raw-http.js";

const CMS = "/api/v1/namespaces/default/configmaps";
const DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels: { app: "web" } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  },
};

test("requests without the bearer token get 401 in the Status format; health needs none", async (t) => {
  const { server } = await startFixture(t);
  const res = await raw(server, "GET", "/api/v1/namespaces", { token: null });
  assert.equal(res.code, 401);
  assert.deepEqual(res.body, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: "Unauthorized",
    reason: "Unauthorized",
    code: 401,
  });
  assert.equal((await raw(server, "GET", "/api/v1/namespaces", { token: "wrong" })).code, 401);
  assert.equal((await raw(server, "GET", "/readyz", { token: null })).code, 200);
});

test("create, get, AlreadyExists, NotFound, stale update Conflict, namespace checks", async (t) => {
  const { server } = await startFixture(t);
  const created = await raw(server, "POST", CMS, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { k: "1" } },
  });
  assert.equal(created.code, 201);
  assert.match(String(at(created.body, "metadata.uid")), /^[0-9a-f-]{36}$/);
  assert.match(String(at(created.body, "metadata.creationTimestamp")), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(at(created.body, "metadata.namespace"), "default");
  assert.equal(at(created.body, "metadata.generation"), undefined, "ConfigMaps have no generation");
  assert.equal(
    at(created.body, "metadata.managedFields.0.manager"),
    "raw-test",
    "the User-Agent's program names the manager",
  );

  const again = await raw(server, "POST", CMS, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
  });
  assert.equal(again.code, 409);
  assert.equal(at(again.body, "reason"), "AlreadyExists");
  assert.equal(at(again.body, "message"), 'configmaps "a" already exists');
  assert.deepEqual(at(again.body, "details"), { name: "a", kind: "configmaps" });

  const missing = await raw(server, "GET", "/apis/apps/v1/namespaces/default/deployments/nope");
  assert.equal(missing.code, 404);
  assert.equal(at(missing.body, "message"), 'deployments.apps "nope" not found');
  assert.deepEqual(at(missing.body, "details"), { name: "nope", group: "apps", kind: "deployments" });

  const rv = String(at(created.body, "metadata.resourceVersion"));
  const updated = await raw(server, "PUT", `${CMS}/a`, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", resourceVersion: rv }, data: { k: "2" } },
  });
  assert.equal(updated.code, 200);
  assert.ok(Number(at(updated.body, "metadata.resourceVersion")) > Number(rv));
  const stale = await raw(server, "PUT", `${CMS}/a`, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", resourceVersion: rv }, data: { k: "3" } },
  });
  assert.equal(stale.code, 409);
  assert.equal(at(stale.body, "reason"), "Conflict");
  assert.equal(
    at(stale.body, "message"),
    'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
  );

  const wrongNs = await raw(server, "POST", CMS, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "other" } },
  });
  assert.equal(wrongNs.code, 400);
  assert.equal(at(wrongNs.body, "reason"), "BadRequest");
  const noNs = await raw(server, "POST", "/api/v1/namespaces/absent/configmaps", {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } },
  });
  assert.equal(noNs.code, 404);
  assert.equal(at(noNs.body, "message"), 'namespaces "absent" not found');
});

test("validation errors are 422 Invalid with causes", async (t) => {
  const { server } = await startFixture(t);
  const bad = structuredClone(deployment);
  bad.spec.template.metadata.labels.app = "other";
  const res = await raw(server, "POST", DEPLOYS, { body: bad });
  assert.equal(res.code, 422);
  assert.equal(at(res.body, "reason"), "Invalid");
  assert.match(
    String(at(res.body, "message")),
    /^Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/,
  );
  assert.deepEqual(at(res.body, "details.causes.0.field"), "spec.template.metadata.labels");
  assert.equal(at(res.body, "details.causes.0.reason"), "FieldValueInvalid");
  const badName = await raw(server, "POST", CMS, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Not_Valid" } },
  });
  assert.equal(badName.code, 422);
  assert.match(
    String(at(badName.body, "message")),
    /^ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/,
  );
});

test("generation counts spec changes only; status goes through /status; scale through /scale", async (t) => {
  const { server } = await startFixture(t, { simulator: false }); // exact status values: no controller writes
  const created = await raw(server, "POST", DEPLOYS, { body: { ...deployment, status: { replicas: 9 } } });
  assert.equal(at(created.body, "metadata.generation"), 1);
  assert.equal(at(created.body, "status"), undefined, "status is not set by a create");
  assert.equal(at(created.body, "spec.strategy.type"), "RollingUpdate", "defaulted");
  const labelled = await raw(server, "PATCH", `${DEPLOYS}/web`, {
    body: { metadata: { labels: { x: "y" } } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(at(labelled.body, "metadata.generation"), 1, "metadata changes keep the generation");
  const status = await raw(server, "PATCH", `${DEPLOYS}/web/status`, {
    body: { status: { replicas: 1, observedGeneration: 1 }, spec: { replicas: 7 } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(status.code, 200);
  assert.equal(at(status.body, "status.replicas"), 1);
  assert.equal(at(status.body, "spec.replicas"), 1, "/status ignores spec");
  assert.equal(at(status.body, "metadata.generation"), 1);
  const mainIgnoresStatus = await raw(server, "PATCH", `${DEPLOYS}/web`, {
    body: { status: { replicas: 5 }, spec: { replicas: 2 } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(at(mainIgnoresStatus.body, "status.replicas"), 1);
  assert.equal(at(mainIgnoresStatus.body, "metadata.generation"), 2);

  const scale = await raw(server, "GET", `${DEPLOYS}/web/scale`);
  assert.deepEqual(
    {
      kind: at(scale.body, "kind"),
      apiVersion: at(scale.body, "apiVersion"),
      spec: at(scale.body, "spec"),
      status: at(scale.body, "status"),
    },
    {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      spec: { replicas: 2 },
      status: { replicas: 1, selector: "app=web" },
    },
  );
  const put = await raw(server, "PUT", `${DEPLOYS}/web/scale`, {
    body: { apiVersion: "autoscaling/v1", kind: "Scale", metadata: { name: "web" }, spec: { replicas: 6 } },
  });
  assert.equal(at(put.body, "spec.replicas"), 6);
  const patched = await raw(server, "PATCH", `${DEPLOYS}/web/scale`, {
    body: { spec: { replicas: 3 } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(at(patched.body, "spec.replicas"), 3);
  const live = await raw(server, "GET", `${DEPLOYS}/web`);
  assert.equal(at(live.body, "spec.replicas"), 3);
  assert.equal(at(live.body, "metadata.generation"), 4);
  const noScale = await raw(server, "GET", `${CMS}/x/scale`);
  assert.equal(noScale.code, 404);
});

test("list pagination with limit and continue, and selectors over the API", async (t) => {
  const { server } = await startFixture(t);
  for (let i = 0; i < 7; i++) {
    await raw(server, "POST", CMS, {
      body: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `cm-${i}`, labels: { parity: i % 2 ? "odd" : "even" } },
      },
    });
  }
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await raw(server, "GET", `${CMS}?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ""}`);
    pages++;
    for (const item of at(page.body, "items") as unknown[]) names.push(String(at(item, "metadata.name")));
    token = at(page.body, "metadata.continue") as string | undefined;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(names, ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6"]);
  const odd = await raw(server, "GET", `${CMS}?labelSelector=${encodeURIComponent("parity in (odd)")}&limit=2`);
  assert.deepEqual(
    (at(odd.body, "items") as unknown[]).map((i) => at(i, "metadata.name")),
    ["cm-1", "cm-3"],
  );
  assert.ok(at(odd.body, "metadata.continue"));
  const badSelector = await raw(server, "GET", `${CMS}?labelSelector=${encodeURIComponent("a in b")}`);
  assert.equal(badSelector.code, 400);
  const badField = await raw(server, "GET", `${CMS}?fieldSelector=spec.x%3D1`);
  assert.equal(badField.code, 400);
  assert.equal(
    at(badField.body, "message"),
    '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    "as kube-apiserver says it for a kind without fields of its own",
  );
});

test("dryRun=All creates, updates, patches and deletes nothing", async (t) => {
  const { server } = await startFixture(t);
  const dry = await raw(server, "POST", `${CMS}?dryRun=All`, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "d" }, data: { a: "1" } },
  });
  assert.equal(dry.code, 201);
  assert.equal(at(dry.body, "data.a"), "1");
  assert.equal((await raw(server, "GET", `${CMS}/d`)).code, 404);
  await raw(server, "POST", CMS, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "d" }, data: { a: "1" } },
  });
  const patch = await raw(server, "PATCH", `${CMS}/d?dryRun=All`, {
    body: { data: { a: "2" } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(at(patch.body, "data.a"), "2");
  const apply = await raw(server, "PATCH", `${CMS}/d?dryRun=All&fieldManager=x&force=true`, {
    body: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: {a: '3'}\n",
    contentType: "application/apply-patch+yaml",
  });
  assert.equal(at(apply.body, "data.a"), "3");
  const del = await raw(server, "DELETE", `${CMS}/d?dryRun=All`);
  assert.equal(del.code, 200);
  const live = await raw(server, "GET", `${CMS}/d`);
  assert.equal(at(live.body, "data.a"), "1");
  assert.equal(
    (
      await raw(server, "POST", `${CMS}?dryRun=Some`, {
        body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "e" } },
      })
    ).code,
    400,
  );
});

test("a patch of a custom resource as strategic merge is refused with 415", async (t) => {
  const { server } = await startFixture(t);
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "gadgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Cluster",
      names: { plural: "gadgets", singular: "gadget", kind: "Gadget" },
      // Fields a structural schema does not name are pruned (as kube-apiserver prunes them): spec is kept whole.
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
  };
  assert.equal(
    (await raw(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: crd })).code,
    201,
  );
  assert.equal(
    (
      await raw(server, "POST", "/apis/example.com/v1/gadgets", {
        body: { apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" }, spec: { a: 1 } },
      })
    ).code,
    201,
  );
  const smp = await raw(server, "PATCH", "/apis/example.com/v1/gadgets/g", {
    body: { spec: { a: 2 } },
    contentType: "application/strategic-merge-patch+json",
  });
  assert.equal(smp.code, 415);
  const merge = await raw(server, "PATCH", "/apis/example.com/v1/gadgets/g", {
    body: { spec: { a: 2 } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(at(merge.body, "spec.a"), 2);
  assert.equal(at(merge.body, "metadata.generation"), 2);
  const status = await raw(server, "PATCH", "/apis/example.com/v1/gadgets/g", {
    body: { status: { ok: true } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(at(status.body, "metadata.generation"), 3, "without a status subresource, status is part of the object");
});

test("RBAC objects are named as path segments, as the real server names them (system:… works, / does not)", async (t) => {
  const { server } = await startFixture(t);
  const roles = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
  const role = (name: string) => ({
    body: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules: [] },
  });
  const made = await raw(server, "POST", roles, role("system:aggregated-metrics-reader"));
  assert.equal(made.code, 201, JSON.stringify(made.body));
  assert.equal((await raw(server, "GET", `${roles}/system:aggregated-metrics-reader`)).code, 200);
  const refused = await raw(server, "POST", roles, role("a%b"));
  assert.equal(refused.code, 422);
  assert.match(String(at(refused.body, "message")), /metadata\.name: Invalid value: "a%b": may not contain '%'/);
});
