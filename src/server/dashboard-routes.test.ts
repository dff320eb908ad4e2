import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import Fastify from "fastify";
import { installAuth } from "./auth-hook.js";
import { defaultUiDir, isDashboardPath, NOT_BUILT, registerDashboardRoutes } from "./dashboard-routes.js";

const tokens = { admin: "admin-secret", readonly: "reader-secret", webhookSecret: "hook" };

function builtDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "bosun-ui-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>bosun</title>");
  writeFileSync(join(dir, "app.js"), "console.log('dashboard');");
  writeFileSync(join(dir, "app.js.gz"), gzipSync("console.log('dashboard');"));
  writeFileSync(join(dir, "app.css"), "body{margin:0}");
  // Files that sit in the directory but are not the dashboard's: never served.
  writeFileSync(join(dir, "notes.txt"), "private");
  return dir;
}

async function serverFor(uiDir: string) {
  const server = Fastify();
  installAuth(server, tokens, () => []);
  registerDashboardRoutes(server, { uiDir });
  server.get("/api/applications", async () => ({ items: [] }));
  await server.ready();
  return server;
}

test("the dashboard's files are served without a token, with their types; the API still needs one", async (t) => {
  const server = await serverFor(builtDir(t));
  t.after(() => server.close());
  const page = await server.inject({ method: "GET", url: "/" });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers["content-type"]), /^text\/html/);
  assert.equal(page.body, "<!doctype html><title>bosun</title>");
  assert.match(String(page.headers["content-security-policy"]), /script-src 'self'/);
  const css = await server.inject({ method: "GET", url: "/ui/app.css" });
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers["content-type"]), /^text\/css/);
  const js = await server.inject({ method: "GET", url: "/ui/app.js" });
  assert.equal(js.body, "console.log('dashboard');");
  assert.match(String(js.headers["content-type"]), /^text\/javascript/);
  assert.equal((await server.inject({ method: "GET", url: "/api/applications" })).statusCode, 401);
});

test("only the fixed file names are served: other names and traversal need a token and find nothing", async (t) => {
  const server = await serverFor(builtDir(t));
  t.after(() => server.close());
  for (const url of ["/ui/notes.txt", "/ui/../package.json", "/ui/%2e%2e/package.json", "/index.html", "/ui/"]) {
    const res = await server.inject({ method: "GET", url });
    assert.ok(res.statusCode === 401 || res.statusCode === 404, `${url}: ${res.statusCode}`);
    assert.ok(!res.body.includes("private"), url);
  }
  assert.equal(isDashboardPath("/ui/app.js"), true);
  assert.equal(isDashboardPath("/ui/app.js.gz"), false);
});

test("gzip when the client takes it, and 304 for a copy it already has", async (t) => {
  const server = await serverFor(builtDir(t));
  t.after(() => server.close());
  const zipped = await server.inject({ method: "GET", url: "/ui/app.js", headers: { "accept-encoding": "gzip, br" } });
  assert.equal(zipped.headers["content-encoding"], "gzip");
  assert.deepEqual(zipped.rawPayload, gzipSync("console.log('dashboard');"));
  const plain = await server.inject({ method: "GET", url: "/ui/app.js" });
  assert.equal(plain.headers["content-encoding"], undefined);
  const etag = String(plain.headers.etag);
  const again = await server.inject({ method: "GET", url: "/ui/app.js", headers: { "if-none-match": etag } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, "");
  const css = await server.inject({ method: "GET", url: "/ui/app.css", headers: { "accept-encoding": "gzip" } });
  assert.equal(css.headers["content-encoding"], undefined, "no .gz built: the plain file");
  assert.equal(css.body, "body{margin:0}");
});

test("an unbuilt dashboard says how to build it", async (t) => {
  const empty = mkdtempSync(join(tmpdir(), "bosun-ui-empty-"));
  t.after(() => rmSync(empty, { recursive: true, force: true }));
  const server = await serverFor(join(empty, "missing"));
  t.after(() => server.close());
  const res = await server.inject({ method: "GET", url: "/" });
  assert.equal(res.statusCode, 404);
  assert.equal(res.body, NOT_BUILT);
  assert.match(res.body, /npm run build:ui/);
});

test("the default directory is dist/ui of the package", () => {
  assert.equal(defaultUiDir(), join(import.meta.dirname, "../../dist/ui/"));
});
