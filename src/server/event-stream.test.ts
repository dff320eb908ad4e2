import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { test } from "node:test";
import { EventStreams } from "./event-stream.js";

/** What a stream was sent, and whether it ended. */
function fakeResponse() {
  const sent: string[] = [];
  let ended = false;
  const closers: Array<() => void> = [];
  const res = {
    writeHead: () => res,
    write: (text: string) => sent.push(text) > 0,
    end: () => {
      ended = true;
      for (const f of closers) f();
    },
    on: (event: string, f: () => void) => {
      if (event === "close") closers.push(f);
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, sent, ended: () => ended };
}

test("each stream hears only of the projects its audience sees; a revoked caller's streams end", () => {
  const streams = new EventStreams();
  try {
    const all = fakeResponse();
    const teamA = fakeResponse();
    streams.open(all.res, { event: "snapshot", data: { items: [] } });
    streams.open(teamA.res, { event: "snapshot", data: { items: [] } }, { sees: (p) => p === "team-a", caller: "ci" });
    streams.send("application", { name: "a" }, (a) => a.sees("team-a"));
    streams.send("application", { name: "b" }, (a) => a.sees("team-b"));
    assert.deepEqual(teamA.sent.slice(1), ['event: application\ndata: {"name":"a"}\n\n']);
    assert.equal(all.sent.length, 3);
    streams.end((a) => a.caller === "ci");
    assert.equal(teamA.ended(), true);
    assert.equal(all.ended(), false);
    assert.equal(streams.size, 1);
    streams.send("deleted", { name: "a" }, (a) => a.sees("team-a"));
    assert.equal(teamA.sent.length, 2, "an ended stream hears nothing more");
  } finally {
    streams.close();
  }
});
