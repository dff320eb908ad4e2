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
  sync: ["api", "cluster", "diff", "health"],
  controller: ["api", "cluster", "source", "render", "secrets", "diff", "health", "sync", "tools"],
  embedded: ["api"],
  server: ["controller", "api"],
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

test("the import scanner sees the imports of a file it reads", () => {
  // Guard against a regex that matches nothing: this file's own imports must be seen.
  const own = [...readFileSync(import.meta.filename, "utf8").matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
  assert.ok(own.includes("node:assert/strict") && own.includes("node:path"), `parsed ${own.join(", ")}`);
  assert.ok(existsSync(SRC));
});
