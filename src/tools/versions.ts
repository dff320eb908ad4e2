import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The packages bosun builds from Go modules, each pinned in tools/versions.json. */
export const TOOL_PACKAGES = [
  "kubernetes",
  // kubectl supports a server one minor release older or newer: `bosun up` is tested with the two before it.
  "kubectl-1.35",
  "kubectl-1.34",
  "etcd",
  "kwok",
  "helm",
  "kustomize",
  "sops",
  "age",
  "kubeseal",
  "registry",
  "oras",
] as const;
export type ToolPackage = (typeof TOOL_PACKAGES)[number];

/** Every binary bosun can locate, and the package whose build produces it. */
export const TOOL_BINARIES = {
  "kube-apiserver": "kubernetes",
  "kube-controller-manager": "kubernetes",
  "kube-scheduler": "kubernetes",
  kubectl: "kubernetes",
  "kubectl-1.35": "kubectl-1.35",
  "kubectl-1.34": "kubectl-1.34",
  etcd: "etcd",
  kwok: "kwok",
  helm: "helm",
  kustomize: "kustomize",
  sops: "sops",
  age: "age",
  "age-keygen": "age",
  kubeseal: "kubeseal",
  registry: "registry",
  oras: "oras",
} as const satisfies Record<string, ToolPackage>;
export type ToolName = keyof typeof TOOL_BINARIES;

export type ToolVersions = Record<ToolPackage, string>;

// Same relative position from src/tools/*.ts and dist/tools/*.js.
const VERSIONS_FILE = fileURLToPath(new URL("../../tools/versions.json", import.meta.url));

export function readToolVersions(file: string = VERSIONS_FILE): ToolVersions {
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof raw !== "object" || raw === null) {
    throw new Error(`${file}: expected a JSON object of pinned versions`);
  }
  const record = raw as Record<string, unknown>;
  const versions = {} as ToolVersions;
  for (const name of TOOL_PACKAGES) {
    const version = record[name];
    if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`${file}: "${name}" must be a version like 1.2.3, got ${JSON.stringify(version)}`);
    }
    versions[name] = version;
  }
  return versions;
}

/** Root of bosun's cache: $BOSUN_CACHE_DIR, else $XDG_CACHE_HOME/bosun, else ~/.cache/bosun. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BOSUN_CACHE_DIR) return env.BOSUN_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "bosun");
}

/** Directory that holds the binaries of one pinned package. */
export function packageDir(pkg: ToolPackage, version: string, root: string = cacheRoot()): string {
  return join(root, "tools", `${pkg}-${version}`);
}
