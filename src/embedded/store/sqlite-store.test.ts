import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import {
  type Change,
  ExpiredRevisionError,
  MAX_OBJECT_BYTES,
  ObjectTooLargeError,
  SqliteStore,
} from "./sqlite-store.js";

const key = (name: string, namespace = "ns") => ({ group: "", resource: "configmaps", namespace, name });
const cm = (name: string, owner?: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name,
    namespace: "ns",
    uid: `uid-${name}`,
    ...(owner ? { ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "o", uid: owner }] } : {}),
  },
});

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "bosun-store-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("writes take increasing revisions, survive reopening, and list in order with pagination", (t) => {
  const dir = tempDir(t);
  const store = SqliteStore.open({ dataDir: dir });
  const a = store.transaction((w) => w.put(key("b"), cm("b"), "ADDED"));
  const b = store.transaction((w) => w.put(key("a"), cm("a"), "ADDED"));
  assert.equal(a.metadata.resourceVersion, "1");
  assert.equal(b.metadata.resourceVersion, "2");
  store.close();
  const reopened = SqliteStore.open({ dataDir: dir });
  t.after(() => reopened.close());
  assert.equal(reopened.revision(), 2);
  assert.deepEqual(
    reopened.list({ group: "", resource: "configmaps" }).map((o) => o.metadata.name),
    ["a", "b"],
  );
  assert.deepEqual(
    reopened
      .list({ group: "", resource: "configmaps", after: { namespace: "ns", name: "a" }, limit: 5 })
      .map((o) => o.metadata.name),
    ["b"],
  );
  assert.equal(reopened.get(key("a"))?.metadata.uid, "uid-a");
  const c = reopened.transaction((w) => w.put(key("c"), cm("c"), "ADDED"));
  assert.equal(c.metadata.resourceVersion, "3");
});

test("a failed transaction writes nothing and notifies nobody", (t) => {
  const store = SqliteStore.open({ dataDir: ":memory:" });
  t.after(() => store.close());
  const heard: Change[] = [];
  store.subscribe((c) => heard.push(c));
  assert.throws(() =>
    store.transaction((w) => {
      w.put(key("x"), cm("x"), "ADDED");
      throw new Error("validation failed");
    }),
  );
  assert.equal(store.get(key("x")), undefined);
  assert.equal(store.revision(), 0);
  assert.equal(heard.length, 0);
  store.transaction((w) => {
    w.put(key("y"), cm("y"), "ADDED");
    w.put(key("z"), cm("z"), "ADDED");
  });
  assert.deepEqual(
    heard.map((c) => [c.type, c.key.name, c.revision]),
    [
      ["ADDED", "y", 1],
      ["ADDED", "z", 2],
    ],
  );
});

test("the event log replays changes since a revision and expires after compaction", (t) => {
  const store = SqliteStore.open({ dataDir: ":memory:", eventWindow: 1000 });
  t.after(() => store.close());
  store.transaction((w) => w.put(key("a"), cm("a"), "ADDED"));
  const obj = store.transaction((w) => w.put(key("a"), { ...cm("a"), data: { x: "1" } }, "MODIFIED"));
  store.transaction((w) => w.remove(key("a"), obj));
  store.transaction((w) => w.put(key("other", "ns2"), cm("other"), "ADDED"));
  const since1 = store.changesSince(1, { group: "", resource: "configmaps", namespace: "ns" });
  assert.deepEqual(
    since1.map((c) => [c.type, c.revision]),
    [
      ["MODIFIED", 2],
      ["DELETED", 3],
    ],
  );
  assert.equal(store.get(key("a")), undefined);
  store.compact(3);
  assert.throws(() => store.changesSince(2, { group: "", resource: "configmaps" }), ExpiredRevisionError);
  assert.deepEqual(
    store.changesSince(3, { group: "", resource: "configmaps" }).map((c) => c.revision),
    [4],
  );
});

test("dependents are found by their owner's uid", (t) => {
  const store = SqliteStore.open({ dataDir: ":memory:" });
  t.after(() => store.close());
  store.transaction((w) => {
    w.put(key("child1"), cm("child1", "owner-1"), "ADDED");
    w.put(key("child2"), cm("child2", "owner-2"), "ADDED");
  });
  assert.deepEqual(
    store.dependentsOf("owner-1").map((d) => d.key.name),
    ["child1"],
  );
  assert.equal(store.hasUid("uid-child2"), true);
});

test("an object over etcd's 1.5 MiB is refused and takes no revision; one just under is kept", (t) => {
  const store = SqliteStore.open({ dataDir: ":memory:" });
  t.after(() => store.close());
  const sized = (name: string, bytes: number) => ({ ...cm(name), data: { v: "é".repeat(bytes / 2) } });
  assert.throws(
    () => store.transaction((w) => w.put(key("big"), sized("big", MAX_OBJECT_BYTES), "ADDED")),
    (err: unknown) => err instanceof ObjectTooLargeError && err.bytes > MAX_OBJECT_BYTES,
    "multi-byte characters are counted as UTF-8 bytes",
  );
  assert.equal(store.revision(), 0);
  assert.equal(store.get(key("big")), undefined);
  const kept = store.transaction((w) => w.put(key("fits"), sized("fits", MAX_OBJECT_BYTES - 1024), "ADDED"));
  assert.equal(kept.metadata.resourceVersion, "1");
});
