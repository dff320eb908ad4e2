import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application } from "../api/index.js";
import { maskedJson, maskSensitive, mergeValuesFrom, ValuesFromError, type ValuesReference } from "./values-from.js";
import { applicationsUsing } from "./values-watch.js";

const cm = (name: string, extra: Partial<ValuesReference> = {}): ValuesReference => ({
  kind: "ConfigMap",
  name,
  ...extra,
});
const secret = (name: string, extra: Partial<ValuesReference> = {}): ValuesReference => ({
  kind: "Secret",
  name,
  ...extra,
});

test("documents merge in order, maps key by key, the inline values last", () => {
  const merged = mergeValuesFrom(
    [
      { ref: cm("base"), data: { "values.yaml": "image: { repository: web, tag: '1' }\nreplicas: 1\nlist: [a, b]\n" } },
      { ref: cm("prod", { valuesKey: "prod.yaml" }), data: { "prod.yaml": "image: { tag: '2' }\nlist: [c]\n" } },
    ],
    { replicas: 3 },
    "shop",
  );
  assert.deepEqual(merged.values, { image: { repository: "web", tag: "2" }, replicas: 3, list: ["c"] });
  assert.equal(merged.fromSecret, false);
  assert.deepEqual(merged.sensitive, []);
});

test("targetPath sets the key's text as a string at a dotted path; a Secret's strings are to be masked", () => {
  const merged = mergeValuesFrom(
    [
      {
        ref: secret("db", { valuesKey: "password", targetPath: "db.auth.password" }),
        data: { password: "hunter2hunter2" },
      },
      { ref: secret("api"), data: { "values.yaml": "api: { token: tok-123456, port: 8443, on: true, x: ab }\n" } },
      {
        ref: cm("tls", { valuesKey: "host", targetPath: "ingress.annotations.kubernetes\\.io/host" }),
        data: { host: "a.example" },
      },
    ],
    undefined,
    "shop",
  );
  assert.deepEqual(merged.values, {
    db: { auth: { password: "hunter2hunter2" } },
    api: { token: "tok-123456", port: 8443, on: true, x: "ab" },
    ingress: { annotations: { "kubernetes.io/host": "a.example" } },
  });
  assert.equal(merged.fromSecret, true);
  assert.deepEqual(
    merged.sensitive,
    ["hunter2hunter2", "tok-123456", "8443"],
    "longest first; short values are not masked",
  );
});

test("a missing object or key fails unless optional; values that are not a map fail; digests follow the values", () => {
  assert.throws(
    () => mergeValuesFrom([{ ref: cm("gone"), data: undefined }], undefined, "shop"),
    (e: unknown) =>
      e instanceof ValuesFromError && e.message === "ConfigMap shop/gone (helm.valuesFrom) does not exist",
  );
  assert.throws(
    () => mergeValuesFrom([{ ref: cm("cfg", { valuesKey: "v.yaml" }), data: {} }], undefined, "shop"),
    /ConfigMap shop\/cfg has no key "v\.yaml"/,
  );
  assert.throws(
    () => mergeValuesFrom([{ ref: cm("cfg"), data: { "values.yaml": "- a\n- b\n" } }], undefined, "shop"),
    /the values must be a YAML map/,
  );
  const skipped = mergeValuesFrom([{ ref: cm("gone", { optional: true }), data: undefined }], { a: 1 }, "shop");
  assert.deepEqual(skipped.values, { a: 1 });
  const other = mergeValuesFrom([], { a: 2 }, "shop");
  assert.notEqual(skipped.digest, other.digest);
});

test("masking replaces every occurrence, also inside JSON strings where quotes are escaped", () => {
  assert.equal(maskSensitive("token tok-123456 and tok-123456", ["tok-123456"]), "token <secret> and <secret>");
  const status = { drift: [{ changes: [{ from: 'pa"ss-word', to: "other" }] }], message: "ok" };
  assert.deepEqual(maskedJson(status, ['pa"ss-word']), {
    drift: [{ changes: [{ from: "<secret>", to: "other" }] }],
    message: "ok",
  });
  assert.equal(maskedJson(status, []), status);
});

test("a change to a ConfigMap or Secret wakes the Applications of its namespace that name it", () => {
  const app = (name: string, namespace: string, refs: ValuesReference[]): Application => ({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name, namespace },
    spec: { source: { repoURL: "https://c.example/", chart: "web", helm: { valuesFrom: refs } }, destination: {} },
  });
  const apps = [
    app("a", "bosun", [cm("shared")]),
    app("b", "bosun", [secret("shared")]),
    app("c", "team", [cm("shared")]),
  ];
  const woken = applicationsUsing(apps, { kind: "ConfigMap", metadata: { name: "shared", namespace: "bosun" } });
  assert.deepEqual(
    woken.map((a) => a.metadata.name),
    ["a"],
  );
});
