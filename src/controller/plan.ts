// `bosun plan`: what a change in Git (base..head of one repository) would do to the cluster, per Application
// that uses the repository. Both revisions are rendered as the agent renders them; the head render is compared
// with the live cluster as the agent compares it (compareDesired: server-side dry runs, masked Secrets). It
// only reads: every request is a GET, a LIST or a dry run, and an account that may not dry-run gets a
// comparison without one. The report itself is plan-report.ts's.

import {
  ANNOTATIONS,
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  type Application,
  applicationSources,
  describeRef,
  errorMessage,
  inventoryId,
  type KubeObject,
  type ObjectRef,
  parseInventoryId,
} from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { compare } from "../diff/index.js";
import { stableHash } from "../render/index.js";
import { type FileRepoPolicy, normalizeRepoUrl } from "../source/index.js";
import { compareDesired } from "./analyse.js";
import { renderSetup } from "./app-diff.js";
import type { ResourceComparison } from "./compare.js";
import { type DesiredState, loadDesiredState } from "./desired-state.js";
import { isFailure } from "./pass.js";
import { type AppPlanInput, buildPlanReport, failedApp, type PlanReport } from "./plan-report.js";
import { maskSensitive } from "./values-from.js";

export interface PlanOptions {
  /** The repository as the user named it (shown in the report). */
  repo: string;
  /** Every URL that names the repository in an Application's source (a checkout's origin and its file:// URL). */
  repoUrls: readonly string[];
  /** Render the repository from here instead of from the Application's URL (a local checkout, file://). */
  renderFrom?: string;
  base: string;
  head: string;
  /** Where the Applications (and their Projects) live. */
  appNamespace: string;
  /** Only this Application; default every one in appNamespace using the repository. */
  appName?: string;
  cacheDir: string;
  fileRepos?: FileRepoPolicy;
  signal: AbortSignal;
}

/** Whether url names the same repository as one of urls (normalised: `.git`, trailing `/`, host case, scp-like). */
export function sameRepository(url: string, urls: readonly string[]): boolean {
  const n = normalizeRepoUrl(url);
  return n !== undefined && urls.some((u) => normalizeRepoUrl(u) === n);
}

const usesRepository = (app: Application, urls: readonly string[]) =>
  applicationSources(app).some((s) => sameRepository(s.repoURL, urls));

/** Planning the Applications, one after the other; new ones found in a head render join the queue. */
export async function planChange(client: KubeClient, options: PlanOptions): Promise<PlanReport> {
  const { signal, appNamespace } = options;
  let apps: Application[];
  if (options.appName !== undefined) {
    const app = await client.get(
      { apiVersion: APPLICATION_API_VERSION, kind: APPLICATION_KIND, namespace: appNamespace, name: options.appName },
      signal,
    );
    if (!app) throw new Error(`Application ${appNamespace}/${options.appName} not found`);
    apps = [app as unknown as Application];
  } else {
    const { items } = await client.list(APPLICATION_API_VERSION, APPLICATION_KIND, { namespace: appNamespace, signal });
    apps = (items as unknown as Application[]).filter((a) => usesRepository(a, options.repoUrls));
  }
  const queue: Array<{ app: Application; isNew: boolean }> = apps.map((app) => ({ app, isNew: false }));
  const seen = new Set(apps.map((a) => `${a.metadata.namespace}/${a.metadata.name}`));
  const results: AppPlanInput[] = [];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const { app, isNew } = item;
    const sensitive: string[] = [];
    try {
      const planned = isNew
        ? await planNew(client, app, options, sensitive)
        : await planExisting(client, app, options, sensitive);
      results.push(planned.result);
      for (const child of await newApplications(client, planned.headObjects, appNamespace, signal)) {
        const key = `${child.metadata.namespace}/${child.metadata.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push({ app: child, isNew: true });
      }
    } catch (err) {
      if (signal.aborted) throw err;
      results.push(failedApp(app.metadata, errorMessage(err), sensitive));
    }
  }
  return buildPlanReport({ repo: options.repo, base: options.base, head: options.head, applications: results });
}

/** The Application as rendered here: its sources on the repository read from renderFrom when given. */
function renderedFrom(app: Application, options: PlanOptions): Application {
  const from = options.renderFrom;
  if (from === undefined) return app;
  // A local checkout is read as it is: without the repository's credentials (file:// takes none).
  const moved = <T extends { repoURL: string; credentialsRef?: unknown }>(s: T): T =>
    sameRepository(s.repoURL, options.repoUrls) ? { ...s, repoURL: from, credentialsRef: undefined } : s;
  const spec = { ...app.spec };
  if (spec.source) spec.source = moved(spec.source);
  if (spec.sources) spec.sources = spec.sources.map(moved);
  return { ...app, spec };
}

/** revisionOverride pinning the repository's sources to rev, the others at their own revisions. */
function pinned(app: Application, rev: string, urls: readonly string[]): string | undefined {
  const sources = applicationSources(app);
  if (!sources.some((s) => sameRepository(s.repoURL, urls))) return undefined;
  return sources.map((s) => (sameRepository(s.repoURL, urls) ? rev : (s.revision ?? "HEAD"))).join(",");
}

interface Planned {
  result: AppPlanInput;
  headObjects: readonly KubeObject[];
}

async function render(
  client: KubeClient,
  app: Application,
  options: PlanOptions,
  sensitive: string[],
): Promise<{
  setup: Awaited<ReturnType<typeof renderSetup>>;
  load: (rev: string) => Promise<DesiredState>;
}> {
  const rendered = renderedFrom(app, options);
  // The project judges the Application as it is (its own repository URL); only the render reads renderFrom.
  const setup = await renderSetup(client, app, {
    cacheDir: options.cacheDir,
    agentNamespace: options.appNamespace,
    fileRepos: options.fileRepos,
    signal: options.signal,
  });
  const urls = [...options.repoUrls, ...(options.renderFrom ? [options.renderFrom] : [])];
  const load = async (rev: string) => {
    const desired = await loadDesiredState(setup.deps, rendered, {
      refresh: true,
      revisionOverride: pinned(rendered, rev, urls),
      onSensitive: (values) => sensitive.push(...values),
      signal: options.signal,
    });
    sensitive.push(...secretValues(desired.objects));
    return desired;
  };
  return { setup, load };
}

/** Values shorter than this are not masked in free text (they would mask every word that holds them). */
const MIN_MASKED = 6;

/**
 * The values of the rendered Secrets, as written and base64-encoded: masked in whatever free text the plan
 * shows (an error quoting a manifest's lines, a refusal), beyond the diffs compareDesired masks itself.
 */
function secretValues(objects: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (o.apiVersion !== "v1" || o.kind !== "Secret") continue;
    for (const field of ["data", "stringData"] as const) {
      const values = o[field];
      if (typeof values !== "object" || values === null) continue;
      for (const v of Object.values(values as Record<string, unknown>)) {
        if (typeof v !== "string") continue;
        const plain = field === "data" ? Buffer.from(v, "base64").toString("utf8") : v;
        const encoded = field === "data" ? v : Buffer.from(v).toString("base64");
        out.push(...[plain, encoded].filter((x) => x.length >= MIN_MASKED));
      }
    }
  }
  return out;
}

const refOf = (o: KubeObject): ObjectRef => ({
  group: o.apiVersion.includes("/") ? (o.apiVersion.split("/")[0] ?? "") : "",
  kind: o.kind,
  namespace: o.metadata.namespace ?? "",
  name: o.metadata.name ?? "",
});

/** An Application an app-of-apps renders and that does not exist yet: everything it renders would be created. */
async function planNew(client: KubeClient, app: Application, options: PlanOptions, sensitive: string[]) {
  const { load } = await render(client, app, options, sensitive);
  const head = await load(options.head);
  const result: AppPlanInput = {
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    status: "new",
    revisions: { head: head.revision.sha },
    created: head.objects.map(refOf),
    changed: [],
    pruned: [],
    notes: [],
    sensitive,
  };
  return { result, headObjects: head.objects } satisfies Planned;
}

/** An existing Application: both renders, and the head compared with the live cluster when they differ. */
async function planExisting(
  client: KubeClient,
  app: Application,
  options: PlanOptions,
  sensitive: string[],
): Promise<Planned> {
  const { signal } = options;
  const { setup, load } = await render(client, app, options, sensitive);
  let base: DesiredState | undefined;
  let baseError: string | undefined;
  try {
    base = await load(options.base);
  } catch (err) {
    if (signal.aborted) throw err;
    baseError = errorMessage(err);
  }
  const head = await load(options.head);
  const result: AppPlanInput = {
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    status: "changed",
    revisions: { ...(base ? { base: base.revision.sha } : {}), head: head.revision.sha },
    created: [],
    changed: [],
    pruned: [],
    notes: baseError ? [`the base revision did not render: ${baseError}`] : [],
    sensitive,
  };
  if (base && stableHash(base.objects) === stableHash(head.objects)) {
    return { result: { ...result, status: "unchanged" }, headObjects: head.objects };
  }
  const prunes = app.spec.syncPolicy?.automated?.prune === true;
  const tracked = new Map<string, KubeObject>();
  const read = async (ref: ObjectRef, apiVersion: string | undefined) => {
    const version = apiVersion ?? (await setup.destination.discovery.preferredApiVersion(ref.group, signal));
    if (version === undefined) return;
    const live = await setup.destination.get({ apiVersion: version, ...ref }, signal);
    if (live?.metadata.annotations?.[ANNOTATIONS.trackingId]) tracked.set(inventoryId(ref), live);
  };
  const inventory = prunes ? (app.status?.inventory ?? []) : [];
  const analysis = await compareDesired({
    desired: head,
    app,
    inventory,
    access: setup.access,
    liveOf: (ref) => tracked.get(inventoryId(ref)),
    prepare: async (plan) => {
      for (const task of [...plan.steps.flatMap((s) => s.tasks), ...plan.onFail])
        await read(task.ref, task.object.apiVersion);
      for (const ref of inventory.map(parseInventoryId))
        if (ref && !tracked.has(inventoryId(ref))) await read(ref, undefined);
    },
    compareCache: new Map(),
    signal,
  });
  if (isFailure(analysis)) throw new Error(`${analysis.reason}: ${maskSensitive(analysis.message, sensitive)}`);
  for (const c of analysis.comparisons) judge(c, tracked.get(inventoryId(c.task.ref)), app, result);
  result.pruned = analysis.extraneous;
  return { result, headObjects: head.objects };
}

/** A dry run the account may not make (403 on the write): compared without one instead. */
const DRY_RUN_FORBIDDEN = /\bforbidden\b.*\bcannot (?:patch|create|update)\b/i;

/** One comparison into the result: created, changed (masked diff) or a note. */
function judge(c: ResourceComparison, live: KubeObject | undefined, app: Application, result: AppPlanInput): void {
  const ref = c.task.ref;
  if (c.status === "Missing") {
    result.created.push(ref);
    if (c.error || c.note) result.notes.push(`${describeRef(ref)}: ${c.error ?? c.note}`);
    return;
  }
  if (c.error && live && DRY_RUN_FORBIDDEN.test(c.error)) {
    const desired = inOrderOf(c.task.object, live) as KubeObject;
    const direct = compare({ desired, live, ignoreDifferences: app.spec.ignoreDifferences ?? [] });
    result.withoutDryRun = true;
    if (direct.status === "OutOfSync") result.changed.push({ ref, diff: direct.diff });
    return;
  }
  if (c.error) {
    result.notes.push(`${describeRef(ref)}: the dry run was refused: ${c.error}`);
    return;
  }
  if (c.status === "OutOfSync") result.changed.push({ ref, diff: c.diff });
}

/**
 * The desired value with its maps' keys in the order the live value has them (then its own): without a dry
 * run to merge it into the live object, the diff would otherwise show keys that only moved.
 */
function inOrderOf(desired: unknown, live: unknown): unknown {
  if (Array.isArray(desired)) return desired.map((d, i) => inOrderOf(d, Array.isArray(live) ? live[i] : undefined));
  if (typeof desired !== "object" || desired === null) return desired;
  const d = desired as Record<string, unknown>;
  const l = typeof live === "object" && live !== null && !Array.isArray(live) ? (live as Record<string, unknown>) : {};
  const keys = [...Object.keys(l).filter((k) => k in d), ...Object.keys(d).filter((k) => !(k in l))];
  return Object.fromEntries(keys.map((k) => [k, inOrderOf(d[k], l[k])]));
}

/** The Applications among the objects that do not exist in the cluster (app-of-apps children to come). */
async function newApplications(
  client: KubeClient,
  objects: readonly KubeObject[],
  appNamespace: string,
  signal: AbortSignal,
): Promise<Application[]> {
  const out: Application[] = [];
  for (const o of objects) {
    if (o.apiVersion !== APPLICATION_API_VERSION || o.kind !== APPLICATION_KIND || !o.metadata.name) continue;
    const namespace = o.metadata.namespace ?? appNamespace;
    const address = { apiVersion: APPLICATION_API_VERSION, kind: APPLICATION_KIND, namespace, name: o.metadata.name };
    if (await client.get(address, signal)) continue;
    out.push({ ...o, metadata: { ...o.metadata, namespace } } as unknown as Application);
  }
  return out;
}
