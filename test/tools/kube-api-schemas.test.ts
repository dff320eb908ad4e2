// api-schemas/kubernetes-api.json.gz is what the pinned Kubernetes modules publish: regenerating it from them
// (through the Go module proxy, as the control plane is built) gives the same bytes of JSON.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { kubernetesApiBundle } from "../../src/embedded/schemas/bundle.js";
import { readToolVersions } from "../../src/tools/versions.js";

const ROOT = join(import.meta.dirname, "../..");

test("the checked-in Kubernetes API schemas are those of the pinned version, as its modules publish them", () => {
  assert.equal(kubernetesApiBundle().kubernetesVersion, readToolVersions().kubernetes);
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  assert.equal(
    go.status,
    0,
    "Go is needed to read the Kubernetes modules: install Go 1.26 (https://go.dev/doc/install)",
  );
  const check = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/kube-api-schemas.ts"), "--check"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(check.status, 0, `${check.stderr}${check.stdout}`);
});
