import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { trackingId } from "../api/index.js";
import { RenderError } from "./errors.js";
import { finalizeObjects } from "./post-process.js";
import { scopeOf } from "./scope.js";

const app = { name: "guestbook", namespace: "bosun" };
const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
});
const namespaced = (_apiVersion: string, kind: string): boolean => !["Namespace", "ClusterRole"].includes(kind);

test("tracking id: <app-namespace>/<app-name>:<group>/<kind>:<namespace>/<name>", () => {
  assert.equal(
    trackingId(app, { group: "apps", kind: "Deployment", namespace: "web", name: "api" }),
    "bosun/guestbook:apps/Deployment:web/api",
  );
  assert.equal(
    trackingId(app, { group: "", kind: "Namespace", namespace: "", name: "web" }),
    "bosun/guestbook:/Namespace:/web",
  );
});

test("namespaced objects get the destination namespace when they have none, and keep their own", () => {
  const out = finalizeObjects({
    documents: [
      { object: obj("apps/v1", "Deployment", "a") },
      { object: obj("v1", "ConfigMap", "b", "elsewhere") },
      { object: obj("v1", "Namespace", "c", "should-go") },
      { object: obj("rbac.authorization.k8s.io/v1", "ClusterRole", "d") },
    ],
    app,
    destinationNamespace: "dest",
    isNamespaced: namespaced,
  });
  assert.deepEqual(
    out.map((o) => [o.metadata.namespace, o.metadata.annotations?.["bosun.dev/tracking-id"]]),
    [
      ["dest", "bosun/guestbook:apps/Deployment:dest/a"],
      ["elsewhere", "bosun/guestbook:/ConfigMap:elsewhere/b"],
      [undefined, "bosun/guestbook:/Namespace:/c"],
      [undefined, "bosun/guestbook:rbac.authorization.k8s.io/ClusterRole:/d"],
    ],
  );
  assert.equal("namespace" in (out[2]?.metadata ?? {}), false, "a cluster-scoped object keeps no namespace key");
});

test("an empty destination leaves namespaced objects without a namespace", () => {
  const [o] = finalizeObjects({
    documents: [{ object: obj("v1", "ConfigMap", "a") }],
    app,
    destinationNamespace: "",
    isNamespaced: namespaced,
  });
  assert.equal(o?.metadata.namespace, undefined);
  assert.equal(o?.metadata.annotations?.["bosun.dev/tracking-id"], "bosun/guestbook:/ConfigMap:/a");
});

test("existing annotations are kept, a forged tracking id is replaced, the input is not changed", () => {
  const input = obj("v1", "ConfigMap", "a");
  input.metadata.annotations = { keep: "me", "bosun.dev/tracking-id": "other/app:/ConfigMap:x/a" };
  const [o] = finalizeObjects({
    documents: [{ object: input }],
    app,
    destinationNamespace: "d",
    isNamespaced: namespaced,
  });
  assert.deepEqual(o?.metadata.annotations, { keep: "me", "bosun.dev/tracking-id": "bosun/guestbook:/ConfigMap:d/a" });
  assert.equal(input.metadata.namespace, undefined);
  assert.equal(input.metadata.annotations["bosun.dev/tracking-id"], "other/app:/ConfigMap:x/a");
});

test("one identity rendered twice is an error naming both files", () => {
  assert.throws(
    () =>
      finalizeObjects({
        documents: [
          { file: "a.yaml", object: obj("v1", "ConfigMap", "x") },
          { file: "b.yaml", object: obj("v1", "ConfigMap", "x", "dest") },
        ],
        app,
        destinationNamespace: "dest",
        isNamespaced: namespaced,
      }),
    (e: unknown) =>
      e instanceof RenderError &&
      e.file === "b.yaml" &&
      /ConfigMap\/dest\/x is rendered twice \(from a\.yaml and from b\.yaml\)/.test(e.message),
  );
});

test("scope: discovery first, then the built-in cluster-scoped kinds, then CRDs of the render, else namespaced", () => {
  const crd = (kind: string, scope: string): KubeObject => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: { group: "example.com", scope, names: { kind } },
  });
  const objects = [crd("ClusterWidget", "Cluster"), crd("Widget", "Namespaced")];
  const plain = scopeOf({ objects });
  assert.equal(plain("v1", "Namespace"), false);
  assert.equal(plain("storage.k8s.io/v1", "StorageClass"), false);
  assert.equal(plain("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"), false);
  assert.equal(plain("apps/v1", "Deployment"), true);
  assert.equal(plain("example.com/v1", "ClusterWidget"), false);
  assert.equal(plain("example.com/v1", "Widget"), true);
  assert.equal(plain("other.example/v1", "ClusterWidget"), true, "same kind, other group: unknown, namespaced");
  assert.equal(plain("v1", "ClusterRole"), true, "ClusterRole of the core group is not the RBAC one");
  const discovered = scopeOf({
    objects,
    isNamespaced: (apiVersion, kind) => (kind === "ClusterWidget" ? true : apiVersion === "x/v1" ? false : undefined),
  });
  assert.equal(discovered("example.com/v1", "ClusterWidget"), true, "discovery wins over a CRD in the render");
  assert.equal(discovered("x/v1", "Thing"), false);
  assert.equal(discovered("v1", "Namespace"), false, "discovery without an answer falls back to the table");
});
