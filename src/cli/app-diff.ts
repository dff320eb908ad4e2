import { join } from "node:path";
import type { Application } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { type CompareCache, compareResource, loadDesiredState } from "../controller/index.js";
import { Renderer } from "../render/index.js";
import { GitSource } from "../source/index.js";
import { planSync } from "../sync/index.js";
import { cacheRoot } from "../tools/versions.js";

/**
 * What `bosun app diff` prints: the same comparison the agent makes (render at the Application's
 * revision, server-side dry run, masked Secrets), computed here with the caller's credentials.
 */
export async function appDiff(
  client: KubeClient,
  app: Application,
  signal: AbortSignal,
): Promise<{ text: string; differs: boolean }> {
  const cacheDir = join(cacheRoot(), "cli");
  const renderer = new Renderer({ cacheDir: join(cacheDir, "render") });
  const desired = await loadDesiredState(
    {
      client,
      git: new GitSource({ cacheDir: join(cacheDir, "git") }),
      render: (request) => renderer.render(request),
      isNamespaced: () => undefined,
    },
    app,
    { refresh: true, signal },
  );
  const plan = planSync(desired.objects);
  const cache: CompareCache = new Map();
  const parts: string[] = [];
  for (const task of plan.resources) {
    const live = await client.get(
      {
        apiVersion: task.object.apiVersion,
        kind: task.object.kind,
        namespace: task.ref.namespace,
        name: task.ref.name,
      },
      signal,
    );
    const c = await compareResource({
      client,
      task,
      live,
      ignoreDifferences: app.spec.ignoreDifferences ?? [],
      cache,
      signal,
    });
    if (c.status === "Missing")
      parts.push(
        `=== ${task.ref.kind}/${task.ref.namespace ? `${task.ref.namespace}/` : ""}${task.ref.name}: missing (will be created)\n`,
      );
    else if (c.status === "OutOfSync") parts.push(c.diff.endsWith("\n") ? c.diff : `${c.diff}\n`);
  }
  const header = `revision ${desired.revision.sha.slice(0, 7)} (${desired.revision.message.split("\n")[0]})\n`;
  return {
    text: parts.length > 0 ? header + parts.join("\n") : `${header}no differences\n`,
    differs: parts.length > 0,
  };
}
