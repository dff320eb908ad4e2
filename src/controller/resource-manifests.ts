// One object of an Application as the dashboard shows it: its live manifest, the manifest the agent would
// apply, and the diff between them, from the same render and comparison as the Diff tab. Only the
// Application's own objects and their descendants in its resource tree can be read; Secret values are
// placeholders (as the diff module masks them) and values from valuesFrom Secrets are masked everywhere.
import { type Application, type KubeObject, type ObjectRef, refOf } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { type AppDiffOptions, compareBasis, type DiffBasis, diffBasis } from "./app-diff.js";
import { manifestsOf, type ResourceManifestStatus, type ResourceManifests } from "./manifest-view.js";
import { isFailure } from "./pass.js";
import { refKeyOf } from "./resource-tree.js";
import { appRoots, ownLive, readAppTree } from "./resource-tree-io.js";

const sameRef = (a: ObjectRef, b: ObjectRef) => refKeyOf(a) === refKeyOf(b);

async function readObject(basis: DiffBasis, ref: ObjectRef, signal: AbortSignal, apiVersion?: string) {
  const version = apiVersion ?? (await basis.destination.discovery.preferredApiVersion(ref.group, signal));
  if (!version || !(await basis.destination.serves(version, ref.kind, signal))) return undefined;
  return await basis.destination.get(
    { apiVersion: version, kind: ref.kind, namespace: ref.namespace, name: ref.name },
    signal,
  );
}

interface Compared {
  status: ResourceManifestStatus;
  desired?: KubeObject;
  /** The comparison's own diff (normalised, masked) of an OutOfSync object. */
  diff?: string;
  note?: string;
}

/** What the comparison says of ref: its status, the object to apply, and the diff of an OutOfSync one. */
async function compareOne(basis: DiffBasis, app: Application, ref: ObjectRef, signal: AbortSignal): Promise<Compared> {
  const listed = app.status?.resources?.find((r) => sameRef(r, ref))?.status ?? "Unknown";
  const { analysis } = await compareBasis(basis, app, { signal, reads: (r) => sameRef(r, ref) });
  if (isFailure(analysis)) {
    const denial = analysis.denials?.find((d) => sameRef(d.ref, ref));
    const desired = basis.desired.objects.find((o) => sameRef(refOf(o), ref));
    return {
      status: listed,
      ...(desired ? { desired } : {}),
      note: denial ? `not permitted: ${denial.rule}` : `${analysis.reason}: ${analysis.message}`,
    };
  }
  const task = [...analysis.plan.steps.flatMap((s) => s.tasks), ...analysis.plan.onFail].find((t) =>
    sameRef(t.ref, ref),
  );
  if (!task) return { status: "Extraneous", note: "no longer in Git" };
  const comparison = analysis.comparisons.find((c) => sameRef(c.task.ref, ref));
  if (!comparison) return { status: listed, desired: task.object }; // a hook: applied by the sync, not compared
  const note = comparison.error ? `the dry run was refused: ${comparison.error}` : comparison.note;
  return {
    status: comparison.status,
    desired: task.object,
    ...(comparison.status === "OutOfSync" && !comparison.error ? { diff: comparison.diff } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * The manifests of one object of the Application: one of its own (live, desired, diff) or a descendant in its
 * resource tree (live only); undefined for anything else, so no other object of the cluster can be read so.
 * Throws AppDiffRefusedError when the project refuses the Application.
 */
export async function appResourceManifests(
  client: KubeClient,
  app: Application,
  ref: ObjectRef,
  options: AppDiffOptions,
): Promise<ResourceManifests | undefined> {
  const { signal } = options;
  const own = appRoots(app).some((r) => sameRef(r, ref));
  if (!own) {
    const tree = await readAppTree(client, app, { agentNamespace: options.agentNamespace, signal });
    const live = tree.live.get(refKeyOf(ref));
    if (!live) return undefined;
    // Rendered only for the values from Secrets to mask (a Pod's environment may hold one).
    const basis = await diffBasis(client, app, options);
    return manifestsOf({ ref, status: "Child", live, sensitive: basis.desired.sensitive ?? [] });
  }
  const basis = await diffBasis(client, app, options);
  const compared = await compareOne(basis, app, ref, signal);
  const read = await readObject(basis, ref, signal, compared.desired?.apiVersion);
  const live = ownLive(app, ref, read);
  return manifestsOf({
    ref,
    status: compared.status,
    ...(live ? { live } : {}),
    ...(compared.desired ? { desired: compared.desired } : {}),
    ...(compared.diff !== undefined ? { comparedDiff: compared.diff } : {}),
    ...(compared.note ? { note: compared.note } : {}),
    sensitive: basis.desired.sensitive ?? [],
  });
}
