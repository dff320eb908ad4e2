// Watches over HTTP: replay from a resourceVersion, live events, selectors, bookmarks, the end at
// timeoutSeconds, and 410 Gone once the event log has been compacted past the requested version.

import assert from "node:assert/strict";
import { test } from "node:test";
import { startFixture } from "./embedded-fixture.js";
import { at, raw, watchLines } from "./raw-http.js";

const CMS = "/api/v1/namespaces/default/configmaps";
const body = (name: string, labels: Record<string, string> = {}) => ({
  body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels } },
});

test("a watch replays changes after its resourceVersion, then streams live ones that match", async (t) => {
  const { server } = await startFixture(t);
  const first = await raw(server, "POST", CMS, body("a", { watch: "yes" }));
  const from = String(at(first.body, "metadata.resourceVersion"));
  await raw(server, "PATCH", `${CMS}/a`, { body: { data: { x: "1" } }, contentType: "application/merge-patch+json" });
  await raw(server, "POST", CMS, body("ignored"));
  const events = watchLines(
    server,
    `${CMS}?watch=true&resourceVersion=${from}&labelSelector=watch%3Dyes`,
    (e) => e.length === 3,
    () => {
      void raw(server, "POST", CMS, body("b", { watch: "yes" })).then(() => raw(server, "DELETE", `${CMS}/a`));
    },
  );
  const seen = (await events).map((e) => `${e.type} ${at(e.object, "metadata.name")}`);
  assert.deepEqual(seen, ["MODIFIED a", "ADDED b", "DELETED a"]);
});

test("a watch without a resourceVersion starts with the current objects as ADDED", async (t) => {
  const { server } = await startFixture(t);
  await raw(server, "POST", CMS, body("x"));
  await raw(server, "POST", "/api/v1/namespaces/kube-system/configmaps", body("elsewhere"));
  const events = await watchLines(server, `${CMS}?watch=1`, (e) => e.length === 1);
  assert.deepEqual(
    events.map((e) => [e.type, at(e.object, "metadata.name"), at(e.object, "kind")]),
    [["ADDED", "x", "ConfigMap"]],
  );
});

test("bookmarks carry the current resourceVersion; timeoutSeconds ends the stream", async (t) => {
  const { server } = await startFixture(t, { bookmarkIntervalMs: 100 });
  const created = await raw(server, "POST", CMS, body("x"));
  const rv = String(at(created.body, "metadata.resourceVersion"));
  const events = await watchLines(
    server,
    `${CMS}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`,
    () => false,
  );
  assert.ok(events.length >= 2, `several bookmarks in a second, got ${events.length}`);
  for (const e of events) {
    assert.equal(e.type, "BOOKMARK");
    assert.equal(at(e.object, "metadata.resourceVersion"), String(server.store.revision()));
    assert.equal(at(e.object, "kind"), "ConfigMap");
  }
});

test("a resourceVersion older than the event log answers an ERROR event with 410 Expired", async (t) => {
  const { server } = await startFixture(t);
  const created = await raw(server, "POST", CMS, body("old"));
  const rv = String(at(created.body, "metadata.resourceVersion"));
  await raw(server, "POST", CMS, body("newer"));
  server.store.compact(server.store.revision());
  const events = await watchLines(server, `${CMS}?watch=true&resourceVersion=${rv}`, () => false);
  assert.equal(events.length, 1);
  assert.equal(events[0]?.type, "ERROR");
  assert.equal(at(events[0]?.object, "code"), 410);
  assert.equal(at(events[0]?.object, "reason"), "Expired");
  assert.match(String(at(events[0]?.object, "message")), /^too old resource version: \d+ \(\d+\)$/);
  const fromNow = watchLines(
    server,
    `${CMS}?watch=true&resourceVersion=${server.store.revision()}`,
    (e) => e.length === 1,
    () => {
      void raw(server, "POST", CMS, body("after"));
    },
  );
  assert.equal(at((await fromNow)[0]?.object, "metadata.name"), "after", "the current version still watches");
});

test("an object that stops or starts matching a watch's selector is DELETED from or ADDED to its view", async (t) => {
  const { server } = await startFixture(t);
  await raw(server, "POST", CMS, body("m", { tier: "gold" }));
  const rv = String(server.store.revision());
  const relabel = (tier: string) =>
    raw(server, "PATCH", `${CMS}/m`, {
      body: { metadata: { labels: { tier } } },
      contentType: "application/merge-patch+json",
    });
  const events = watchLines(
    server,
    `${CMS}?watch=true&resourceVersion=${rv}&labelSelector=tier%3Dgold`,
    (e) => e.length === 2,
    () => {
      void relabel("silver")
        .then(() => relabel("bronze"))
        .then(() => relabel("gold"));
    },
  );
  assert.deepEqual(
    (await events).map((e) => `${e.type} ${at(e.object, "metadata.labels.tier")}`),
    ["DELETED silver", "ADDED gold"],
  );
});

test("watch-list: the current objects, a bookmark marking the end of the initial events, then live changes", async (t) => {
  const { server } = await startFixture(t);
  await raw(server, "POST", CMS, body("one"));
  await raw(server, "POST", CMS, body("two"));
  const events = watchLines(
    server,
    `${CMS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    (e) => e.length === 4,
    () => {
      void raw(server, "POST", CMS, body("three"));
    },
  );
  const seen = (await events).map((e) => `${e.type} ${at(e.object, "metadata.name")}`);
  assert.deepEqual(seen.slice(0, 2), ["ADDED one", "ADDED two"]);
  const [, , bookmark, live] = await events;
  assert.equal(bookmark?.type, "BOOKMARK");
  assert.deepEqual(at(bookmark?.object, "metadata.annotations"), { "k8s.io/initial-events-end": "true" });
  assert.equal(`${live?.type} ${at(live?.object, "metadata.name")}`, "ADDED three");
});

test("many watches open at once end cleanly and warn of no listener leak", async (t) => {
  const { server } = await startFixture(t);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  t.after(() => process.off("warning", onWarning));
  const streams = Array.from({ length: 15 }, () =>
    watchLines(server, `${CMS}?watch=true&timeoutSeconds=1`, () => false),
  );
  assert.equal((await Promise.all(streams)).length, 15);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    warnings.filter((w) => w.startsWith("MaxListenersExceededWarning")),
    [],
  );
});

test("many watchers of a large object each get every event whole and in order (one encoding, sent in slices)", async (t) => {
  const { server } = await startFixture(t);
  const payload = "0123456789abcdef".repeat(48 * 1024); // 768 KiB: a dozen slices per event
  let opened = 0;
  const watchers = Array.from({ length: 20 }, () =>
    watchLines(
      server,
      `${CMS}?watch=true&fieldSelector=metadata.name%3Dlarge`,
      (e) => e.length === 3,
      () => {
        opened++;
      },
    ),
  );
  while (opened < watchers.length) await new Promise((r) => setTimeout(r, 10));
  await raw(server, "POST", CMS, {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "large" }, data: { payload } },
  });
  for (const n of ["1", "2"])
    await raw(server, "PATCH", `${CMS}/large`, { body: { data: { n } }, contentType: "application/merge-patch+json" });
  for (const events of await Promise.all(watchers)) {
    assert.deepEqual(
      events.map((e) => `${e.type} ${at(e.object, "data.n") ?? "-"} ${String(at(e.object, "data.payload")).length}`),
      [`ADDED - ${payload.length}`, `MODIFIED 1 ${payload.length}`, `MODIFIED 2 ${payload.length}`],
    );
    assert.equal(at(events[2]?.object, "data.payload"), payload);
  }
});
