// `bosun install` (bosun into a cluster) and `bosun bootstrap` (the same, kept by bosun itself from Git).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import type { Command } from "commander";
import { DEFAULT_APP_NAMESPACE, type KubeObject } from "../api/index.js";
import { applyObjects, KubeClient, loadClusterConfig } from "../cluster/index.js";
import { dashboardUrlOption } from "./agent-command.js";
import {
  type AgentWorkloadOptions,
  BOOTSTRAP_NAME,
  type BootstrapSource,
  bootstrapApplication,
  bootstrapFileText,
  bootstrapProject,
  clusterInstall,
  DEFAULT_IMAGE_REPOSITORY,
  DEFAULT_REPLICAS,
  DEFAULT_RESOURCES,
} from "./install-manifests.js";
import { CommandFailedError, formatData, parseFormat, UsageError } from "./output.js";
import type { Io } from "./program.js";
import { bosunVersion } from "./version.js";

const CLI_FIELD_MANAGER = "bosun-cli";
export const BOOTSTRAP_FILE = "bosun.yaml";

interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  appNamespace: string;
}

interface WorkloadFlags {
  image: string;
  replicas: string;
  shards?: string;
  dashboardUrl?: string;
}

interface InstallFlags extends ClusterOptions, WorkloadFlags {
  output: string;
  agent: boolean;
  dryRun?: boolean;
}

interface BootstrapFlags extends ClusterOptions, WorkloadFlags {
  repo: string;
  path: string;
  revision?: string;
  credentialsRef?: string;
}

function workloadOptions(flags: WorkloadFlags): AgentWorkloadOptions {
  const replicas = Number(flags.replicas);
  if (!Number.isInteger(replicas) || replicas < 1)
    throw new UsageError(`--replicas ${flags.replicas}: expected a whole number of at least 1`);
  if (!flags.image.trim()) throw new UsageError("--image: expected an image reference");
  const shards = flags.shards === undefined ? undefined : Number(flags.shards);
  if (shards !== undefined && (!Number.isInteger(shards) || shards < 1 || shards > 256))
    throw new UsageError(`--shards ${flags.shards}: expected a whole number from 1 to 256`);
  return {
    image: flags.image,
    replicas,
    resources: DEFAULT_RESOURCES,
    extraArgs: [],
    ...(shards ? { shards } : {}),
    ...dashboardUrlOption(flags.dashboardUrl),
  };
}

function withClusterAndWorkload(cmd: Command): Command {
  return cmd
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "kubeconfig context")
    .option(
      "--app-namespace <ns>",
      "bosun's namespace: the agent, its Applications and Projects",
      DEFAULT_APP_NAMESPACE,
    )
    .option("--image <ref>", "the agent's image", `${DEFAULT_IMAGE_REPOSITORY}:v${bosunVersion()}`)
    .option("--replicas <n>", "replicas of the agent (one leads, the others stand by)", String(DEFAULT_REPLICAS))
    .option("--shards <n>", "the replicas split the Applications into N shards instead of one leading")
    .option("--dashboard-url <url>", "where users reach the dashboard: notifications link to each Application there");
}

/** Objects as kubectl prints them: YAML documents, or a v1 List in JSON. */
function manifestsText(objects: readonly KubeObject[], format: "json" | "yaml"): string {
  if (format === "json") return formatData({ apiVersion: "v1", kind: "List", items: objects }, "json");
  return objects.map((o) => `---\n${formatData(o, "yaml")}`).join("");
}

async function applyAll(opts: ClusterOptions, objects: readonly KubeObject[], io: Io): Promise<void> {
  const client = new KubeClient(loadClusterConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));
  const results = await applyObjects(client, objects, { fieldManager: CLI_FIELD_MANAGER });
  for (const r of results) io.out(`${r.ref.kind}/${r.ref.name} ${r.error ? `failed: ${r.error.message}` : r.action}\n`);
  if (results.some((r) => r.error)) throw new CommandFailedError("install failed");
}

/** A repository path inside the tree: relative, no `.` or `..` segments. */
export function checkedRepoPath(path: string): string {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, "");
  const segments = trimmed.split("/");
  if (trimmed === "" || path.trim().startsWith("/") || segments.some((s) => s === "" || s === "." || s === ".."))
    throw new UsageError(`--path ${path}: expected a relative directory in the repository, like clusters/prod`);
  return posix.join(...segments);
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new CommandFailedError(`git ${args[0]} failed: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}

async function gitOk(args: string[], cwd: string): Promise<boolean> {
  return git(args, cwd).then(
    () => true,
    () => false,
  );
}

/**
 * Clones the repository (with the caller's own git credentials: they stay on this machine), writes
 * bosun's manifests at PATH/bosun.yaml and pushes a commit when they changed. Resolves to the pushed SHA
 * and the branch.
 */
async function commitManifests(
  source: BootstrapSource,
  text: string,
  io: Io,
): Promise<{ sha: string; branch: string }> {
  const dir = mkdtempSync(join(tmpdir(), "bosun-bootstrap-"));
  try {
    // Not `clone --branch`: an empty repository has no branch to name yet.
    await git(["clone", "--quiet", "--", source.repoURL, dir], tmpdir());
    const branch = source.revision ?? (await git(["symbolic-ref", "--short", "HEAD"], dir)).trim();
    const remote = `refs/remotes/origin/${branch}`;
    const onRemote = await gitOk(["rev-parse", "--verify", "--quiet", remote], dir);
    // A branch the remote lacks starts from the default branch (or from nothing in an empty repository).
    await git(["checkout", "--quiet", "-B", branch, ...(onRemote ? [remote] : [])], dir);
    const file = join(dir, source.path, BOOTSTRAP_FILE);
    mkdirSync(join(dir, source.path), { recursive: true });
    let current: string | undefined;
    try {
      current = readFileSync(file, "utf8");
    } catch {
      current = undefined;
    }
    if (current !== text) {
      writeFileSync(file, text);
      await git(["add", "--", posix.join(source.path, BOOTSTRAP_FILE)], dir);
      // The caller's identity when git has one; otherwise the commit is signed as bosun.
      const identity = (await gitOk(["config", "user.email"], dir))
        ? []
        : ["-c", "user.name=bosun bootstrap", "-c", "user.email=bootstrap@bosun.invalid"];
      await git(
        [
          ...identity,
          "commit",
          "--quiet",
          "-m",
          `bosun ${bosunVersion()}: ${current ? "update" : "install"} ${source.path}/${BOOTSTRAP_FILE}`,
        ],
        dir,
      );
      await git(["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`], dir);
      io.out(`committed ${source.path}/${BOOTSTRAP_FILE} to ${branch}\n`);
    } else {
      io.out(`${source.path}/${BOOTSTRAP_FILE} on ${branch} is up to date\n`);
    }
    return { sha: (await git(["rev-parse", "HEAD"], dir)).trim(), branch };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerInstallCommands(program: Command, io: Io): void {
  withClusterAndWorkload(
    program
      .command("install")
      .description(
        "install bosun in a cluster: CRDs, namespace, RBAC, the default Project and the agent's Deployment and Service",
      ),
  )
    .option("--no-agent", "no Deployment: the agent runs outside the cluster (`bosun agent --kubeconfig ...`)")
    .option("--dry-run", "print what would be applied (-o yaml or -o json) instead of applying it")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (flags: InstallFlags) => {
      const format = parseFormat(flags.output);
      const objects = clusterInstall(flags.appNamespace, flags.agent ? workloadOptions(flags) : undefined);
      if (!flags.dryRun) return await applyAll(flags, objects, io);
      io.out(
        format === "table"
          ? objects.map((o) => `${o.kind}/${o.metadata.name} (dry run)\n`).join("")
          : manifestsText(objects, format),
      );
    });

  withClusterAndWorkload(
    program
      .command("bootstrap")
      .description(
        "install bosun and an Application that keeps bosun's own manifests applied from Git: upgrading is then a commit",
      ),
  )
    .requiredOption("--repo <url>", "the Git repository bosun's manifests are committed to (your git credentials push)")
    .requiredOption("--path <dir>", "directory in the repository for bosun's manifests, e.g. clusters/prod/bosun")
    .option("--revision <branch>", "branch to commit to and follow (default: the repository's default branch)")
    .option("--credentials-ref <secret>", "repository Secret the agent reads a private repository with")
    .action(async (flags: BootstrapFlags) => {
      if (flags.repo.startsWith("-")) throw new UsageError(`--repo ${flags.repo}: expected a repository URL`);
      if (flags.revision?.startsWith("-")) throw new UsageError(`--revision ${flags.revision}: expected a branch`);
      const source: BootstrapSource = {
        repoURL: flags.repo,
        path: checkedRepoPath(flags.path),
        revision: flags.revision,
        credentialsRef: flags.credentialsRef,
      };
      const install = clusterInstall(flags.appNamespace, workloadOptions(flags));
      const { sha, branch } = await commitManifests(source, bootstrapFileText(install, bosunVersion()), io);
      const pinned = { ...source, revision: branch };
      await applyAll(
        flags,
        [...install, bootstrapProject(flags.appNamespace, pinned), bootstrapApplication(flags.appNamespace, pinned)],
        io,
      );
      io.out(
        `bosun now applies ${source.path} of ${source.repoURL} (${branch}, ${sha.slice(0, 7)}) to itself through the Application ${flags.appNamespace}/${BOOTSTRAP_NAME}.\n` +
          `Upgrade or change bosun by committing to ${source.path}/${BOOTSTRAP_FILE}.\n`,
      );
    });
}
