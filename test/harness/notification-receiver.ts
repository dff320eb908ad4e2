// An HTTP receiver on loopback that plays a webhook endpoint, Slack, or a Git host's commit-status API for
// notification tests: it records every request (method, path, headers, body) and answers as the test says
// (a status code, or holding the request open until the test ends).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestContext } from "node:test";
import type { TestNamespace } from "./cluster-fixture.js";
import { waitFor } from "./net.js";

export interface ReceivedRequest {
  method: string;
  /** The path as sent (percent-encoding kept). */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered: a status code, or "held" for a request never answered. */
  answer: number | "held";
}

/** How to answer a request: a status code, or "hold" to keep it open (and unanswered) until the receiver closes. */
export type Answer = number | "hold";

export interface NotificationReceiver {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: ReceivedRequest[];
  /** Requests whose path starts with prefix. */
  at(prefix: string): ReceivedRequest[];
  /** Waits until check(requests) holds; the failure lists what arrived. */
  waitFor(what: string, check: (requests: ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
}

/** Starts a receiver answering each request with answer(request, earlier requests) (200 by default). */
export async function startNotificationReceiver(
  t: TestContext,
  answer: (req: Omit<ReceivedRequest, "answer">, earlier: readonly ReceivedRequest[]) => Answer = () => 200,
): Promise<NotificationReceiver> {
  const requests: ReceivedRequest[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const a = answer(received, requests);
      requests.push({ ...received, answer: a === "hold" ? "held" : a });
      if (a === "hold") return;
      res.writeHead(a, { "Content-Type": "application/json" });
      res.end(a >= 200 && a < 300 ? '{"ok":true}' : '{"message":"the receiver refused it"}');
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  const summary = () =>
    requests.map((r) => `${r.method} ${r.path} ${r.headers["x-bosun-event"] ?? ""} → ${r.answer}`).join("\n");
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    at: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    waitFor: (what, check, timeoutMs = 90_000) =>
      waitFor(what, async () => check(requests), {
        timeoutMs,
        intervalMs: 200,
        detail: () => `received:\n${summary()}`,
      }),
  };
}

/** A webhook Notifier in the agent's namespace for `events`, once the agent has seen it (its status Ready). */
export async function notifierFor(ns: TestNamespace, url: string, events: string[]): Promise<void> {
  ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Notifier",
      metadata: { name: "ops", namespace: ns.name },
      spec: { type: "webhook", address: url, events },
    }),
  );
  await waitFor(
    "the Notifier checked by the agent",
    async () =>
      ns.kubectl([
        "get",
        "notifiers.bosun.dev",
        "ops",
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]) === "True",
    { timeoutMs: 60_000 },
  );
}
