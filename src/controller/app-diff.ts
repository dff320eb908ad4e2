import { join } from "node:path";
import type { Application } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { Renderer } from "../render/index.js";
import { GitSource } from "../source/index.js";
import { planSync, type SyncTask } from "../sync/index.js";
import { type CompareCache, compareResource } from "./compare.js";
import { loadDesiredState } from "./desired-state.js";

export interface AppDiffOptions {
  /** Git mirrors and rendered manifests of this diff live here (reused between calls). */
  cacheDir: string;
  signal: AbortSignal;
}

export interface AppDiff {
  /** Unified diffs of the objects that differ (Secret values masked), after a header naming the revision. */
  text: string;
  differs: boolean;
  revision: { sha: string; message: string };
}

const describeTask = (task: SyncTask) =>
  `${task.ref.kind}/${task.ref.namespace ? `${task.ref.namespace}/` : ""}${task.ref.name}`;

/**
 * How the cluster differs from Git for one Application: the same comparison the agent makes (render at
 * the Application's revision, server-side dry run, masked Secrets), with the caller's client.
 */
export async function appDiff(client: KubeClient, app: Application, options: AppDiffOptions): Promise<AppDiff> {
  const { signal } = options;
  const renderer = new Renderer({ cacheDir: join(options.cacheDir, "render") });
  const desired = await loadDesiredState(
    {
      client,
      git: new GitSource({ cacheDir: join(options.cacheDir, "git") }),
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
    if (c.status === "Missing") parts.push(`=== ${describeTask(task)}: missing (will be created)\n`);
    else if (c.status === "OutOfSync") parts.push(c.diff.endsWith("\n") ? c.diff : `${c.diff}\n`);
  }
  const { sha, message } = desired.revision;
  const header = `revision ${sha.slice(0, 7)} (${message.split("\n")[0]})\n`;
  return {
    text: parts.length > 0 ? header + parts.join("\n") : `${header}no differences\n`,
    differs: parts.length > 0,
    revision: { sha, message },
  };
}
