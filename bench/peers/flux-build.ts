// Builds Flux's source-controller and kustomize-controller from their Go modules at the versions pinned in
// flux-versions.json, for bench/fleet.ts --peer flux only (npm test, `npm run tools` and .ci/run never build
// them). Cached like the other tools, in ~/.cache/bosun/tools/flux-source-V-kustomize-V/: the two binaries
// and the CRDs of both (crds/*.yaml), taken from the same module source.
//
// Each controller's go.mod replaces its own API module with ./api, a nested module that the module zip leaves
// out, so `go install mod@v` cannot build it. The source is copied to a scratch directory, the API module
// published at the version the go.mod requires is put at ./api, and `go build` runs there (go.sum as shipped).
// A dependency version that the module proxy here does not serve is replaced by the one flux-versions.json
// names under `substitute` (recorded in BUILD-INFO.json with the rest).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../src/tools/build.js";
import { cacheRoot } from "../../src/tools/versions.js";

export const FLUX_CONTROLLERS = ["source-controller", "kustomize-controller"] as const;
export type FluxController = (typeof FLUX_CONTROLLERS)[number];
export type FluxVersions = Record<FluxController, string> & {
  /** Per controller: module path → the version that replaces the one its go.mod requires. */
  substitute: Partial<Record<FluxController, Record<string, string>>>;
};

const VERSIONS_FILE = fileURLToPath(new URL("./flux-versions.json", import.meta.url));
/** Bump when the recipe changes how the controllers are built: a cached build by an older one is rebuilt. */
const RECIPE = 1;

export function readFluxVersions(file: string = VERSIONS_FILE): FluxVersions {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const versions = { substitute: (raw.substitute ?? {}) as FluxVersions["substitute"] } as FluxVersions;
  for (const name of FLUX_CONTROLLERS) {
    const v = raw[name];
    if (typeof v !== "string" || !/^\d+\.\d+\.\d+$/.test(v)) throw new Error(`${file}: "${name}" must be like 1.2.3`);
    versions[name] = v;
  }
  return versions;
}

export interface FluxBuild {
  dir: string;
  versions: FluxVersions;
  binary: (name: FluxController) => string;
  /** The CRD files of both controllers. */
  crds: string[];
}

function describe(dir: string, versions: FluxVersions): FluxBuild {
  const crdDir = join(dir, "crds");
  return {
    dir,
    versions,
    binary: (name) => join(dir, name),
    crds: existsSync(crdDir) ? readdirSync(crdDir).map((f) => join(crdDir, f)) : [],
  };
}

function isBuilt(dir: string, versions: FluxVersions): boolean {
  try {
    const info = JSON.parse(readFileSync(join(dir, "BUILD-INFO.json"), "utf8")) as {
      versions?: FluxVersions;
      recipe?: number;
    };
    if (JSON.stringify(info.versions) !== JSON.stringify(versions) || info.recipe !== RECIPE) return false;
  } catch {
    return false;
  }
  return FLUX_CONTROLLERS.every((c) => existsSync(join(dir, c))) && existsSync(join(dir, "crds"));
}

async function downloadDir(module: string, version: string, cwd: string, signal: AbortSignal): Promise<string> {
  const out = await run("go", ["mod", "download", "-json", `${module}@v${version}`], cwd, signal);
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}@v${version}: ${info.Error ?? "no Dir"}`);
  return info.Dir;
}

async function buildController(
  name: FluxController,
  version: string,
  substitute: Record<string, string>,
  outDir: string,
  workDir: string,
  signal: AbortSignal,
): Promise<void> {
  const module = `github.com/fluxcd/${name}`;
  const src = await downloadDir(module, version, workDir, signal);
  const dir = join(workDir, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(src, dir, { recursive: true });
  await run("chmod", ["-R", "u+w", dir], workDir, signal);
  // ./api is a module of its own, absent from the zip: the published one at the version go.mod requires.
  const goMod = readFileSync(join(dir, "go.mod"), "utf8");
  const apiModule = `${module}/api`;
  const apiVersion = new RegExp(`^\\s*${apiModule.replaceAll(".", "\\.")}\\s+v(\\S+)`, "m").exec(goMod)?.[1];
  if (!apiVersion) throw new Error(`${module}@v${version}: no requirement on ${apiModule} in go.mod`);
  cpSync(await downloadDir(apiModule, apiVersion, workDir, signal), join(dir, "api"), { recursive: true });
  await run("chmod", ["-R", "u+w", join(dir, "api")], workDir, signal);
  for (const [mod, v] of Object.entries(substitute)) {
    await run("go", ["mod", "edit", `-replace=${mod}=${mod}@v${v}`], dir, signal);
    await run("go", ["mod", "download", `${mod}@v${v}`], dir, signal, { GOWORK: "off" }); // its go.sum lines
  }
  await run("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", join(outDir, name), "."], dir, signal, {
    GOWORK: "off",
  });
  const crds = join(dir, "config", "crd", "bases");
  mkdirSync(join(outDir, "crds"), { recursive: true });
  for (const f of readdirSync(crds).filter((f) => f.endsWith(".yaml"))) cpSync(join(crds, f), join(outDir, "crds", f));
}

/** The Flux build of the pinned versions, built first when it is not in the cache (whole or not at all). */
export async function buildFlux(
  options: { root?: string; versions?: FluxVersions; log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<FluxBuild> {
  const root = options.root ?? cacheRoot();
  const versions = options.versions ?? readFluxVersions();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signal = options.signal ?? new AbortController().signal;
  const name = `flux-source-${versions["source-controller"]}-kustomize-${versions["kustomize-controller"]}`;
  const dir = join(root, "tools", name);
  if (isBuilt(dir, versions)) return describe(dir, versions);
  const started = Date.now();
  log(`[tools] ${name}: building source-controller and kustomize-controller from Go modules...`);
  const workDir = join(root, "build", name);
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  try {
    for (const c of FLUX_CONTROLLERS)
      await buildController(c, versions[c], versions.substitute[c] ?? {}, tmp, workDir, signal);
    writeFileSync(join(tmp, "BUILD-INFO.json"), `${JSON.stringify({ versions, recipe: RECIPE })}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  log(`[tools] ${name}: built in ${Math.round((Date.now() - started) / 1000)}s into ${dir}`);
  return describe(dir, versions);
}

// `npx tsx bench/peers/flux-build.ts` builds (or finds) them and prints where.
if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await buildFlux()).dir);
