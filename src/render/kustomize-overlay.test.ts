import assert from "node:assert/strict";
import { test } from "node:test";
import { hasOverrides, overlayKustomization, parseImageOverride } from "./kustomize-overlay.js";

test("image overrides in `kustomize edit set image` form", () => {
  assert.deepEqual(parseImageOverride("nginx=registry.example/nginx:1.27"), {
    name: "nginx",
    newName: "registry.example/nginx",
    newTag: "1.27",
  });
  assert.deepEqual(parseImageOverride("nginx=nginx:1.27"), { name: "nginx", newTag: "1.27" });
  assert.deepEqual(parseImageOverride("nginx:1.27"), { name: "nginx", newTag: "1.27" });
  assert.deepEqual(parseImageOverride("nginx=:1.27"), { name: "nginx", newTag: "1.27" });
  assert.deepEqual(parseImageOverride("localhost:5000/app"), { name: "localhost:5000/app" });
  assert.deepEqual(parseImageOverride("app=localhost:5000/app:v2"), {
    name: "app",
    newName: "localhost:5000/app",
    newTag: "v2",
  });
  assert.deepEqual(parseImageOverride("app=mirror/app@sha256:abc123"), {
    name: "app",
    newName: "mirror/app",
    digest: "sha256:abc123",
  });
  for (const bad of ["=x:1", "app=x:", "app=x@"]) assert.throws(() => parseImageOverride(bad), /is not NAME=/);
});

test("hasOverrides is false for an empty spec and for allowRemoteBases alone", () => {
  assert.equal(hasOverrides({}), false);
  assert.equal(hasOverrides({ allowRemoteBases: true, images: [], commonLabels: {} }), false);
  assert.equal(hasOverrides({ namePrefix: "p-" }), true);
  assert.equal(hasOverrides({ commonAnnotations: { a: "b" } }), true);
});

test("the overlay names the app directory and carries every override", () => {
  const k = overlayKustomization(
    {
      namespace: "team-a",
      namePrefix: "p-",
      nameSuffix: "-s",
      images: ["web=registry.example/web:2", { name: "db", newTag: "16" }],
      commonLabels: { team: "a" },
      labels: [{ pairs: { tier: "web" }, includeTemplates: true }],
      commonAnnotations: { owner: "ops" },
    },
    "../../checkouts/abc/apps/web",
    [{ patch: "- op: replace\n  path: /spec/replicas\n  value: 3\n", target: { kind: "Deployment" } }],
  );
  assert.deepEqual(k, {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: ["../../checkouts/abc/apps/web"],
    namespace: "team-a",
    namePrefix: "p-",
    nameSuffix: "-s",
    images: [
      { name: "web", newName: "registry.example/web", newTag: "2" },
      { name: "db", newTag: "16" },
    ],
    labels: [
      { pairs: { tier: "web" }, includeTemplates: true },
      { pairs: { team: "a" }, includeSelectors: true },
    ],
    commonAnnotations: { owner: "ops" },
    patches: [{ patch: "- op: replace\n  path: /spec/replicas\n  value: 3\n", target: { kind: "Deployment" } }],
  });
});

test("an invalid namespace override is refused", () => {
  assert.throws(() => overlayKustomization({ namespace: "Team_A" }, "../app", []), /not a valid namespace/);
});
