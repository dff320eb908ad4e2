// kubectl of the pinned release and of the two before it (kubectl supports servers a minor release apart; users'
// kubectls lag behind) against the embedded server: discovery, client- and server-side apply, a typed-client
// create (protobuf), server-side printing, explain from OpenAPI v3, auth can-i, rollout status and delete.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { toolPath } from "../../src/tools/locate.js";
import type { ToolName } from "../../src/tools/versions.js";
import { startFixture } from "./embedded-fixture.js";

const KUBECTLS: readonly { tool: ToolName; minor: string }[] = [
  { tool: "kubectl-1.34", minor: "34" },
  { tool: "kubectl-1.35", minor: "35" },
  { tool: "kubectl", minor: "36" },
];

const manifest = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;

for (const { tool, minor } of KUBECTLS) {
  test(`${tool} works against the embedded server`, async (t) => {
    const { server, dir } = await startFixture(t, { simulator: { podReadyDelayMs: 100 } });
    const kubectl = (args: string[], input?: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile(
          toolPath(tool),
          ["--kubeconfig", server.kubeconfigPath, "--cache-dir", join(dir, `cache-${minor}`), ...args],
          { encoding: "utf8", timeout: 60_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`${tool} ${args.join(" ")}: ${stderr}`)) : resolve(stdout)),
        );
        child.stdin?.end(input ?? "");
      });
    assert.match(
      await kubectl(["version"]),
      new RegExp(`Client Version: v1\\.${minor}\\.\\d+[\\s\\S]*Server Version: v1\\.36\\.3`),
    );
    assert.match(
      await kubectl(["api-resources", "--no-headers"]),
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m,
    );
    assert.match(await kubectl(["apply", "-f", "-"], manifest("client")), /deployment.apps\/client created/);
    assert.match(
      await kubectl(["apply", "-f", "-"], manifest("client").replace("replicas: 2", "replicas: 3")),
      /configured/,
    );
    assert.match(await kubectl(["apply", "--server-side", "-f", "-"], manifest("server")), /serverside-applied/);
    assert.match(await kubectl(["create", "deployment", "typed", "--image=nginx:1.27", "--replicas=0"]), /created/);
    assert.equal(await kubectl(["get", "deployment", "typed", "-o", "jsonpath={.spec.replicas}"]), "0");
    await kubectl(["rollout", "status", "deployment/client", "--timeout=60s"]);
    assert.match(await kubectl(["get", "deployments"]), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    assert.match(await kubectl(["get", "pods"]), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    assert.match(await kubectl(["explain", "deployment.spec.replicas"]), /FIELD: replicas <integer>/);
    assert.equal((await kubectl(["auth", "can-i", "delete", "deployments"])).trim(), "yes");
    assert.match(await kubectl(["delete", "deployment", "client", "server", "typed"]), /deleted/);
  });
}
