import { join } from "node:path";
import type { Application } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { appDiff as computeAppDiff } from "../controller/index.js";
import { cacheRoot } from "../tools/index.js";

/**
 * What `bosun app diff` prints: the same comparison the agent makes (render at the Application's
 * revision, server-side dry run, masked Secrets), computed here with the caller's credentials.
 */
export async function appDiff(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<{ text: string; differs: boolean }> {
  // The caller's own machine and credentials: any file:// repository it can read is its to diff.
  const { text, differs } = await computeAppDiff(client, app, {
    cacheDir: join(cacheRoot(), "cli"),
    fileRepos: "any",
    signal,
  });
  return { text, differs };
}
