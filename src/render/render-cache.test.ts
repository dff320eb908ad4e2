import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type CachedRender, RenderCache } from "./render-cache.js";

const signal = new AbortController().signal;
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "bosun-render-cache-"));
  dirs.push(d);
  return d;
}

const render = (name: string): CachedRender => ({
  tool: "directory",
  documents: [{ file: "a.yaml", object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name } } }],
});

test("memory: the least recently used render goes first", async () => {
  const cache = new RenderCache({ memoryEntries: 2 });
  await cache.put("a", render("a"), signal);
  await cache.put("b", render("b"), signal);
  assert.ok(await cache.get("a", signal), "touch a: b is now the oldest");
  await cache.put("c", render("c"), signal);
  assert.equal(await cache.get("b", signal), undefined);
  assert.deepEqual(await cache.get("a", signal), render("a"));
  assert.deepEqual(await cache.get("c", signal), render("c"));
});

test("disk: a render written by one cache is read by another, and nothing temporary is left", async () => {
  const dir = await tempDir();
  await new RenderCache({ dir }).put("k1", render("x"), signal);
  assert.deepEqual(await readdir(dir), ["k1.json"]);
  const fresh = new RenderCache({ dir });
  assert.deepEqual(await fresh.get("k1", signal), render("x"));
  assert.equal(await fresh.get("k2", signal), undefined);
  const stored = JSON.parse(await readFile(join(dir, "k1.json"), "utf8")) as { format: number };
  assert.equal(stored.format, 1);
});

test("disk: an unreadable or foreign file is a miss and is removed", async () => {
  const dir = await tempDir();
  await writeFile(join(dir, "bad.json"), "{not json");
  await writeFile(join(dir, "old.json"), JSON.stringify({ format: 0, tool: "directory", documents: [] }));
  await writeFile(
    join(dir, "shape.json"),
    JSON.stringify({ format: 1, tool: "directory", documents: [{ object: { kind: "X" } }] }),
  );
  const cache = new RenderCache({ dir });
  for (const key of ["bad", "old", "shape"]) assert.equal(await cache.get(key, signal), undefined, key);
  assert.deepEqual(await readdir(dir), []);
});
