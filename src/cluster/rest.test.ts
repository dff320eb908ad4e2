import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import type { ClusterConfig } from "./config.js";
import { ApiError, ConnectionError } from "./errors.js";
import { RestClient } from "./rest.js";

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A loopback HTTP server that answers the nth request with handler(n), and counts them. */
async function serve(
  t: { after: (fn: () => void) => void },
  handler: Handler,
): Promise<{ config: ClusterConfig; count: () => number }> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, n++));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  return {
    config: {
      server: `http://127.0.0.1:${port}`,
      context: "test",
      requestOptions: async () => ({ headers: { authorization: "Bearer t" } }),
    },
    count: () => n,
  };
}

const fast = { baseMs: 1, maxMs: 2000, factor: 2, jitter: 0 };
const status = (
  res: ServerResponse,
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
) => {
  res.writeHead(code, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ kind: "Status", status: "Failure", code, reason, message }));
};

test("429 with Retry-After and 503 are retried until the server answers", async (t) => {
  const seenDelays: number[] = [];
  let last = 0;
  const { config, count } = await serve(t, (req, res, n) => {
    const now = Date.now();
    if (n > 0) seenDelays.push(now - last);
    last = now;
    assert.equal(req.headers.authorization, "Bearer t");
    if (n === 0) return status(res, 429, "TooManyRequests", "slow down", { "retry-after": "1" });
    if (n === 1) return status(res, 503, "ServiceUnavailable", "starting");
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"kind":"ConfigMap"}');
  });
  const client = new RestClient(config, { backoff: fast });
  const res = await client.request<{ kind: string }>({ method: "GET", path: "/api/v1/x" });
  assert.deepEqual(res, { code: 200, body: { kind: "ConfigMap" } });
  assert.equal(count(), 3);
  assert.ok((seenDelays[0] ?? 0) >= 900, `Retry-After: 1 was honoured (waited ${seenDelays[0]} ms)`);
});

test("a non-retryable error comes back as an ApiError with the server's message", async (t) => {
  const { config, count } = await serve(t, (_req, res) =>
    status(res, 422, "Invalid", 'Service "x" is invalid: spec.ports[0].port: Invalid value'),
  );
  const client = new RestClient(config, { backoff: fast });
  await assert.rejects(client.request({ method: "PATCH", path: "/api/v1/x", body: {} }), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 422);
    assert.equal(err.reason, "Invalid");
    assert.match(err.message, /spec\.ports\[0\]\.port: Invalid value/);
    return true;
  });
  assert.equal(count(), 1);
});

test("a POST that failed with 500 is not retried (it may have been acted on); a GET is, up to the limit", async (t) => {
  const { config, count } = await serve(t, (_req, res) => status(res, 500, "InternalError", "boom"));
  const client = new RestClient(config, { backoff: fast, retries: 2 });
  await assert.rejects(client.request({ method: "POST", path: "/api/v1/x", body: {} }), ApiError);
  assert.equal(count(), 1);
  await assert.rejects(client.request({ method: "GET", path: "/api/v1/x" }), /boom/);
  assert.equal(count(), 4, "one POST, then a GET tried three times");
});

test("a server that is not there gives a ConnectionError after the retries", async () => {
  const config: ClusterConfig = { server: "http://127.0.0.1:1", context: "none", requestOptions: async () => ({}) };
  const client = new RestClient(config, { backoff: fast, retries: 2 });
  await assert.rejects(client.request({ method: "GET", path: "/version" }), (err: unknown) => {
    assert.ok(err instanceof ConnectionError);
    assert.match(err.message, /GET http:\/\/127\.0\.0\.1:1\/version: .*ECONNREFUSED/);
    return true;
  });
});

test("an aborted request stops retrying at once", async (t) => {
  const { config } = await serve(t, (_req, res) =>
    status(res, 503, "ServiceUnavailable", "down", { "retry-after": "30" }),
  );
  const client = new RestClient(config);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("stop")), 50);
  await assert.rejects(client.request({ method: "GET", path: "/x", signal: controller.signal }), /stop/);
});

test("an impersonating view sends Impersonate-User and -Group; the client itself sends neither", async (t) => {
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const { config } = await serve(t, (req, res) => {
    seen.push({ user: req.headers["impersonate-user"], groups: req.headers["impersonate-group"] });
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  const client = new RestClient(config);
  const deployer = client.impersonating({ user: "system:serviceaccount:team-a:deployer" });
  const grouped = client.impersonating({ user: "jane", groups: ["devs", "ops"] });
  await client.request({ method: "GET", path: "/a" });
  await deployer.request({ method: "GET", path: "/b" });
  await grouped.request({ method: "GET", path: "/c" });
  await client.request({ method: "GET", path: "/d" });
  assert.deepEqual(seen, [
    { user: undefined, groups: undefined },
    { user: "system:serviceaccount:team-a:deployer", groups: undefined },
    { user: "jane", groups: "devs, ops" },
    { user: undefined, groups: undefined },
  ]);
  assert.equal(client.impersonation, undefined);
  assert.deepEqual(deployer.impersonation, { user: "system:serviceaccount:team-a:deployer" });
});

test("without a qps set, the client-side limit is off once the server answers with priority and fairness", async (t) => {
  const { config } = await serve(t, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "x-kubernetes-pf-flowschema-uid": "u" });
    res.end("{}");
  });
  const limited = await serve(t, (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  const paced = new RestClient(config);
  assert.equal(paced.clientSideLimit, true, "before any answer");
  await paced.request({ method: "GET", path: "/x" });
  assert.equal(paced.clientSideLimit, false);
  assert.equal(paced.impersonating({ user: "u" }).clientSideLimit, false, "its views share the transport");

  const explicit = new RestClient(config, { qps: 5 });
  await explicit.request({ method: "GET", path: "/x" });
  assert.equal(explicit.clientSideLimit, true, "a qps set is kept");
  const plain = new RestClient(limited.config);
  await plain.request({ method: "GET", path: "/x" });
  assert.equal(plain.clientSideLimit, true, "a server without priority and fairness keeps the limit");
});

test("an attempt the server never answers is abandoned after requestTimeoutMs, as a connection error", async (t) => {
  const { config, count } = await serve(t, () => undefined); // accepts, reads, never answers
  const client = new RestClient(config, { retries: 1, backoff: fast, requestTimeoutMs: 100 });
  await assert.rejects(
    client.request({ method: "GET", path: "/version" }),
    (err: unknown) => err instanceof ConnectionError && /no answer within 100 ms/.test(err.message),
  );
  assert.equal(count(), 2, "the timeout counts as a connection error: retried once");
  // The caller's own abort is still the caller's.
  const controller = new AbortController();
  const pending = client.request({ method: "GET", path: "/version", signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (err: unknown) => !(err instanceof ConnectionError));
});
