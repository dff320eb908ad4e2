import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeFormAnswer, decodeSaved, EMPTY_FORM, formBody, missingFields } from "./form-model.js";
import { DecodeError } from "./model.js";

test("required fields: a name when creating, a repository, a chart when the source is a chart, a project", () => {
  assert.deepEqual(Object.keys(missingFields(EMPTY_FORM, true)), ["name", "repoURL"]);
  assert.deepEqual(Object.keys(missingFields(EMPTY_FORM, false)), ["repoURL"], "an edit keeps its name");
  const filled = { ...EMPTY_FORM, name: "shop", repoURL: "file:///repo" };
  assert.deepEqual(missingFields(filled, true), {});
  assert.deepEqual(Object.keys(missingFields({ ...filled, kind: "chart", project: " " }, true)), ["chart", "project"]);
});

test("the body: trimmed, one kind of source, prune and self-heal only with automated sync, value files listed", () => {
  const body = formBody({
    ...EMPTY_FORM,
    name: " shop ",
    repoURL: "oci://registry.example/charts",
    kind: "chart",
    path: "left/over",
    chart: "web",
    automated: false,
    prune: true,
    selfHeal: true,
    helmValueFiles: "values.yaml\n\n prod.yaml, extra.yaml",
  });
  assert.equal(body.name, "shop");
  assert.equal(body.chart, "web");
  assert.equal("path" in body, false);
  assert.equal(body.prune, false);
  assert.equal(body.selfHeal, false);
  assert.deepEqual(body.helmValueFiles, ["values.yaml", "prod.yaml", "extra.yaml"]);
  const git = formBody({ ...EMPTY_FORM, chart: "web", path: "app", prune: true });
  assert.equal("chart" in git, false);
  assert.equal(git.path, "app");
  assert.equal(git.prune, true);
});

test("the form an Application fills in is decoded, and a wrong shape is refused", () => {
  const form = decodeFormAnswer({
    name: "shop",
    namespace: "bosun",
    project: "default",
    repoURL: "https://charts.example",
    chart: "web",
    revision: "1.x",
    automated: true,
    prune: false,
    selfHeal: true,
    createNamespace: false,
    helmValueFiles: ["a.yaml", "b.yaml"],
  });
  assert.equal(form.kind, "chart");
  assert.equal(form.path, "");
  assert.equal(form.helmValueFiles, "a.yaml\nb.yaml");
  assert.equal(form.destinationNamespace, "");
  assert.throws(() => decodeFormAnswer({ name: "shop", repoURL: "x", automated: "yes" }), DecodeError);
  assert.throws(() => decodeFormAnswer({ repoURL: "x" }), DecodeError);
  assert.deepEqual(decodeSaved({ namespace: "bosun", name: "shop", by: "admin" }), {
    namespace: "bosun",
    name: "shop",
  });
  assert.throws(() => decodeSaved({ name: "shop" }), DecodeError);
});
