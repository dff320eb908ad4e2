import assert from "node:assert/strict";
import { test } from "node:test";
import { HelmIndexError, parseHelmIndex } from "./helm-index.js";

const HEX = "1f4c27837394e2708f914792f1d8c3d61de003f9f7fe770453eb8665e78ad6e6";

test("entries keep version, urls, created and the digest (prefixed sha256:) as helm repo index writes them", () => {
  const index = parseHelmIndex(
    `apiVersion: v1
entries:
  demo:
  - apiVersion: v2
    created: "2026-12-05T19:40:23.636522735Z"
    digest: ${HEX}
    name: demo
    urls:
    - demo-1.0.0.tgz
    version: 1.0.0
  - name: demo
    urls: [https://elsewhere.example/demo-0.9.0.tgz]
    version: 0.9.0
  broken:
  - name: broken
    version: 1.0.0
generated: "2026-12-05T19:40:23.63617733Z"
`,
    "https://charts.example/",
  );
  assert.deepEqual(index.get("demo"), [
    { version: "1.0.0", urls: ["demo-1.0.0.tgz"], digest: `sha256:${HEX}`, created: "2026-12-05T19:40:23.636522735Z" },
    { version: "0.9.0", urls: ["https://elsewhere.example/demo-0.9.0.tgz"] },
  ]);
  assert.deepEqual(index.get("broken"), [], "an entry without urls is left out");
});

test("a file that is not an index is an error naming the repository", () => {
  assert.throws(
    () => parseHelmIndex("<html>login</html>", "https://charts.example/"),
    (e: unknown) =>
      e instanceof HelmIndexError &&
      /https:\/\/charts\.example\/index\.yaml is not a Helm repository index/.test(e.message),
  );
  assert.throws(() => parseHelmIndex("entries: [\n", "https://c/"), /is not valid YAML/);
});
