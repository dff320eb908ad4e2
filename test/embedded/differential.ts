// Differential tests: the same requests sent to the real control plane and to the embedded server, each
// answer written as a line, so the two lists can be compared (and asserted) as they are.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { apiErrorOf, KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { CLUSTER_TARGETS, type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";

/** `what: ` and what the request returned, or the API server's code and message when it refused it. */
export async function answerOf(what: string, request: () => Promise<string>): Promise<string> {
  try {
    return `${what}: ${await request()}`;
  } catch (err) {
    const api = apiErrorOf(err);
    if (!api) throw err;
    return `${what}: ${api.code} ${api.message}`;
  }
}

/**
 * Runs `answers` in a fresh namespace of each target (a client defaulting to it), asserts the embedded server
 * answered as the real control plane did, and returns the real answers.
 */
export async function answeredAlike(
  t: TestContext,
  answers: (client: KubeClient, ns: TestNamespace) => Promise<string[]>,
): Promise<string[]> {
  const [real, embedded] = await Promise.all(
    CLUSTER_TARGETS.map(async (target) => {
      const ns = await testNamespace(t, target);
      const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }), { defaultNamespace: ns.name });
      return await answers(client, ns);
    }),
  );
  assert.deepEqual(embedded, real, "the embedded server answers as the real control plane");
  return real ?? [];
}
