import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { ApplicationSet } from "../api/index.js";
import { generatedApplications } from "./application-sets.js";
import { type GeneratorCluster, type GeneratorContext, generate, selectorMatches } from "./appset-generators.js";
import { flattenParams, renderTemplate } from "./appset-template.js";

const noGit: GeneratorContext = {
  clusters: () => [],
  gitTree: () => Promise.reject(new Error("no git here")),
};

test("placeholders take flattened parameters, with spaces inside the braces; a missing one is an error", () => {
  const params = flattenParams({ name: "eu", values: { size: 3, zones: ["a", "b"] }, on: true });
  assert.deepEqual(params, {
    name: "eu",
    "values.size": "3",
    "values.zones.0": "a",
    "values.zones.1": "b",
    on: "true",
  });
  const rendered = renderTemplate(
    { metadata: { name: "web-{{ name }}" }, spec: { n: "{{values.size}}", "{{name}}-key": ["{{on}}"] } },
    params,
  );
  assert.deepEqual(rendered, { value: { metadata: { name: "web-eu" }, spec: { n: "3", "eu-key": ["true"] } } });
  const missing = renderTemplate({ a: "{{nope}} and {{name}} and {{ other }}" }, params);
  assert.ok("error" in missing);
  assert.match(missing.error, /^no parameter \{\{nope\}\}, \{\{other\}\} \(have: name, on, values\.size/);
});

test("label selectors: matchLabels and every matchExpressions operator", () => {
  const labels = { env: "prod", region: "eu" };
  assert.ok(selectorMatches(undefined, labels));
  assert.ok(selectorMatches({ matchLabels: { env: "prod" } }, labels));
  assert.ok(!selectorMatches({ matchLabels: { env: "dev" } }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "region", operator: "In", values: ["eu", "us"] }] }, labels));
  assert.ok(!selectorMatches({ matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "env", operator: "Exists" }] }, labels));
  assert.ok(!selectorMatches({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, labels));
});

test("clusters generator: name, server, labels, annotations and values; a selector leaves out the agent's own cluster", async () => {
  const known: GeneratorCluster[] = [
    { name: "in-cluster", server: "https://kubernetes.default.svc", labels: {}, annotations: {} },
    { name: "Prod_EU", server: "https://eu.example.test", labels: { env: "prod" }, annotations: { owner: "ops" } },
    { name: "dev", server: "https://dev.example.test", labels: { env: "dev" }, annotations: {} },
  ];
  const ctx: GeneratorContext = { ...noGit, clusters: () => known };
  const all = await generate({ clusters: {} }, ctx);
  assert.deepEqual(
    all.map((p) => p.name),
    ["in-cluster", "Prod_EU", "dev"],
  );
  const prod = await generate(
    { clusters: { selector: { matchLabels: { env: "prod" } }, values: { ns: "web-{{name}}" } } },
    ctx,
  );
  assert.deepEqual(prod, [
    {
      name: "Prod_EU",
      nameNormalized: "prod-eu",
      server: "https://eu.example.test",
      "metadata.labels.env": "prod",
      "metadata.annotations.owner": "ops",
      "values.ns": "web-Prod_EU",
    },
  ]);
  const notDev = await generate(
    { clusters: { selector: { matchExpressions: [{ key: "env", operator: "NotIn", values: ["dev"] }] } } },
    ctx,
  );
  assert.deepEqual(
    notDev.map((p) => p.name),
    ["Prod_EU"],
  );
});

test("git generator: directories by glob with exclusions, files flattened, symlinks never followed", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "bosun-appset-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ["apps/web", "apps/api", "apps/legacy", "apps/web/overlays", "clusters/eu", "clusters/us"])
    mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "clusters/eu/config.json"), JSON.stringify({ cluster: { name: "eu", replicas: 2 } }));
  writeFileSync(join(root, "clusters/us/config.yaml"), "- cluster: {name: us-1}\n- cluster: {name: us-2}\n");
  const outside = mkdtempSync(join(tmpdir(), "bosun-appset-outside-"));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  mkdirSync(join(outside, "secret"));
  writeFileSync(join(outside, "secret", "config.json"), JSON.stringify({ stolen: true }));
  symlinkSync(outside, join(root, "apps", "escape"));
  symlinkSync(join(outside, "secret", "config.json"), join(root, "clusters", "link.json"));
  const ctx: GeneratorContext = { ...noGit, gitTree: async () => root };
  const git = { repoURL: "https://git.example/deploy.git" };

  const dirs = await generate(
    { git: { ...git, directories: [{ path: "apps/*" }, { path: "apps/legacy", exclude: true }] } },
    ctx,
  );
  assert.deepEqual(dirs, [
    { path: "apps/api", "path.basename": "api", "path.basenameNormalized": "api", "path[0]": "apps", "path[1]": "api" },
    { path: "apps/web", "path.basename": "web", "path.basenameNormalized": "web", "path[0]": "apps", "path[1]": "web" },
  ]);
  const files = await generate(
    { git: { ...git, files: [{ path: "clusters/**/*.json" }, { path: "clusters/*/config.yaml" }] } },
    ctx,
  );
  assert.deepEqual(
    files.map((p) => [p["cluster.name"], p.path, p["path.filename"], p["cluster.replicas"]]),
    [
      ["eu", "clusters/eu", "config.json", "2"],
      ["us-1", "clusters/us", "config.yaml", undefined],
      ["us-2", "clusters/us", "config.yaml", undefined],
    ],
  );
  writeFileSync(join(root, "clusters/us/broken.yaml"), "a: [1, 2\n");
  await assert.rejects(
    generate({ git: { ...git, files: [{ path: "clusters/us/broken.yaml" }] } }, ctx),
    /clusters\/us\/broken\.yaml:\d+:/,
  );
});

test("matrix: every combination of two generators, parameters merged", async () => {
  const params = await generate(
    {
      matrix: {
        generators: [
          { list: { elements: [{ env: "dev" }, { env: "prod" }] } },
          { list: { elements: [{ app: "web" }, { app: "api" }] } },
        ],
      },
    },
    noGit,
  );
  assert.deepEqual(params, [
    { env: "dev", app: "web" },
    { env: "dev", app: "api" },
    { env: "prod", app: "web" },
    { env: "prod", app: "api" },
  ]);
  await assert.rejects(
    generate({ list: { elements: [] }, clusters: {} }, noGit),
    /exactly one of list, clusters, git, matrix/,
  );
});

test("generated Applications: labelled and owned by the set, cascade finalizer unless preserved, bad names and duplicates reported", () => {
  const set = {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "guestbook", namespace: "bosun", uid: "u-1" },
    spec: {
      generators: [],
      template: {
        metadata: { name: "{{name}}-guestbook", labels: { team: "a" } },
        spec: {
          source: { repoURL: "https://git.example/x.git", path: "{{path}}" },
          destination: { namespace: "{{name}}" },
        },
      },
    },
  } as unknown as ApplicationSet;
  const out = generatedApplications(set, [
    { name: "eu", path: "apps/eu" },
    { name: "eu", path: "apps/eu2" },
    { name: "Bad_Name", path: "x" },
    { path: "y" },
  ]);
  assert.equal(out.applications.length, 1);
  const [app] = out.applications;
  assert.equal(app?.metadata.name, "eu-guestbook");
  assert.deepEqual(app?.metadata.labels, { team: "a", "bosun.dev/application-set": "guestbook" });
  assert.deepEqual(app?.metadata.finalizers, ["bosun.dev/resources-finalizer"]);
  assert.equal(app?.metadata.ownerReferences?.[0]?.uid, "u-1");
  assert.deepEqual((app as unknown as { spec: unknown }).spec, {
    source: { repoURL: "https://git.example/x.git", path: "apps/eu" },
    destination: { namespace: "eu" },
  });
  assert.equal(out.errors.length, 3);
  assert.match(out.errors[0] ?? "", /parameter set 2: Application eu-guestbook is generated twice/);
  assert.match(out.errors[1] ?? "", /parameter set 3: Application name "Bad_Name-guestbook": not a valid object name/);
  assert.match(out.errors[2] ?? "", /parameter set 4: no parameter \{\{name\}\}/);
  const preserved = generatedApplications(
    { ...set, spec: { ...set.spec, syncPolicy: { preserveResourcesOnDeletion: true } } },
    [{ name: "eu", path: "a" }],
  );
  assert.deepEqual(preserved.applications[0]?.metadata.finalizers, []);
});
