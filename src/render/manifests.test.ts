import assert from "node:assert/strict";
import { test } from "node:test";
import { RenderError } from "./errors.js";
import { parseConfigFile, parseManifests } from "./manifests.js";

const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function renderError(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RenderError, `expected a RenderError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a RenderError");
}

test("multi-document YAML gives every object in order and skips empty documents", () => {
  const text = `# comment only\n---\n${configMap("a")}---\n---\n\n---\n${configMap("b")}`;
  const docs = parseManifests(text, { file: "apps/cm.yaml" });
  assert.deepEqual(
    docs.map((d) => [d.file, d.object.metadata.name]),
    [
      ["apps/cm.yaml", "a"],
      ["apps/cm.yaml", "b"],
    ],
  );
});

test("a List is flattened into its items; a bad item is reported at its own line", () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n  - ${configMap("one").replaceAll("\n", "\n    ").trim()}\n  - ${configMap("two").replaceAll("\n", "\n    ").trim()}\n`;
  const docs = parseManifests(list, { file: "list.yaml" });
  assert.deepEqual(
    docs.map((d) => d.object.metadata.name),
    ["one", "two"],
  );
  const bad =
    "apiVersion: v1\nkind: ConfigMapList\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: x}\n  - apiVersion: v1\n    metadata: {name: y}\n";
  const error = renderError(() => parseManifests(bad, { file: "bad-list.yaml" }));
  assert.equal(error.line, 7);
  assert.match(error.message, /^bad-list\.yaml:7: item 1 of ConfigMapList \(document 1\) has no kind$/);
});

test("JSON is read as YAML", () => {
  const docs = parseManifests('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque"}', {
    file: "s.json",
  });
  assert.equal(docs[0]?.object.kind, "Secret");
  assert.equal(docs[0]?.object.type, "Opaque");
});

test("values are read as YAML 1.2 (as kustomize reads them): timestamps and yes/no stay strings", () => {
  const docs = parseManifests(`${configMap("x")}data:\n  at: 2024-01-01T00:00:00Z\n  flag: yes\n  n: 10\n`, {
    file: "x.yaml",
  });
  assert.deepEqual(docs[0]?.object.data, { at: "2024-01-01T00:00:00Z", flag: "yes", n: 10 });
});

test("a syntax error names the file and the line, without quoting the content", () => {
  const text = `${configMap("ok")}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: [hunter2, more\n  other: x\n`;
  const error = renderError(() => parseManifests(text, { file: "secrets/s.yaml" }));
  assert.equal(error.file, "secrets/s.yaml");
  assert.ok(error.line !== undefined && error.line >= 10 && error.line <= 12, `line ${error.line}`);
  assert.match(error.message, /^secrets\/s\.yaml:\d+: YAML syntax error: /);
  assert.doesNotMatch(error.message, /hunter2/);
});

test("a duplicate key is an error at its line", () => {
  const error = renderError(() => parseManifests(`${configMap("a")}  name: b\n`, { file: "dup.yaml" }));
  assert.equal(error.line, 5);
  assert.match(error.message, /unique/);
});

test("documents without kind, apiVersion or a name, and non-mappings, are errors at the document's line", () => {
  const cases: Array<[string, RegExp, number]> = [
    [`${configMap("a")}---\napiVersion: v1\nmetadata:\n  name: b\n`, /document 2 has no kind/, 6],
    [`${configMap("a")}---\nkind: ConfigMap\nmetadata:\n  name: b\n`, /document 2 has no apiVersion/, 6],
    ["apiVersion: v1\nkind: ConfigMap\ndata: {}\n", /document 1 \(kind ConfigMap\) has no metadata$/, 1],
    ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n", /has no metadata\.name/, 1],
    ["\n\n- a\n- b\n", /document 1 is not a mapping but a sequence/, 3],
    ["just a string\n", /document 1 is not a mapping but a string/, 1],
  ];
  for (const [text, message, line] of cases) {
    const error = renderError(() => parseManifests(text, { file: "f.yaml" }));
    assert.match(error.message, message);
    assert.equal(error.line, line, error.message);
  }
});

test("a generateName is enough of a name", () => {
  const docs = parseManifests("apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n", {
    file: "j.yaml",
  });
  assert.equal(docs[0]?.object.metadata.generateName, "migrate-");
});

test("tool output: documents are attributed to the file of their # Source comment, without output lines", () => {
  const out = `---\n# Source: chart/templates/a.yaml\n${configMap("a")}---\n# Source: chart/templates/b.yaml\napiVersion: v1\nmetadata:\n  name: b\n`;
  const fileOfComment = (comment: string): string | undefined => /Source: chart\/(\S+)/.exec(comment)?.[1];
  const error = renderError(() => parseManifests(out, { origin: "helm template output", fileOfComment }));
  assert.equal(error.file, "templates/b.yaml");
  assert.equal(error.line, undefined, "a line of helm's output is not a line of the template");
  const good = parseManifests(`---\n# Source: chart/templates/a.yaml\n${configMap("a")}`, {
    origin: "helm template output",
    fileOfComment,
  });
  assert.deepEqual(good, [{ file: "templates/a.yaml", object: parseManifests(configMap("a"), {})[0]?.object }]);
});

test("tool output without files names the output and the line", () => {
  const error = renderError(() =>
    parseManifests(`${configMap("a")}---\nkind: X\n`, { origin: "kustomize build output" }),
  );
  assert.equal(error.file, undefined);
  assert.equal(error.message, "kustomize build output: document 2 has no apiVersion (line 6)");
});

test("alias bombs are refused", () => {
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 8; i++)
    lines.push(
      `${"b".repeat(i)}: &${"b".repeat(i)} [${Array(10)
        .fill(i === 1 ? "*a" : `*${"b".repeat(i - 1)}`)
        .join(", ")}]`,
    );
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
  const error = renderError(() => parseManifests(text, { file: "bomb.yaml" }));
  assert.match(error.message, /cannot be read/);
});

test("parseConfigFile reads one mapping and gives lines of its nodes", () => {
  const config = parseConfigFile("resources:\n  - a.yaml\n  - ../b\n", "k/kustomization.yaml");
  assert.deepEqual(config.value, { resources: ["a.yaml", "../b"] });
  assert.equal(config.lineOf(["resources", 1]), 3);
  assert.deepEqual(parseConfigFile("", "empty.yaml").value, {});
  assert.throws(() => parseConfigFile("- a\n", "list.yaml"), /list\.yaml:1: expected a mapping, found a sequence/);
});
