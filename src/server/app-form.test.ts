import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import {
  type AppForm,
  applicationOf,
  changedFields,
  decodeForm,
  formOf,
  mergeForm,
  mergePatch,
  notEditable,
  specProblem,
} from "./app-form.js";

const body = {
  name: " shop ",
  project: "",
  repoURL: "https://git.example/org/deploy.git",
  path: "envs/prod",
  revision: "main",
  destinationNamespace: "shop",
  automated: true,
  prune: true,
  selfHeal: false,
  interval: "2m",
  createNamespace: true,
  helmValueFiles: ["values.yaml", " "],
};

function decoded(value: unknown): AppForm {
  const form = decodeForm(value);
  assert.ok(!("error" in form), JSON.stringify(form));
  return form as AppForm;
}

test("a form makes the Application `bosun app create` makes from the same options", () => {
  const form = decoded(body);
  assert.equal(form.name, "shop", "text is trimmed");
  assert.equal(form.project, "default", "an empty project is the default one");
  assert.deepEqual(form.helmValueFiles, ["values.yaml"], "blank value files are dropped");
  assert.deepEqual(applicationOf(form, "bosun"), {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name: "shop", namespace: "bosun" },
    spec: {
      project: "default",
      source: {
        repoURL: "https://git.example/org/deploy.git",
        helm: { valueFiles: ["values.yaml"] },
        path: "envs/prod",
        revision: "main",
      },
      destination: { namespace: "shop" },
      syncPolicy: {
        automated: { prune: true, selfHeal: false },
        interval: "2m",
        syncOptions: ["CreateNamespace=true"],
      },
    },
  });
  const chart = decoded({ ...body, path: "", chart: "web", revision: "1.x", repoURL: "oci://registry.example/c" });
  assert.deepEqual(applicationOf(chart, "bosun").spec.source, {
    repoURL: "oci://registry.example/c",
    helm: { valueFiles: ["values.yaml"] },
    chart: "web",
    revision: "1.x",
  });
  const manual = decoded({ name: "x", repoURL: "file:///tmp/repo" });
  assert.deepEqual(applicationOf(manual, "ns").spec.syncPolicy, { syncOptions: ["CreateNamespace=true"] });
  assert.deepEqual(applicationOf(manual, "ns").spec.source, {
    repoURL: "file:///tmp/repo",
    path: "",
    revision: "HEAD",
  });
});

test("a bad form is refused naming its field", () => {
  const refused = (value: unknown) => decodeForm(value) as { field?: string; error: string };
  assert.deepEqual(refused({ ...body, repoURL: "" }), { field: "repoURL", error: "repoURL: required" });
  assert.equal(refused({ ...body, repoURL: "ext::sh -c evil" }).field, "repoURL");
  assert.match(refused({ ...body, repoURL: "ftp://x/y" }).error, /^repoURL: .*ftp transport is not allowed/);
  assert.equal(refused({ ...body, chart: "web" }).field, "chart", "a path and a chart");
  assert.equal(refused({ ...body, path: undefined, chart: "web", repoURL: "file:///x" }).field, "repoURL");
  assert.deepEqual(refused({ ...body, automated: false }), {
    field: "prune",
    error: "prune and self-heal need automated sync",
  });
  assert.equal(refused({ ...body, automated: "yes" }).field, "automated");
  assert.equal(refused({ ...body, interval: 5 }).field, "interval");
  assert.equal(refused({ ...body, helmValueFiles: "values.yaml" }).field, "helmValueFiles");
  assert.equal(refused([]).field, undefined);
});

test("the agent's spec checks name the form's field", () => {
  const app = (over: Record<string, unknown>) => applicationOf(decoded({ ...body, ...over }), "bosun");
  assert.equal(specProblem(app({})), undefined);
  assert.deepEqual(specProblem(app({ interval: "10ms" })), {
    field: "interval",
    error: "spec.syncPolicy.interval: 10ms is shorter than 1s",
  });
  assert.equal(specProblem(app({ interval: "soon" }))?.field, "interval");
  assert.equal(specProblem(app({ destinationNamespace: "Bad_NS" }))?.field, "destinationNamespace");
});

const existing: Application = {
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "shop", namespace: "bosun", resourceVersion: "7", labels: { team: "a" } },
  spec: {
    project: "team-a",
    source: {
      repoURL: "https://git.example/org/deploy.git",
      path: "envs/prod",
      revision: "main",
      directory: { recurse: true },
      helm: { valueFiles: ["a.yaml"], values: { replicas: 2 } },
      credentialsRef: { name: "repo" },
    },
    destination: { namespace: "shop", server: "https://10.0.0.1:6443" },
    syncPolicy: {
      automated: { prune: true, selfHeal: true, allowEmpty: true },
      interval: "1m",
      retry: { limit: 3 },
      syncOptions: ["PruneLast=true", "CreateNamespace=true"],
    },
    ignoreDifferences: [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }],
  },
};

test("the form filled from an Application gives the same Application back when nothing changes", () => {
  const form = formOf(existing);
  assert.deepEqual(form, {
    name: "shop",
    namespace: "bosun",
    project: "team-a",
    repoURL: "https://git.example/org/deploy.git",
    path: "envs/prod",
    revision: "main",
    destinationNamespace: "shop",
    automated: true,
    prune: true,
    selfHeal: true,
    interval: "1m",
    createNamespace: true,
    helmValueFiles: ["a.yaml"],
  });
  assert.deepEqual(mergePatch(existing, mergeForm(existing, form)), {}, "the spec as it was, to the key");
  assert.deepEqual(changedFields(form, form), []);
});

test("an edit changes the form's fields and keeps everything the form does not cover", () => {
  const form = { ...formOf(existing), path: "envs/staging", automated: false, prune: false, selfHeal: false };
  form.createNamespace = false;
  form.helmValueFiles = [];
  form.destinationCluster = "prod";
  const edited = mergeForm(existing, form);
  assert.equal(edited.spec.source.path, "envs/staging");
  assert.deepEqual(edited.spec.source.directory, { recurse: true });
  assert.deepEqual(edited.spec.source.helm, { values: { replicas: 2 } }, "value files gone, values kept");
  assert.deepEqual(edited.spec.source.credentialsRef, { name: "repo" });
  assert.deepEqual(edited.spec.destination, { namespace: "shop", name: "prod" }, "a cluster name replaces the server");
  assert.deepEqual(edited.spec.syncPolicy, { retry: { limit: 3 }, interval: "1m", syncOptions: ["PruneLast=true"] });
  assert.deepEqual(edited.spec.ignoreDifferences, existing.spec.ignoreDifferences);
  assert.deepEqual(edited.metadata, existing.metadata);
  assert.deepEqual(changedFields(formOf(existing), form), [
    "path",
    "automated",
    "prune",
    "selfHeal",
    "createNamespace",
    "helmValueFiles",
    "destinationCluster",
  ]);
  const patch = mergePatch(existing, edited) as { spec: { syncPolicy: Record<string, unknown> } };
  assert.equal(patch.spec.syncPolicy.automated, null, "turning automated sync off removes it");
  const chart = mergeForm(existing, { ...formOf(existing), path: undefined, chart: "web" });
  assert.equal(chart.spec.source.chart, "web");
  assert.equal("path" in chart.spec.source, false, "a chart replaces the path");
});

test("an Application of several sources is not the form's to edit", () => {
  assert.equal(notEditable(existing), undefined);
  assert.match(
    notEditable({ ...existing, spec: { ...existing.spec, sources: [existing.spec.source] } }) ?? "",
    /several sources/,
  );
});

test("a merge patch sets what changed, nulls what went, and leaves the rest out", () => {
  assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 4 }, e: [1, 2], f: "x" }), {
    b: { c: 4, d: null },
    e: [1, 2],
    f: "x",
  });
});
