import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  cacheRoot,
  packageDir,
  readToolVersions,
  TOOL_BINARIES,
  TOOL_PACKAGES,
  type ToolPackage,
  type ToolVersions,
} from "./versions.js";

/** Where one recipe writes: binaries go straight into outDir; workDir is a scratch Go module. */
interface BuildContext {
  version: string;
  outDir: string;
  workDir: string;
  signal: AbortSignal;
}

type Recipe = (ctx: BuildContext) => Promise<void>;

const GO_ENV = { CGO_ENABLED: "0", GOFLAGS: "-buildvcs=false", GOTOOLCHAIN: "local" };

/** Runs cmd with the Go build environment (no cgo, no VCS stamp, the local toolchain); resolves to its output. */
export async function run(
  cmd: string,
  args: string[],
  cwd: string,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...GO_ENV, ...env }, signal });
    const out: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => out.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      const text = Buffer.concat(out).toString("utf8");
      if (code === 0) resolve(text);
      else reject(new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${code}:\n${text.slice(-6000)}`));
    });
  });
}

async function goModDir(ctx: BuildContext, module: string): Promise<string> {
  rmSync(ctx.workDir, { recursive: true, force: true });
  mkdirSync(ctx.workDir, { recursive: true });
  await run("go", ["mod", "init", module], ctx.workDir, ctx.signal);
  return ctx.workDir;
}

async function goModCache(ctx: BuildContext): Promise<string> {
  return (await run("go", ["env", "GOMODCACHE"], ctx.workDir, ctx.signal)).trim();
}

/** `go install pkg@version` into outDir; the tools below have no replace directives, so this works as-is. */
function goInstall(pkgs: string[], ldflags: (v: string) => string = () => "-s -w"): Recipe {
  return async (ctx) => {
    mkdirSync(ctx.workDir, { recursive: true });
    for (const pkg of pkgs) {
      await run(
        "go",
        ["install", "-trimpath", `-ldflags=${ldflags(ctx.version)}`, `${pkg}@v${ctx.version}`],
        ctx.workDir,
        ctx.signal,
        { GOBIN: ctx.outDir },
      );
    }
  };
}

/**
 * kube-apiserver, kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes.
 * Its go.mod requires every staging module at v0.0.0 with a replace to ./staging, which consumers
 * cannot see; so each one is replaced by its published v0.X.Y, generated from the real go.mod.
 */
const kubernetes: Recipe = (ctx) =>
  buildKubernetes(ctx, ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"]);

/** kubectl of an earlier minor release, built as the control plane is and named `kubectl-1.MINOR`. */
const olderKubectl: Recipe = async (ctx) => {
  await buildKubernetes(ctx, ["kubectl"]);
  const minor = ctx.version.split(".").slice(0, 2).join(".");
  renameSync(join(ctx.outDir, "kubectl"), join(ctx.outDir, `kubectl-${minor}`));
};

async function buildKubernetes(ctx: BuildContext, commands: readonly string[]): Promise<void> {
  const v = ctx.version;
  const [, minor] = v.split(".");
  const staging = `v0.${v.split(".").slice(1).join(".")}`;
  const dir = await goModDir(ctx, "local/k8sbins");
  const info = JSON.parse(
    await run("go", ["mod", "download", "-json", `k8s.io/kubernetes@v${v}`], dir, ctx.signal),
  ) as {
    GoMod: string;
  };
  const upstream = readFileSync(info.GoMod, "utf8");
  const stagingModules = [...upstream.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+v0\.0\.0\s*$/gm)].map((m) => m[1] as string);
  if (stagingModules.length === 0) throw new Error(`no staging modules at v0.0.0 found in ${info.GoMod}`);
  const edits = stagingModules.map((m) => `-replace=${m}=${m}@${staging}`);
  const godebug = /^godebug\s+(\S+)/m.exec(upstream)?.[1];
  if (godebug) edits.push(`-godebug=${godebug}`);
  await run("go", ["mod", "edit", ...edits], dir, ctx.signal);
  const cmds = commands.map((c) => `k8s.io/kubernetes/cmd/${c}`);
  await run("go", ["get", ...cmds.map((c) => `${c}@v${v}`)], dir, ctx.signal);
  const stamp = (pkg: string) =>
    [
      `-X ${pkg}.gitVersion=v${v}`,
      `-X ${pkg}.gitMajor=1`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    ].join(" ");
  const ldflags = `-s -w ${stamp("k8s.io/component-base/version")} ${stamp("k8s.io/client-go/pkg/version")}`;
  await run(
    "go",
    ["build", "-trimpath", "-pgo=off", `-ldflags=${ldflags}`, "-o", `${ctx.outDir}/`, ...cmds],
    dir,
    ctx.signal,
  );
}

/** etcd's server module has replace directives, so it is built through a one-file wrapper of etcdmain. */
const etcd: Recipe = async (ctx) => {
  const dir = await goModDir(ctx, "local/etcdbin");
  writeFileSync(
    join(dir, "main.go"),
    'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n',
  );
  await run("go", ["get", `go.etcd.io/etcd/server/v3@v${ctx.version}`], dir, ctx.signal);
  await run("go", ["mod", "tidy"], dir, ctx.signal);
  await run("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", join(ctx.outDir, "etcd"), "."], dir, ctx.signal);
};

/** kwok plus the stage definitions shipped inside its module (kwok refuses to start without stages). */
const kwok: Recipe = async (ctx) => {
  await goInstall(["sigs.k8s.io/kwok/cmd/kwok"], (v) => `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v${v}`)(ctx);
  const stages = join(await goModCache(ctx), `sigs.k8s.io/kwok@v${ctx.version}`, "kustomize", "stage");
  cpSync(stages, join(ctx.outDir, "stage"), { recursive: true });
};

const RECIPES: Record<ToolPackage, Recipe> = {
  kubernetes,
  "kubectl-1.35": olderKubectl,
  "kubectl-1.34": olderKubectl,
  etcd,
  kwok,
  // Without the stamp helm reports only "v4.3".
  helm: goInstall(["helm.sh/helm/v4/cmd/helm"], (v) => `-s -w -X helm.sh/helm/v4/internal/version.version=v${v}`),
  kustomize: goInstall(["sigs.k8s.io/kustomize/kustomize/v5"]),
  sops: goInstall(["github.com/getsops/sops/v3/cmd/sops"]),
  age: goInstall(["filippo.io/age/cmd/age", "filippo.io/age/cmd/age-keygen"]),
  kubeseal: goInstall(["github.com/bitnami-labs/sealed-secrets/cmd/kubeseal"], (v) => `-s -w -X main.VERSION=v${v}`),
  // CNCF distribution, the OCI registry the tests push charts to; without the stamp it reports "v3.1.2+unknown".
  registry: goInstall(
    ["github.com/distribution/distribution/v3/cmd/registry"],
    (v) => `-s -w -X github.com/distribution/distribution/v3/version.version=v${v}`,
  ),
  // The tests push OCI artifacts of manifests with it. Its version is a constant in the module's source
  // (internal/version.Version); upstream's ldflags only add build metadata and the git commit, so no stamp.
  oras: goInstall(["oras.land/oras/cmd/oras"]),
};

/**
 * Bump when a recipe changes how a package is built (flags, stamping, extra files): a cached build made by an
 * older recipe is then rebuilt. Recorded in BUILD-INFO.json beside the binaries.
 */
const RECIPE_REVISION = 2;
const BUILD_INFO = "BUILD-INFO.json";

function binariesOf(pkg: ToolPackage): string[] {
  return Object.entries(TOOL_BINARIES)
    .filter(([, p]) => p === pkg)
    .map(([bin]) => bin);
}

export function isBuilt(pkg: ToolPackage, version: string, root: string): boolean {
  const dir = packageDir(pkg, version, root);
  try {
    const info = JSON.parse(readFileSync(join(dir, BUILD_INFO), "utf8")) as { version?: string; recipe?: number };
    if (info.version !== version || info.recipe !== RECIPE_REVISION) return false;
  } catch {
    return false;
  }
  return binariesOf(pkg).every((bin) => existsSync(join(dir, bin)));
}

export interface BuildOptions {
  root?: string;
  versions?: ToolVersions;
  only?: readonly ToolPackage[];
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Build every pinned package that is not in the cache yet. A package appears in the cache whole or not at all. */
export async function buildTools(options: BuildOptions = {}): Promise<void> {
  const root = options.root ?? cacheRoot();
  const versions = options.versions ?? readToolVersions();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signal = options.signal ?? new AbortController().signal;
  for (const pkg of options.only ?? TOOL_PACKAGES) {
    const version = versions[pkg];
    const dir = packageDir(pkg, version, root);
    if (isBuilt(pkg, version, root)) {
      log(`[tools] ${pkg} ${version}: cached at ${dir}`);
      continue;
    }
    const started = Date.now();
    log(`[tools] ${pkg} ${version}: building ${binariesOf(pkg).join(", ")} from Go modules...`);
    const tmp = `${dir}.partial-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      await RECIPES[pkg]({ version, outDir: tmp, workDir: join(root, "build", `${pkg}-${version}`), signal });
      for (const bin of binariesOf(pkg)) {
        if (!existsSync(join(tmp, bin))) throw new Error(`${pkg} ${version}: the build did not produce ${bin}`);
      }
      writeFileSync(join(tmp, BUILD_INFO), `${JSON.stringify({ package: pkg, version, recipe: RECIPE_REVISION })}\n`);
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    log(`[tools] ${pkg} ${version}: built in ${Math.round((Date.now() - started) / 1000)}s into ${dir}`);
  }
}
