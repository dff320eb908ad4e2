// Each pinned tool, run for real, reports the version tools/versions.json pins.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { toolPath } from "../../src/tools/locate.js";
import { readToolVersions, TOOL_BINARIES, type ToolName } from "../../src/tools/versions.js";

/** How to ask each binary its version, and where in the answer the version stands. */
const VERSION_COMMANDS: Record<ToolName, { args: string[]; pattern: RegExp }> = {
  "kube-apiserver": { args: ["--version"], pattern: /^Kubernetes v(\S+)$/m },
  "kube-controller-manager": { args: ["--version"], pattern: /^Kubernetes v(\S+)$/m },
  "kube-scheduler": { args: ["--version"], pattern: /^Kubernetes v(\S+)$/m },
  kubectl: { args: ["version", "--client"], pattern: /^Client Version: v(\S+)$/m },
  "kubectl-1.35": { args: ["version", "--client"], pattern: /^Client Version: v(\S+)$/m },
  "kubectl-1.34": { args: ["version", "--client"], pattern: /^Client Version: v(\S+)$/m },
  etcd: { args: ["--version"], pattern: /^etcd Version: (\S+)$/m },
  kwok: { args: ["--version"], pattern: /^kwok version v(\S+) /m },
  helm: { args: ["version", "--short"], pattern: /^v(\d+\.\d+\.\d+)/m },
  kustomize: { args: ["version"], pattern: /^v(\S+)$/m },
  sops: { args: ["--version", "--disable-version-check"], pattern: /^sops (\S+)/m },
  age: { args: ["--version"], pattern: /^v(\S+)$/m },
  "age-keygen": { args: ["--version"], pattern: /^v(\S+)$/m },
  kubeseal: { args: ["--version"], pattern: /^kubeseal version: v(\S+)$/m },
  registry: { args: ["--version"], pattern: / github\.com\/distribution\/distribution\/v3 v(\S+)$/m },
  oras: { args: ["version"], pattern: /^Version:\s+(\S+)$/m },
};

const pinned = readToolVersions();

for (const [tool, pkg] of Object.entries(TOOL_BINARIES) as Array<[ToolName, keyof typeof pinned]>) {
  test(`${tool} reports the pinned ${pkg} version ${pinned[pkg]}`, () => {
    const { args, pattern } = VERSION_COMMANDS[tool];
    const output = execFileSync(toolPath(tool), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const reported = pattern.exec(output)?.[1];
    assert.equal(reported, pinned[pkg], `${tool} ${args.join(" ")} printed:\n${output}`);
  });
}
