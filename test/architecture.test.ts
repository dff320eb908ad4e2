// The module map of DESIGN.md, enforced: a module imports only the modules it may import.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "../src");

/** module → the modules it may import (DESIGN.md, "Modules"). `tools` locates pinned binaries and is a leaf. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  api: [],
  tools: [],
  cluster: ["api"],
  source: ["api"],
  secrets: ["api", "cluster", "tools"],
  render: ["api", "secrets", "tools"],
  diff: ["api"],
  health: ["api"],
  // DESIGN.md lists api, diff and health; sync/ also names cluster/'s types and error classes (an object's
  // address, what a write returned, a refusal told from a failure). It never calls a client: ports do.
  sync: ["api", "cluster", "diff", "health"],
  controller: ["api", "cluster", "source", "render", "secrets", "diff", "health", "sync", "tools"],
  embedded: ["api"],
  // DESIGN.md lists controller and api; the server also keeps its own watch of Applications, its token
  // Secrets and parses webhook payloads, so it names cluster and source openly (no re-export hides them).
  server: ["controller", "api", "cluster", "source"],
  ui: [],
  cli: [
    "api",
    "cluster",
    "source",
    "render",
    "secrets",
    "diff",
    "health",
    "sync",
    "controller",
    "embedded",
    "server",
    "tools",
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

function moduleOf(file: string): string {
  return relative(SRC, file).split(sep)[0] ?? "";
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

test("every folder under src/ is a module of DESIGN.md", () => {
  const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const f of folders) assert.ok(f.name in MAY_IMPORT, `src/${f.name} is not in the module map`);
});

test("imports between modules point the way DESIGN.md allows", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = moduleOf(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? "";
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) {
        violations.push(`${relative(SRC, file)} imports ${spec}, outside src/`);
        continue;
      }
      const to = moduleOf(target);
      if (to !== from && !MAY_IMPORT[from]?.includes(to))
        violations.push(`${relative(SRC, file)} (${from}) imports ${to}`);
    }
  }
  assert.deepEqual(violations, []);
});

/** Every import and re-export from one module into another, with the file it names. */
function crossModuleImports(): Array<{
  file: string;
  from: string;
  to: string;
  spec: string;
  target: string;
  reexport: boolean;
}> {
  const out = [];
  for (const file of sourceFiles(SRC)) {
    const from = moduleOf(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? "";
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(file), spec);
      const to = moduleOf(target);
      if (to === from || !target.startsWith(SRC + sep)) continue;
      out.push({ file: relative(SRC, file), from, to, spec, target, reexport: m[0].startsWith("export") });
    }
  }
  return out;
}

test("a module is entered through its index.ts only", () => {
  const bypassing = crossModuleImports()
    .filter((i) => relative(join(SRC, i.to), i.target).replace(/\.[jt]s$/, "") !== "index")
    .map((i) => `${i.file} imports ${i.spec}`);
  assert.deepEqual(bypassing, []);
});

test("no module re-exports another module's names (each says what it owns)", () => {
  const reexports = crossModuleImports()
    .filter((i) => i.reexport)
    .map((i) => `${i.file} re-exports ${i.spec}`);
  assert.deepEqual(reexports, []);
});

test("the import scanner sees the imports of a file it reads", () => {
  // Guard against a regex that matches nothing: this file's own imports must be seen.
  const own = [...readFileSync(import.meta.filename, "utf8").matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
  assert.ok(own.includes("node:assert/strict") && own.includes("node:path"), `parsed ${own.join(", ")}`);
  assert.ok(existsSync(SRC));
});

test("every file docs/architecture.md names exists", () => {
  const doc = readFileSync(resolve(SRC, "../docs/architecture.md"), "utf8");
  const named = [...doc.matchAll(/`(src\/[\w./-]+\.ts)`/g)].map((m) => m[1] ?? "");
  assert.ok(named.length > 20, `only ${named.length} files named`);
  const missing = named.filter((f) => !existsSync(resolve(SRC, "..", f)));
  assert.deepEqual(missing, []);
  // "`name` in `src/file.ts`": the file defines that name.
  const claims = [...doc.matchAll(/`(\w+)` in\s+`(src\/[\w./-]+\.ts)`/g)];
  assert.ok(claims.length > 5, `only ${claims.length} functions named with their files`);
  const wrong = claims
    .filter(
      ([, name, file]) =>
        !new RegExp(`(function|class|const)\\s+${name}\\b`).test(readFileSync(resolve(SRC, "..", file ?? ""), "utf8")),
    )
    .map(([, name, file]) => `${name} in ${file}`);
  assert.deepEqual(wrong, []);
});
