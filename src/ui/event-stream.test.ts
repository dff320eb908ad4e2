import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import {
  EventStreamParser,
  followEventStream,
  reconnectDelayMs,
  type ServerEvent,
  type StreamState,
} from "./event-stream.js";

test("the parser finds events split across chunks anywhere, ignoring comments", () => {
  const text =
    'event: snapshot\ndata: {"items":[]}\n\n: keep-alive\n\nevent: application\ndata: {"name":"shop"}\n\nevent: deleted\r\ndata: {"name":"old"}\r\n\r\n';
  const whole = new EventStreamParser().push(text);
  const expected: ServerEvent[] = [
    { event: "snapshot", data: '{"items":[]}' },
    { event: "application", data: '{"name":"shop"}' },
    { event: "deleted", data: '{"name":"old"}' },
  ];
  assert.deepEqual(whole, expected);
  for (const size of [1, 2, 3, 7, 16]) {
    const parser = new EventStreamParser();
    const events: ServerEvent[] = [];
    for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
    assert.deepEqual(events, expected, `chunks of ${size}`);
  }
});

test("the parser joins data lines, defaults the event name, and waits for the blank line", () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push("data: one\ndata:two\n"), [], "no event before the blank line");
  assert.deepEqual(parser.push("\n"), [{ event: "message", data: "one\ntwo" }]);
  assert.deepEqual(parser.push("event: x\n\n"), [], "an event without data is dropped");
  assert.deepEqual(
    parser.push("data: y\n\n"),
    [{ event: "message", data: "y" }],
    "the dropped event's name does not stick",
  );
});

test("reconnect delays double from 1 s and stop at 30 s", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 40].map(reconnectDelayMs),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
  );
});

test("the stream sends the token as a header, reconnects after a loss, and stops on a refused token", async (t) => {
  const seen: Array<{ url: string | undefined; authorization: string | undefined }> = [];
  let connections = 0;
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    connections++;
    if (connections === 1) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('event: snapshot\ndata: {"items":[]}\n\n'); // then the connection is lost
    } else if (connections === 2) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end('event: application\ndata: {"name":"shop"}\n\n');
    } else {
      res.writeHead(401).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const events: string[] = [];
  const states: StreamState[] = [];
  let refused = false;
  const controller = new AbortController();
  t.after(() => controller.abort());
  await followEventStream({
    url: `http://127.0.0.1:${port}/api/events/stream`,
    token: "s3cret",
    signal: controller.signal,
    onEvent: (e) => events.push(e.event),
    onState: (s) => states.push(s),
    onUnauthorized: () => {
      refused = true;
    },
  });
  assert.deepEqual(events, ["snapshot", "application"]);
  assert.equal(refused, true);
  assert.equal(seen.length, 3);
  for (const s of seen) {
    assert.equal(s.authorization, "Bearer s3cret");
    assert.equal(s.url, "/api/events/stream", "the token is never in the URL");
  }
  assert.equal(states[0], "connecting");
  assert.ok(states.includes("live") && states.includes("retrying"), states.join(","));
});

test("aborting stops a stream that is waiting to reconnect", async () => {
  const controller = new AbortController();
  const states: StreamState[] = [];
  // Nothing listens on port 9 of loopback: every attempt fails at once.
  const done = followEventStream({
    url: "http://127.0.0.1:9/api/events/stream",
    token: "t",
    signal: controller.signal,
    onEvent: () => {},
    onState: (s) => {
      states.push(s);
      if (s === "retrying") controller.abort();
    },
    onUnauthorized: () => assert.fail("not a refusal"),
  });
  await done;
  assert.equal(controller.signal.aborted, true);
  assert.equal(states.filter((s) => s === "retrying").length, 1, "no further attempt after the abort");
});
