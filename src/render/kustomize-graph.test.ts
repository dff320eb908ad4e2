import assert from "node:assert/strict";
import { test } from "node:test";
import { isRemoteReference, referencesOf } from "./kustomize-graph.js";

test("remote references: URLs, git addresses and hosted repository paths", () => {
  for (const remote of [
    "https://github.com/org/repo//deploy?ref=v1",
    "http://example.com/manifest.yaml",
    "ssh://git@example.com/org/repo.git",
    "git::https://example.com/repo.git",
    "git@github.com:org/repo.git//base",
    "github.com/org/repo/deploy?ref=main",
    "file:///tmp/repo",
  ]) {
    assert.equal(isRemoteReference(remote), true, remote);
  }
  for (const local of ["../base", "deployment.yaml", "github.com-notes/base", "./https/base"]) {
    assert.equal(isRemoteReference(local), false, local);
  }
});

test("every field of a kustomization that names a path is followed", () => {
  const refs = referencesOf({
    resources: ["deploy.yaml", "../base"],
    bases: ["../old-base"],
    components: ["../components/tls"],
    crds: ["crds/widget.yaml"],
    configurations: ["config/names.yaml"],
    patchesStrategicMerge: ["patch-smp.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inline\n"],
    patches: [{ path: "patch.yaml" }, { patch: "inline: true" }],
    patchesJson6902: [{ path: "json-patch.yaml", target: {} }],
    replacements: [{ path: "replacements.yaml" }, { source: {} }],
    openapi: { path: "schema.json" },
    generators: ["gen/", "apiVersion: builtin\nkind: ConfigMapGenerator\n"],
    transformers: ["transformer.yaml"],
    validators: ["validator.yaml"],
    configMapGenerator: [
      { name: "a", files: ["app.properties", "key=other.properties"], envs: ["a.env"], env: "b.env" },
    ],
    secretGenerator: [{ name: "s", files: ["tls.crt"] }],
  });
  assert.deepEqual(
    refs.map((r) => [r.value, r.role, r.path.join(".")]),
    [
      ["deploy.yaml", "base", "resources.0"],
      ["../base", "base", "resources.1"],
      ["../old-base", "base", "bases.0"],
      ["../components/tls", "component", "components.0"],
      ["crds/widget.yaml", "file", "crds.0"],
      ["config/names.yaml", "file", "configurations.0"],
      ["patch-smp.yaml", "file", "patchesStrategicMerge.0"],
      ["gen/", "base", "generators.0"],
      ["transformer.yaml", "base", "transformers.0"],
      ["validator.yaml", "base", "validators.0"],
      ["patch.yaml", "file", "patches.0.path"],
      ["json-patch.yaml", "file", "patchesJson6902.0.path"],
      ["replacements.yaml", "file", "replacements.0.path"],
      ["schema.json", "file", "openapi.path"],
      ["app.properties", "file", "configMapGenerator.0.files.0"],
      ["other.properties", "file", "configMapGenerator.0.files.1"],
      ["a.env", "file", "configMapGenerator.0.envs.0"],
      ["b.env", "file", "configMapGenerator.0.env"],
      ["tls.crt", "file", "secretGenerator.0.files.0"],
    ],
  );
});
