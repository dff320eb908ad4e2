// Differential tests: the same requests sent to the real control plane and to the embedded server, each
// answer written as a line, so the two lists can be compared (and asserted) as they are.
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
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

export interface RawAnswer {
  code: number;
  contentType: string;
  text: string;
}

/** One HTTPS request with a kubeconfig's credentials, headers and body exactly as given. */
export async function rawRequest(
  kubeconfig: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; contentType?: string; accept?: string } = {},
): Promise<RawAnswer> {
  const config = loadClusterConfig({ kubeconfig });
  const base = await config.requestOptions();
  const headers: Record<string, string> = {
    ...(base.headers as Record<string, string> | undefined),
    accept: options.accept ?? "application/json",
  };
  if (options.body !== undefined) {
    headers["content-type"] = options.contentType ?? "application/json";
    headers["content-length"] = String(Buffer.byteLength(options.body));
  }
  return await new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, config.server), { ...base, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          code: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A raw answer as one line: the code, and the Status message when the server refused the request. */
export function rawLine(what: string, answer: RawAnswer): string {
  if (answer.code < 300) return `${what}: ${answer.code}`;
  let message = answer.text;
  try {
    message = (JSON.parse(answer.text) as { message?: string }).message ?? answer.text;
  } catch {
    // not a Status: the text as it is
  }
  return `${what}: ${answer.code} ${message}`;
}
