// spec.dependsOn: an Application starts an automated sync only once each Application it depends on is
// Synced and Healthy at its current revision; a cycle is an error on every Application in it. Pure: the
// Applications come from the agent's watch through `lookup`.
import { type AppKey, type Application, type ApplicationDependency, GROUP, type KubeObject } from "../api/index.js";

export type AppLookup = (key: AppKey) => Application | undefined;

const keyOf = (app: Application, dep: ApplicationDependency): AppKey => ({
  namespace: dep.namespace || app.metadata.namespace,
  name: dep.name,
});

/** How a dependency is named in messages: its name, with its namespace when it differs. */
function label(app: Application, key: AppKey): string {
  return key.namespace === app.metadata.namespace ? key.name : `${key.namespace}/${key.name}`;
}

/** The cycle the Application is in, as `a → b → a`; undefined when it is in none. */
export function dependencyCycle(app: Application, lookup: AppLookup): string | undefined {
  const start = `${app.metadata.namespace}/${app.metadata.name}`;
  const seen = new Set<string>();
  // Depth-first from the Application; a path that comes back to it is its cycle.
  const walk = (current: Application, path: AppKey[]): AppKey[] | undefined => {
    for (const dep of current.spec.dependsOn ?? []) {
      const key = keyOf(current, dep);
      const id = `${key.namespace}/${key.name}`;
      if (id === start) return [...path, key];
      if (seen.has(id)) continue;
      seen.add(id);
      const next = lookup(key);
      const found = next && walk(next, [...path, key]);
      if (found) return found;
    }
    return undefined;
  };
  const self: AppKey = { namespace: app.metadata.namespace, name: app.metadata.name };
  const cycle = walk(app, [self]);
  return cycle?.map((k) => label(app, k)).join(" → ");
}

/** Why a dependency is not ready yet (its state in a few words), or undefined when it is. */
export function notReadyBecause(dependency: Application | undefined): string | undefined {
  if (!dependency) return "not found";
  const s = dependency.status;
  if (!s || s.observedGeneration !== dependency.metadata.generation) return "not reconciled yet";
  if (s.operation?.phase === "Running") return `syncing: ${s.operation.message}`;
  if (s.sync?.status !== "Synced") return s.sync?.status ?? "not synced yet";
  if (s.health?.status !== "Healthy")
    return `${s.health?.status ?? "Unknown"}${s.health?.message ? `: ${s.health.message}` : ""}`;
  return undefined;
}

/** What the Application waits for, as `waiting for db (Progressing: 1 of 3 replicas ready)`; undefined: nothing. */
export function dependencyWait(app: Application, lookup: AppLookup): string | undefined {
  const waiting: string[] = [];
  for (const dep of app.spec.dependsOn ?? []) {
    const key = keyOf(app, dep);
    const why = notReadyBecause(lookup(key));
    if (why) waiting.push(`${label(app, key)} (${why})`);
  }
  return waiting.length > 0 ? `waiting for ${waiting.join(", ")}` : undefined;
}

const isApplication = (o: KubeObject) => o.kind === "Application" && o.apiVersion?.startsWith(`${GROUP}/`);
const appKey = (a: Application): AppKey => ({ namespace: a.metadata.namespace, name: a.metadata.name });

/**
 * Objects to delete in batches, one after the other: the Applications among them dependents first (a layer
 * holds those no Application still to delete depends on), then everything else. An app-of-apps deleting its
 * children thus marks each deleted only after what depends on it, and their own cascade deletes, which wait
 * for dependents being deleted, go in reverse dependency order.
 */
export function deletionLayers<T extends KubeObject>(objects: readonly T[]): T[][] {
  let apps = objects.filter(isApplication) as unknown as Application[];
  const rest = objects.filter((o) => !isApplication(o));
  const layers: T[][] = [];
  while (apps.length > 0) {
    const remaining = apps;
    const needed = (a: Application) =>
      remaining.some((other) => other !== a && dependentsOf([other], appKey(a)).length > 0);
    const layer = remaining.filter((a) => !needed(a));
    // A cycle among them: the rest go together.
    const next = layer.length > 0 ? layer : remaining;
    layers.push(next as unknown as T[]);
    apps = remaining.filter((a) => !next.includes(a));
  }
  if (rest.length > 0) layers.push(rest);
  return layers;
}

/** The Applications that depend on `key`: reconciled when it changes, so they start as soon as it is ready. */
export function dependentsOf(apps: readonly Application[], key: AppKey): Application[] {
  return apps.filter((a) =>
    (a.spec.dependsOn ?? []).some((dep) => {
      const k = keyOf(a, dep);
      return k.namespace === key.namespace && k.name === key.name;
    }),
  );
}
