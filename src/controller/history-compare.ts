// What changed between two syncs of an Application: its source rendered at each history entry's revision,
// as the agent renders it, and the two renders compared object by object.
import type { Application, HistoryEntry } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { type AppDiffOptions, renderSetup } from "./app-diff.js";
import { loadDesiredState } from "./desired-state.js";
import { diffRenders, type RenderChanges } from "./history-diff.js";

export interface HistoryComparison extends RenderChanges {
  from: { id: number; revision: string };
  to: { id: number; revision: string };
}

/**
 * The objects rendered at `to`'s revision against those at `from`'s. History records only the revision:
 * both are rendered with the Application's current spec (path, values, options), the project's checks and
 * the destination's capabilities as the agent has them now (AppDiffRefusedError when the project refuses).
 */
export async function compareHistory(
  client: KubeClient,
  app: Application,
  entries: { from: HistoryEntry; to: HistoryEntry },
  options: AppDiffOptions,
): Promise<HistoryComparison> {
  const { signal } = options;
  const { deps } = await renderSetup(client, app, options);
  const { from, to } = entries;
  // One fetch is enough: the second render finds the first one's commits in the mirror.
  const before = await loadDesiredState(deps, app, { refresh: true, revisionOverride: from.revision, signal });
  const after = await loadDesiredState(deps, app, { refresh: false, revisionOverride: to.revision, signal });
  const changes = diffRenders(
    { revision: before.revision.sha, objects: before.objects, sensitive: before.sensitive },
    { revision: after.revision.sha, objects: after.objects, sensitive: after.sensitive },
  );
  return {
    from: { id: from.id, revision: from.revision },
    to: { id: to.id, revision: to.revision },
    ...changes,
  };
}
