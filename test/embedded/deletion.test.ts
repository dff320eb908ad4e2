// Deletion as controllers and clients rely on it: finalizers and deletionTimestamp, garbage collection
// of dependents (background, foreground, orphan), and namespaces that take their contents along.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { EmbeddedServer } from "../../src/embedded/index.js";
import { startFixture } from "./embedded-fixture.js";
import { at, raw } from "./raw-http.js";

const CMS = "/api/v1/namespaces/default/configmaps";

async function cm(
  server: EmbeddedServer,
  name: string,
  extra: Record<string, unknown> = {},
  ns = "default",
): Promise<string> {
  const res = await raw(server, "POST", `/api/v1/namespaces/${ns}/configmaps`, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...extra } },
  });
  assert.equal(res.code, 201, res.text);
  return String(at(res.body, "metadata.uid"));
}

const ownedBy = (name: string, uid: string) => ({
  ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name, uid }],
});

test("a delete with finalizers sets deletionTimestamp; removing the last finalizer deletes", async (t) => {
  const { server } = await startFixture(t);
  await cm(server, "held", { finalizers: ["example.com/a", "example.com/b"] });
  const del = await raw(server, "DELETE", `${CMS}/held`);
  assert.equal(del.code, 200);
  assert.match(String(at(del.body, "metadata.deletionTimestamp")), /Z$/);
  assert.equal((await raw(server, "GET", `${CMS}/held`)).code, 200);
  const one = await raw(server, "PATCH", `${CMS}/held`, {
    body: [{ op: "remove", path: "/metadata/finalizers/0" }],
    contentType: "application/json-patch+json",
  });
  assert.deepEqual(at(one.body, "metadata.finalizers"), ["example.com/b"]);
  const last = await raw(server, "PATCH", `${CMS}/held`, {
    body: { metadata: { finalizers: null } },
    contentType: "application/merge-patch+json",
  });
  assert.equal(last.code, 200);
  assert.equal((await raw(server, "GET", `${CMS}/held`)).code, 404);
});

test("background propagation: dependents go once their owner is gone", async (t) => {
  const { server } = await startFixture(t);
  const owner = await cm(server, "owner");
  await cm(server, "child", ownedBy("owner", owner));
  const other = await cm(server, "other-owner");
  await cm(server, "shared", {
    ownerReferences: [...ownedBy("owner", owner).ownerReferences, ...ownedBy("other-owner", other).ownerReferences],
  });
  await raw(server, "DELETE", `${CMS}/owner`, { body: { propagationPolicy: "Background" } });
  await server.api.idle();
  assert.equal((await raw(server, "GET", `${CMS}/child`)).code, 404);
  const shared = await raw(server, "GET", `${CMS}/shared`);
  assert.equal(shared.code, 200, "a dependent with a living owner stays");
  assert.deepEqual(
    (at(shared.body, "metadata.ownerReferences") as unknown[]).map((r) => at(r, "name")),
    ["other-owner"],
  );
});

test("orphan propagation keeps dependents and removes their owner reference", async (t) => {
  const { server } = await startFixture(t);
  const owner = await cm(server, "owner");
  await cm(server, "child", ownedBy("owner", owner));
  await raw(server, "DELETE", `${CMS}/owner`, { body: { propagationPolicy: "Orphan" } });
  await server.api.idle();
  const child = await raw(server, "GET", `${CMS}/child`);
  assert.equal(child.code, 200);
  assert.equal(at(child.body, "metadata.ownerReferences"), undefined);
});

test("foreground propagation: the owner waits with foregroundDeletion until its dependents are gone", async (t) => {
  const { server } = await startFixture(t);
  const owner = await cm(server, "owner");
  const child = await cm(server, "child", { ...ownedBy("owner", owner), finalizers: ["example.com/slow"] });
  await cm(server, "grandchild", ownedBy("child", child));
  const del = await raw(server, "DELETE", `${CMS}/owner`, { body: { propagationPolicy: "Foreground" } });
  assert.deepEqual(at(del.body, "metadata.finalizers"), ["foregroundDeletion"]);
  await server.api.idle();
  assert.equal((await raw(server, "GET", `${CMS}/owner`)).code, 200, "still waiting for the child");
  assert.ok(at((await raw(server, "GET", `${CMS}/child`)).body, "metadata.deletionTimestamp"));
  await raw(server, "PATCH", `${CMS}/child`, {
    body: { metadata: { finalizers: null } },
    contentType: "application/merge-patch+json",
  });
  await server.api.idle();
  for (const name of ["owner", "child", "grandchild"])
    assert.equal((await raw(server, "GET", `${CMS}/${name}`)).code, 404, name);
});

test("deleting a namespace terminates it, removes its contents, then the namespace", async (t) => {
  const { server } = await startFixture(t);
  assert.equal(
    (
      await raw(server, "POST", "/api/v1/namespaces", {
        body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } },
      })
    ).code,
    201,
  );
  await cm(server, "a", {}, "team");
  await cm(server, "held", { finalizers: ["example.com/x"] }, "team");
  await raw(server, "POST", "/apis/apps/v1/namespaces/team/deployments", {
    body: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: {
        selector: { matchLabels: { a: "b" } },
        template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } },
      },
    },
  });
  const del = await raw(server, "DELETE", "/api/v1/namespaces/team");
  assert.equal(at(del.body, "status.phase"), "Terminating");
  await server.api.idle();
  const refused = await raw(server, "POST", "/api/v1/namespaces/team/configmaps", {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "late" } },
  });
  assert.equal(refused.code, 403);
  assert.match(
    String(at(refused.body, "message")),
    /unable to create new content in namespace team because it is being terminated/,
  );
  assert.equal((await raw(server, "GET", "/api/v1/namespaces/team/configmaps/a")).code, 404);
  assert.equal((await raw(server, "GET", "/apis/apps/v1/namespaces/team/deployments/d")).code, 404);
  assert.equal(
    (await raw(server, "GET", "/api/v1/namespaces/team")).code,
    200,
    "a finalizer in it holds the namespace",
  );
  await raw(server, "PATCH", "/api/v1/namespaces/team/configmaps/held", {
    body: { metadata: { finalizers: null } },
    contentType: "application/merge-patch+json",
  });
  await server.api.idle();
  assert.equal((await raw(server, "GET", "/api/v1/namespaces/team")).code, 404);
});

test("delete preconditions and a CRD's deletion taking its custom resources", async (t) => {
  const { server } = await startFixture(t);
  const uid = await cm(server, "p");
  const wrong = await raw(server, "DELETE", `${CMS}/p`, { body: { preconditions: { uid: "not-it" } } });
  assert.equal(wrong.code, 409);
  assert.equal((await raw(server, "DELETE", `${CMS}/p`, { body: { preconditions: { uid } } })).code, 200);
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "things", kind: "Thing" },
      versions: [{ name: "v1", served: true, storage: true }],
    },
  };
  await raw(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: crd });
  assert.equal(
    (
      await raw(server, "POST", "/apis/example.com/v1/namespaces/default/things", {
        body: { apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } },
      })
    ).code,
    201,
  );
  await raw(server, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/things.example.com");
  assert.equal((await raw(server, "GET", "/apis/example.com/v1/namespaces/default/things/t")).code, 404);
  await raw(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: crd });
  const list = await raw(server, "GET", "/apis/example.com/v1/things");
  assert.deepEqual(at(list.body, "items"), [], "a recreated CRD starts empty");
});
