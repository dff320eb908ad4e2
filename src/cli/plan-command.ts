// `bosun plan`: what a change in Git would do to the cluster, per Application using the repository (a pull
// request's plan, posted as a comment). Reads only; see controller/plan.ts.

import { execFileSync } from "node:child_process";
import { existsSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import { DEFAULT_APP_NAMESPACE } from "../api/index.js";
import { KubeClient, loadClusterConfig } from "../cluster/index.js";
import { EXIT_CHANGES, planChange, planJson, planMarkdown } from "../controller/index.js";
import { cacheRoot } from "../tools/index.js";
import { ChangesFoundError, CommandFailedError, UsageError } from "./output.js";
import type { Io } from "./program.js";

interface PlanCommandOptions {
  repo: string;
  base: string;
  head: string;
  app?: string;
  all?: boolean;
  kubeconfig?: string;
  context?: string;
  appNamespace: string;
  output: string;
}

/** A local checkout: its origin (when it has one) and its file:// URL name it; it is rendered from itself. */
function localRepository(dir: string): { repoUrls: string[]; renderFrom: string } {
  const path = realpathSync(dir);
  const fileUrl = pathToFileURL(path).href;
  let origin: string | undefined;
  try {
    origin = execFileSync("git", ["-C", path, "remote", "get-url", "origin"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    origin = undefined; // no origin: only Applications reading the directory itself use it
  }
  return { repoUrls: origin ? [origin, fileUrl] : [fileUrl], renderFrom: fileUrl };
}

export function registerPlanCommand(program: Command, io: Io): void {
  program
    .command("plan")
    .description(
      "show what a change in Git (base..head) would do to each Application using the repository; reads only (exit 3: changes)",
    )
    .requiredOption("--repo <url|dir>", "the repository's URL, or a local checkout (rendered from the directory)")
    .requiredOption("--base <rev>", "the revision before the change (a branch, tag or commit)")
    .requiredOption("--head <rev>", "the revision after the change")
    .option("--app <name>", "plan only this Application")
    .option("--all", "plan every Application using the repository (the default)")
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "kubeconfig context")
    .option("--app-namespace <ns>", "namespace of the Applications", DEFAULT_APP_NAMESPACE)
    .option("-o, --output <format>", "markdown or json", "markdown")
    .action(async (opts: PlanCommandOptions) => {
      if (opts.output !== "markdown" && opts.output !== "json")
        throw new UsageError(`unknown output format "${opts.output}": use markdown or json`);
      if (opts.app !== undefined && opts.all) throw new UsageError("give --app or --all, not both");
      const local = existsSync(opts.repo) && statSync(opts.repo).isDirectory();
      const where = local ? localRepository(opts.repo) : { repoUrls: [opts.repo], renderFrom: undefined };
      const client = new KubeClient(loadClusterConfig({ kubeconfig: opts.kubeconfig, context: opts.context }));
      const report = await planChange(client, {
        repo: opts.repo,
        ...where,
        base: opts.base,
        head: opts.head,
        appNamespace: opts.appNamespace,
        ...(opts.app !== undefined ? { appName: opts.app } : {}),
        cacheDir: join(cacheRoot(), "cli"),
        // The caller's own machine and credentials: any file:// repository it can read is its to plan.
        fileRepos: "any",
        signal: AbortSignal.timeout(600_000),
      });
      io.out(opts.output === "json" ? planJson(report) : planMarkdown(report));
      const failed = report.applications.filter((a) => a.status === "failed");
      if (failed.length > 0)
        throw new CommandFailedError(
          failed.map((a) => `${a.namespace}/${a.name} could not be planned: ${a.error ?? ""}`).join("\n"),
        );
      if (report.exitCode === EXIT_CHANGES) throw new ChangesFoundError("the change would change the cluster");
    });
}
