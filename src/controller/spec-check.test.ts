import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import { namespaceProblem, specProblems } from "./spec-check.js";

const app = (spec: Partial<Application["spec"]>): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "shop", namespace: "bosun" },
  spec: { source: { repoURL: "https://git.example/x.git" }, destination: { namespace: "shop" }, ...spec },
});

test("a spec bosun can work with has no problems", () => {
  assert.deepEqual(specProblems(app({ syncPolicy: { interval: "1s", timeout: "5m" } })), []);
  assert.deepEqual(specProblems(app({})), []);
});

test("an interval under a second, an unreadable duration and a bad namespace are each named", () => {
  assert.deepEqual(
    specProblems(
      app({
        destination: { namespace: "Bad_NS" },
        syncPolicy: { interval: "1ms", retry: { backoff: { duration: "soon" } } },
      }),
    ).map((p) => p.split(":")[0]),
    ["spec.syncPolicy.interval", "spec.syncPolicy.retry.backoff.duration", "spec.destination.namespace"],
  );
  assert.match(specProblems(app({ syncPolicy: { interval: "500ms" } }))[0] ?? "", /500ms is shorter than 1s/);
});

test("namespace names are DNS labels", () => {
  assert.equal(namespaceProblem("team-a"), undefined);
  for (const bad of ["Bad_NS", "-a", "a-", "a".repeat(64), ""]) assert.ok(namespaceProblem(bad), bad);
});

test("sync options bosun does not know are spec problems naming the item; known ones are fine", () => {
  assert.deepEqual(
    specProblems(app({ syncPolicy: { syncOptions: ["CreateNamespace=true", "PruneLast=true", "Replace=true"] } })),
    [],
  );
  assert.deepEqual(specProblems(app({ syncPolicy: { syncOptions: ["CreateNamespace=true", "Prune=maybe"] } })), [
    'spec.syncPolicy.syncOptions[1] "Prune=maybe": Prune=maybe: the value is one of true, false',
  ]);
  assert.match(
    specProblems(app({ syncPolicy: { syncOptions: ["AutoMagic=true"] } }))[0] ?? "",
    /unknown sync option "AutoMagic" \(known: Prune, Delete, Replace, .*PrunePropagationPolicy\)/,
  );
});

test("a health check whose CEL does not compile is named by its index and kind", () => {
  const problems = specProblems(
    app({
      healthChecks: [
        { apiVersion: "example.com/v1", kind: "Widget", current: 'self.status.phase == "Ready"' },
        { apiVersion: "example.com/v1", kind: "Gadget", current: "true", failed: "self.status.phase ==" },
      ],
    }),
  );
  assert.deepEqual(problems, [
    "spec.healthChecks[1] (Gadget.example.com): failed: Unexpected token: EOF (at character 21)",
  ]);
  assert.deepEqual(
    specProblems(app({ healthChecks: [{ apiVersion: "example.com/v1", kind: "Widget", current: "true" }] })),
    [],
  );
});

test("a chart source names its chart and no path; an oci:// source without a chart is an artifact", () => {
  const chartApp = (source: Application["spec"]["source"]) => app({ source });
  assert.deepEqual(specProblems(chartApp({ repoURL: "https://charts.example/", chart: "web", revision: "1.x" })), []);
  assert.deepEqual(specProblems(chartApp({ repoURL: "oci://registry.example/manifests/web", path: "prod" })), []);
  assert.match(
    specProblems(chartApp({ repoURL: "https://charts.example/", chart: "web", path: "envs/prod" }))[0] ?? "",
    /^spec\.source\.path: a chart from a repository takes no path/,
  );
});

test("several sources: source or sources, refs named once, $ref value files name a ref, something renders", () => {
  const chart = { repoURL: "https://charts.example/", chart: "web", helm: { valueFiles: ["$values/prod.yaml"] } };
  const values = { repoURL: "https://git.example/config.git", ref: "values" };
  const many = (sources: Application["spec"]["source"][], extra: Partial<Application["spec"]> = {}) =>
    specProblems(app({ source: undefined as unknown as Application["spec"]["source"], sources, ...extra }));
  assert.deepEqual(many([chart, values]), []);
  assert.deepEqual(many([chart, values], { source: { ...values } }), [
    "spec.source and spec.sources: give one of them",
  ]);
  assert.deepEqual(many([chart, values, { ...values }]), ["spec.sources[2].ref: values is named twice"]);
  assert.deepEqual(many([chart]), [
    "spec.sources[0].helm.valueFiles: $values/prod.yaml names no source with ref values",
  ]);
  assert.deepEqual(many([values]), ["spec.sources: every source is only a ref; nothing would render"]);
});
