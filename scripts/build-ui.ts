// Builds the web dashboard (src/ui) into dist/ui: index.html, one minified app.js, one app.css, and a
// gzipped copy of each for clients that take it. `npm run build:ui`; `npm ci` runs it (the prepare script).
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "src/ui");
export const DEFAULT_UI_OUT_DIR = join(ROOT, "dist/ui");

/** The files the server serves (src/server/dashboard-routes.ts names the same three). */
const OUTPUTS = ["index.html", "app.js", "app.css"] as const;

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BuildUiOptions {
  /** Default dist/ui of the package. */
  outDir?: string;
}

/**
 * Builds the dashboard. The output directory is replaced whole (no stale file survives), and only once
 * the new build is complete, so a server reading it meanwhile sees the old files or the new ones.
 */
export async function buildUi(options: BuildUiOptions = {}): Promise<BuiltFile[]> {
  const finalDir = options.outDir ?? DEFAULT_UI_OUT_DIR;
  const outDir = `${finalDir}.building-${process.pid}`;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  try {
    const built = await buildInto(outDir);
    await rm(finalDir, { recursive: true, force: true });
    await rename(outDir, finalDir);
    return built;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function buildInto(outDir: string): Promise<BuiltFile[]> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: join(SOURCE, "main.tsx"), out: "app" },
      { in: join(SOURCE, "styles.css"), out: "app" },
    ],
    outdir: outDir,
    bundle: true,
    minify: true,
    format: "esm",
    // Browsers of the last few years; no polyfills are bundled.
    target: ["chrome111", "firefox113", "safari16.4", "edge111"],
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfigRaw: {},
    legalComments: "none",
    logLevel: "warning",
  });
  await copyFile(join(SOURCE, "index.html"), join(outDir, "index.html"));
  const built: BuiltFile[] = [];
  for (const file of OUTPUTS) {
    const content = await readFile(join(outDir, file));
    const gzipped = gzipSync(content, { level: 9 });
    await writeFile(join(outDir, `${file}.gz`), gzipped);
    built.push({ file, bytes: content.length, gzipBytes: gzipped.length });
  }
  return built;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await buildUi();
  for (const f of files)
    console.log(`dist/ui/${f.file.padEnd(11)} ${kib(f.bytes).padStart(9)}  gzip ${kib(f.gzipBytes)}`);
}
