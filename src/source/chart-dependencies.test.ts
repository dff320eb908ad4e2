import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { type ChartDependency, lockDigest } from "./chart-dependencies.js";

// Written by the pinned helm 4.3.1 (`helm dependency update`) for this Chart.yaml: the digest Chart.lock holds.
const REPO = "http://127.0.0.1:36567";
const CHART_YAML = `apiVersion: v2
name: app
version: 0.1.0
dependencies:
  - name: common
    version: ">=1.0.0 <2.0.0"
    repository: ${REPO}
    tags: [base, "a&b"]
    import-values:
      - child: exports
        parent: imported
      - data
  - name: redis
    version: 2.x
    repository: ${REPO}
    alias: cache
    condition: cache.enabled
`;
const HELM_DIGEST = "sha256:df498d8cf2a69821f71196e11c84cd032a5a19886593d602822153d9ebc48883";

const fromYaml = (list: unknown): ChartDependency[] =>
  (list as Array<Record<string, unknown>>).map((d) => ({
    name: String(d.name),
    repository: String(d.repository),
    ...(d.version !== undefined ? { version: String(d.version) } : {}),
    ...(Array.isArray(d.tags) ? { tags: d.tags.map(String) } : {}),
    ...(d.condition !== undefined ? { condition: String(d.condition) } : {}),
    ...(d.alias !== undefined ? { alias: String(d.alias) } : {}),
    ...(Array.isArray(d["import-values"]) ? { importValues: d["import-values"] } : {}),
  }));

test("Chart.lock's digest is helm's: the JSON of both dependency lists as Go writes it, hashed", () => {
  const req = fromYaml((parse(CHART_YAML) as { dependencies: unknown }).dependencies);
  const lock = [
    { name: "common", repository: REPO, version: "1.2.3" },
    { name: "redis", repository: REPO, version: "2.0.0" },
  ];
  assert.equal(lockDigest(req, lock), HELM_DIGEST);
  assert.notEqual(
    lockDigest(req, [{ ...lock[0], version: "1.2.4" } as ChartDependency, lock[1] as ChartDependency]),
    HELM_DIGEST,
  );
});
