import { join } from "node:path";
import {
  ANNOTATIONS,
  type Application,
  describeRef,
  PROJECT_API_VERSION,
  PROJECT_KIND,
  type Project,
} from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { Renderer } from "../render/index.js";
import { GitSource, type GitSourceOptions } from "../source/index.js";
import { planSync, type SyncTask } from "../sync/index.js";
import { type CompareCache, compareResource } from "./compare.js";
import { loadDesiredState } from "./desired-state.js";
import { deniedObjects } from "./object-checks.js";
import { appAccess, projectClient, projectOf } from "./project-access.js";

export interface AppDiffOptions {
  /** Git mirrors and rendered manifests of this diff live here (reused between calls). */
  cacheDir: string;
  /** Where its Projects live (the agent's namespace); default the Application's namespace. */
  agentNamespace?: string;
  /** Where file:// repositories may be read from, as the agent allows them. */
  fileRepos?: GitSourceOptions["fileRepos"];
  signal: AbortSignal;
}

/** Why a diff cannot be shown: the project refuses the Application (the agent would apply nothing either). */
export class AppDiffRefusedError extends Error {
  override readonly name = "AppDiffRefusedError";
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
  const agentNamespace = options.agentNamespace ?? app.metadata.namespace;
  const project = (await client.get(
    { apiVersion: PROJECT_API_VERSION, kind: PROJECT_KIND, namespace: agentNamespace, name: projectOf(app) },
    signal,
  )) as unknown as Project | undefined;
  const access = appAccess({ app, project, agentNamespace, clientFor: (account) => projectClient(client, account) });
  if ("reason" in access) throw new AppDiffRefusedError(`${access.reason}: ${access.message}`);
  const renderer = new Renderer({ cacheDir: join(options.cacheDir, "render") });
  const desired = await loadDesiredState(
    {
      client,
      git: new GitSource({ cacheDir: join(options.cacheDir, "git"), fileRepos: options.fileRepos }),
      render: (request) => renderer.render(request),
      isNamespaced: () => undefined,
    },
    app,
    { refresh: true, signal },
  );
  const plan = planSync(desired.objects, app.spec);
  const cache: CompareCache = new Map();
  const parts: string[] = [];
  const liveTracked = new Map<string, Awaited<ReturnType<KubeClient["get"]>>>();
  for (const task of [...plan.steps.flatMap((s) => s.tasks), ...plan.onFail])
    liveTracked.set(describeRef(task.ref), await client.get(addressOfTask(task), signal));
  const denials = deniedObjects({
    policy: access.policy,
    cluster: access.cluster,
    app: app.metadata,
    plan,
    liveOf: (ref) => {
      const live = liveTracked.get(describeRef(ref));
      return live?.metadata.annotations?.[ANNOTATIONS.trackingId] ? live : undefined;
    },
  });
  for (const d of denials)
    parts.push(`=== ${describeRef(d.ref)}: not permitted (${d.rule}); nothing would be applied\n`);
  if (denials.length > 0) return result(parts, desired.revision);
  for (const task of plan.resources) {
    const live = liveTracked.get(describeRef(task.ref));
    const c = await compareResource({
      client: access.client,
      task,
      live,
      ignoreDifferences: app.spec.ignoreDifferences ?? [],
      cache,
      signal,
    });
    if (c.status === "Missing") parts.push(`=== ${describeTask(task)}: missing (will be created)\n`);
    else if (c.error) parts.push(`=== ${describeTask(task)}: the dry run was refused: ${c.error}\n`);
    else if (c.status === "OutOfSync") parts.push(c.diff.endsWith("\n") ? c.diff : `${c.diff}\n`);
  }
  return result(parts, desired.revision);
}

const addressOfTask = (task: SyncTask) => ({
  apiVersion: task.object.apiVersion,
  kind: task.object.kind,
  namespace: task.ref.namespace,
  name: task.ref.name,
});

function result(parts: readonly string[], revision: { sha: string; message: string }): AppDiff {
  const { sha, message } = revision;
  const header = `revision ${sha.slice(0, 7)} (${message.split("\n")[0]})\n`;
  return {
    text: parts.length > 0 ? header + parts.join("\n") : `${header}no differences\n`,
    differs: parts.length > 0,
    revision: { sha, message },
  };
}
