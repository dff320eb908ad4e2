// Helpers for render tests against the pinned tools: fixture folders committed into real git repositories,
// bare runs of the pinned binaries, and the expected effect of bosun's post-processing.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { toolPath } from "../../src/tools/locate.js";
import { Repo, type TempDirs } from "../source/git-fixture.js";

const run = promisify(execFile);

export const FIXTURES = resolve(import.meta.dirname, "fixtures");

export interface FixtureRepo {
  repo: Repo;
  dir: string;
  sha: string;
}

/**
 * A git repository holding fixture folders (repository path → fixture name), plus extra files and symlinks,
 * in one commit.
 */
export async function fixtureRepo(
  temp: TempDirs,
  layout: Record<string, string>,
  extra: { files?: Record<string, string>; symlinks?: Record<string, string>; dir?: string } = {},
): Promise<FixtureRepo> {
  const dir = extra.dir ?? join(await temp.make("bosun-render-repo-"), "repo");
  const repo = await Repo.init(dir);
  for (const [path, fixture] of Object.entries(layout)) {
    await mkdir(join(dir, path), { recursive: true });
    await cp(join(FIXTURES, fixture), join(dir, path), { recursive: true });
  }
  const sha = await repo.commit("fixtures", extra.files ?? {}, { symlinks: extra.symlinks ?? {} });
  return { repo, dir, sha };
}

/** Run a pinned binary directly, as a user would; its stdout. helm gets private, empty homes. */
export async function runPinned(tool: "helm" | "kustomize", args: string[], cwd: string): Promise<string> {
  const homes = await mkdtemp(join(tmpdir(), "bosun-bare-"));
  try {
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: homes,
      HELM_CACHE_HOME: join(homes, "cache"),
      HELM_CONFIG_HOME: join(homes, "config"),
      HELM_DATA_HOME: join(homes, "data"),
    };
    const { stdout } = await run(toolPath(tool), args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } finally {
    await rm(homes, { recursive: true, force: true });
  }
}

/** The objects of a YAML stream, read with the yaml library directly (not through bosun's parser). */
export function objectsOf(stream: string): KubeObject[] {
  return parseAllDocuments(stream)
    .map((d) => d.toJS() as unknown)
    .filter((v): v is KubeObject => v !== null && v !== undefined);
}

/**
 * What bosun should make of a tool's objects: the destination namespace on namespaced objects without one, no
 * namespace on the listed cluster-scoped kinds, and the tracking annotation.
 */
export function withBosunAdditions(
  objects: KubeObject[],
  options: { app: { name: string; namespace: string }; namespace: string; clusterScoped: readonly string[] },
): KubeObject[] {
  return objects.map((source) => {
    const o = structuredClone(source);
    const group = o.apiVersion.includes("/") ? o.apiVersion.slice(0, o.apiVersion.indexOf("/")) : "";
    if (options.clusterScoped.includes(o.kind)) delete o.metadata.namespace;
    else o.metadata.namespace ??= options.namespace;
    const ns = o.metadata.namespace ?? "";
    o.metadata.annotations = {
      ...o.metadata.annotations,
      "bosun.dev/tracking-id": `${options.app.namespace}/${options.app.name}:${group}/${o.kind}:${ns}/${o.metadata.name}`,
    };
    return o;
  });
}
