// The ApplicationSet controller: for each set in the agent's namespace, its generators' parameter sets,
// the template made into one Application each (applied with server-side apply, owned by the set and
// labelled with its name), the Applications it generated before and no longer generates deleted, and the
// result in its status. A generator that fails changes nothing: no Application is created, updated or
// deleted until every generator answers again. Generated Applications go through their projects like any.
import {
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  APPLICATION_SET_API_VERSION,
  APPLICATION_SET_KIND,
  type ApplicationSet,
  type ApplicationSetStatus,
  CASCADE_FINALIZER,
  errorMessage,
  type GitGenerator,
  isRecord,
  type KubeObject,
  LABELS,
} from "../api/index.js";
import { type KubeClient, WatchCache } from "../cluster/index.js";
import type { GitSource } from "../source/index.js";
import { type GeneratorCluster, generate } from "./appset-generators.js";
import { type Params, renderTemplate } from "./appset-template.js";
import type { Logger } from "./pass.js";
import { gitCredentialsIn } from "./source-credentials.js";
import { setCondition } from "./status.js";
import { WorkQueue } from "./work-queue.js";

export const APPLICATION_SET_FIELD_MANAGER = "bosun-applicationset";
/** How often a set is generated again without a change (its git generators poll at this pace). */
const REQUEUE_MS = 3 * 60_000;

export interface ApplicationSetsOptions {
  /** The agent's own client. */
  client: KubeClient;
  /** The agent's namespace: the ApplicationSets it serves and the Applications they generate live there. */
  namespace: string;
  /** The Applications, kept by the agent's watch. */
  apps: WatchCache;
  clusters: () => readonly GeneratorCluster[];
  git: GitSource;
  /** Whether this replica leads: a standby generates nothing. */
  isLeader?: () => boolean;
  log: Logger;
  signal: AbortSignal;
  /** Re-generate every set after this long (default 3 minutes). */
  requeueMs?: number;
}

/** An object name the API server takes (a DNS subdomain), or why not. */
function nameProblem(name: string): string | undefined {
  if (name.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) return undefined;
  return "not a valid object name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
}

/** What one generation of a set produced. */
export interface Generation {
  applications: KubeObject[];
  errors: string[];
  /** A generator failed: nothing may be pruned on the strength of this generation. */
  incomplete: boolean;
}

/** The Applications a set's parameter sets make, with the set's label, owner and finalizer policy. Pure. */
export function generatedApplications(set: ApplicationSet, paramSets: readonly Params[]): Generation {
  const applications: KubeObject[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const preserve = set.spec.syncPolicy?.preserveResourcesOnDeletion === true;
  for (const [i, params] of paramSets.entries()) {
    const rendered = renderTemplate(set.spec.template, params);
    if ("error" in rendered) {
      errors.push(`parameter set ${i + 1}: ${rendered.error}`);
      continue;
    }
    const metadata = rendered.value.metadata;
    const name = typeof metadata.name === "string" ? metadata.name : "";
    const problem = name ? nameProblem(name) : "the template gives no metadata.name";
    if (problem) {
      errors.push(`parameter set ${i + 1}: Application name ${JSON.stringify(name)}: ${problem}`);
      continue;
    }
    if (seen.has(name)) {
      errors.push(`parameter set ${i + 1}: Application ${name} is generated twice`);
      continue;
    }
    seen.add(name);
    const labels = isRecord(metadata.labels) ? (metadata.labels as Record<string, string>) : {};
    const finalizers = (Array.isArray(metadata.finalizers) ? (metadata.finalizers as string[]) : []).filter(
      (f) => f !== CASCADE_FINALIZER,
    );
    applications.push({
      apiVersion: APPLICATION_API_VERSION,
      kind: APPLICATION_KIND,
      metadata: {
        ...metadata,
        name,
        namespace: set.metadata.namespace,
        labels: { ...labels, [LABELS.applicationSet]: set.metadata.name },
        // What an Application deployed goes with it unless the set preserves it.
        finalizers: preserve ? finalizers : [...finalizers, CASCADE_FINALIZER],
        ownerReferences: [
          {
            apiVersion: APPLICATION_SET_API_VERSION,
            kind: APPLICATION_SET_KIND,
            name: set.metadata.name,
            uid: set.metadata.uid ?? "",
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: rendered.value.spec,
    } as unknown as KubeObject);
  }
  return { applications, errors, incomplete: false };
}

/** The shortest requeueAfterSeconds of the set's git generators (matrix ones too), or the default. */
function requeueMsOf(set: ApplicationSet, fallbackMs: number): number {
  const leaves = (set.spec.generators ?? []).flatMap((g) => [g, ...(g.matrix?.generators ?? [])]);
  const seconds = leaves
    .map((g) => g.git?.requeueAfterSeconds)
    .filter((s): s is number => typeof s === "number" && s >= 1);
  return seconds.length > 0 ? Math.min(...seconds) * 1000 : fallbackMs;
}

export class ApplicationSets {
  private readonly sets: WatchCache;
  private readonly queue: WorkQueue;

  constructor(private readonly options: ApplicationSetsOptions) {
    this.sets = new WatchCache(options.client, {
      namespace: options.namespace,
      accept: () => true,
      onEvent: (e) => {
        const before = e.previous?.metadata;
        const after = e.object.metadata;
        if (e.type === "MODIFIED" && before?.generation === after.generation) return; // its own status write
        this.queue.add(after.name ?? "");
      },
      onError: (err) => options.log.warn({ error: err.message }, "ApplicationSet watch interrupted; resuming"),
    });
    this.queue = new WorkQueue((name) => this.reconcile(name), {
      concurrency: 1,
      backoff: { baseMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.2 },
    });
  }

  async start(): Promise<void> {
    await this.sets.watchKind(APPLICATION_SET_API_VERSION, APPLICATION_SET_KIND, this.options.signal);
  }

  /** Generate every set again (the clusters changed). */
  wakeAll(): void {
    for (const set of this.sets.list()) this.queue.add(set.metadata.name ?? "");
  }

  /** An Application a set generated changed or went: the set puts it back as generated. */
  wakeOwnerOf(app: KubeObject): void {
    const owner = app.metadata.labels?.[LABELS.applicationSet];
    if (owner && app.metadata.namespace === this.options.namespace) this.queue.add(owner);
  }

  stop(): void {
    this.queue.stop();
    this.sets.stop();
  }

  private async reconcile(name: string): Promise<void> {
    const { signal, log } = this.options;
    const set = this.sets.get({
      group: "bosun.dev",
      kind: APPLICATION_SET_KIND,
      namespace: this.options.namespace,
      name,
    }) as (ApplicationSet & KubeObject) | undefined;
    if (!set || set.metadata.deletionTimestamp) return; // its Applications go with it (owner references)
    if (this.options.isLeader && !this.options.isLeader()) return; // woken again when this replica leads
    const generation = await this.generate(set);
    const applied: string[] = [];
    for (const app of generation.applications) {
      try {
        await this.options.client.apply(app, { fieldManager: APPLICATION_SET_FIELD_MANAGER, force: true, signal });
        applied.push(app.metadata.name ?? "");
      } catch (err) {
        if (signal.aborted) throw err;
        generation.errors.push(`Application ${app.metadata.name}: ${errorMessage(err)}`);
      }
    }
    const pruned = generation.incomplete
      ? []
      : await this.prune(set, new Set(generation.applications.map((a) => a.metadata.name ?? "")));
    await this.writeStatus(set, applied, generation);
    log.info(
      {
        applicationSet: `${set.metadata.namespace}/${name}`,
        generated: applied.length,
        pruned: pruned.length,
        errors: generation.errors.length,
      },
      "ApplicationSet reconciled",
    );
    this.queue.addAfter(name, requeueMsOf(set, this.options.requeueMs ?? REQUEUE_MS));
  }

  private async generate(set: ApplicationSet): Promise<Generation> {
    const paramSets: Params[] = [];
    const errors: string[] = [];
    for (const [i, generator] of (set.spec.generators ?? []).entries()) {
      try {
        paramSets.push(
          ...(await generate(generator, {
            clusters: this.options.clusters,
            gitTree: (g) => this.gitTree(set, g),
          })),
        );
      } catch (err) {
        if (this.options.signal.aborted) throw err;
        errors.push(`generator ${i + 1}: ${errorMessage(err)}`);
      }
    }
    if (errors.length > 0) return { applications: [], errors, incomplete: true };
    return generatedApplications(set, paramSets);
  }

  private async gitTree(set: ApplicationSet, generator: GitGenerator): Promise<string> {
    const { signal, git, client } = this.options;
    const credentials = await gitCredentialsIn(client, set.metadata.namespace, generator, signal);
    const requeueMs = requeueMsOf(set, this.options.requeueMs ?? REQUEUE_MS);
    const revision = await git.resolve(generator.repoURL, generator.revision ?? "HEAD", {
      refresh: true,
      freshSince: Date.now() - requeueMs,
      signal,
      ...(credentials ? { credentials } : {}),
    });
    if (revision.fetchError) throw revision.fetchError;
    const tree = await git.checkout(generator.repoURL, revision.sha, {
      signal,
      ...(credentials ? { credentials } : {}),
    });
    return tree.dir;
  }

  /** Deletes the Applications this set generated before and does not generate now. */
  private async prune(set: ApplicationSet, keep: ReadonlySet<string>): Promise<string[]> {
    const { client, signal, log } = this.options;
    const preserve = set.spec.syncPolicy?.preserveResourcesOnDeletion === true;
    const stale = this.options.apps
      .list()
      .filter(
        (a) =>
          a.metadata.namespace === set.metadata.namespace &&
          a.metadata.labels?.[LABELS.applicationSet] === set.metadata.name &&
          !keep.has(a.metadata.name ?? "") &&
          !a.metadata.deletionTimestamp,
      );
    const pruned: string[] = [];
    for (const app of stale) {
      const address = {
        apiVersion: APPLICATION_API_VERSION,
        kind: APPLICATION_KIND,
        namespace: set.metadata.namespace,
        name: app.metadata.name ?? "",
      };
      try {
        // Preserved: without the cascade finalizer, deleting the Application leaves what it deployed.
        if (preserve && app.metadata.finalizers?.includes(CASCADE_FINALIZER))
          await client.mergePatch(
            address,
            { metadata: { finalizers: app.metadata.finalizers.filter((f) => f !== CASCADE_FINALIZER) } },
            { signal },
          );
        await client.delete(address, { signal, propagationPolicy: "Background" });
        pruned.push(address.name);
      } catch (err) {
        if (signal.aborted) throw err;
        log.warn(
          { applicationSet: set.metadata.name, application: address.name, error: errorMessage(err) },
          "could not delete a generated Application",
        );
      }
    }
    return pruned;
  }

  private async writeStatus(set: ApplicationSet, applied: readonly string[], generation: Generation): Promise<void> {
    const now = new Date().toISOString();
    const failed = generation.errors.length > 0;
    const status: ApplicationSetStatus = {
      applications: applied.map((name) => ({ name })),
      errors: generation.errors,
      observedGeneration: set.metadata.generation,
      conditions: setCondition(
        set.status?.conditions,
        failed
          ? {
              type: "Ready",
              status: "False",
              reason: generation.incomplete ? "GeneratorFailed" : "TemplateError",
              message: generation.errors.join("; "),
            }
          : { type: "Ready", status: "True", reason: "Generated", message: `${applied.length} Applications generated` },
        now,
      ),
    };
    // Generation failed: the Applications of the last good generation stay, and so does their list.
    if (generation.incomplete) status.applications = set.status?.applications ?? [];
    await this.options.client.mergePatchStatus(
      {
        apiVersion: APPLICATION_SET_API_VERSION,
        kind: APPLICATION_SET_KIND,
        namespace: set.metadata.namespace,
        name: set.metadata.name,
      },
      { status },
      this.options.signal,
    );
  }
}
