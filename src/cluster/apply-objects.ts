import { type ApplyAction, type KubeObject, type ObjectRef, orderForApply, refOf } from "../api/index.js";
import type { ApplyOptions, KubeClient } from "./client.js";
import { ObjectError } from "./errors.js";

import { abortableSleep } from "./rate-limit.js";

export interface ChangeSetEntry {
  ref: ObjectRef;
  action: ApplyAction;
  /** The object as the server returned it (after the apply, or as it would be for a dry run). */
  object?: KubeObject;
  error?: Error;
}

export interface ApplyObjectsOptions extends Omit<ApplyOptions, "signal"> {
  signal?: AbortSignal;
  /** The live object before the apply (from the watch cache), to tell `configured` from `unchanged`. */
  liveOf?: (ref: ObjectRef) => KubeObject | undefined;
  /** How long to wait for a CRD of this batch to be Established before applying its custom resources. */
  crdTimeoutMs?: number;
}

interface CrdKind {
  apiVersions: string[];
  kind: string;
}

function crdKinds(obj: KubeObject): CrdKind | undefined {
  if (obj.kind !== "CustomResourceDefinition") return undefined;
  const spec = obj.spec as
    | { group?: string; names?: { kind?: string }; versions?: Array<{ name?: string }> }
    | undefined;
  if (!spec?.group || !spec.names?.kind) return undefined;
  return { apiVersions: (spec.versions ?? []).map((v) => `${spec.group}/${v.name}`), kind: spec.names.kind };
}

function isEstablished(crd: KubeObject | undefined): boolean {
  const conditions = (crd?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions;
  return conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
}

/**
 * Applies objects in dependency order, one at a time. A failure is recorded against its object and the
 * others still go ahead. Custom resources whose CRD is in the same batch wait until that CRD is
 * Established (and discovery knows the kind).
 */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: ApplyObjectsOptions = {},
): Promise<ChangeSetEntry[]> {
  const { liveOf, crdTimeoutMs = 60_000, ...applyOptions } = options;
  const crdsInBatch = new Map<string, KubeObject>();
  for (const obj of objects) {
    const kinds = crdKinds(obj);
    for (const apiVersion of kinds?.apiVersions ?? []) crdsInBatch.set(`${apiVersion}|${kinds?.kind}`, obj);
  }
  const results: ChangeSetEntry[] = [];
  for (const obj of orderForApply(objects)) {
    const ref = refOf(obj);
    try {
      const crd = crdsInBatch.get(`${obj.apiVersion}|${obj.kind}`);
      if (crd && !applyOptions.dryRun) await waitForCrd(client, crd, obj, crdTimeoutMs, options.signal);
      const before = liveOf?.(ref);
      const { object, created } = await client.apply(obj, applyOptions);
      const unchanged = before !== undefined && before.metadata.resourceVersion === object.metadata.resourceVersion;
      results.push({ ref, object, action: created ? "created" : unchanged ? "unchanged" : "configured" });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      results.push({ ref, action: "skipped", error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return results;
}

async function waitForCrd(
  client: KubeClient,
  crd: KubeObject,
  cr: KubeObject,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const name = crd.metadata.name ?? "";
  const deadline = Date.now() + timeoutMs;
  let wait = 100;
  for (;;) {
    const live = await client.get(
      { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name },
      signal,
    );
    if (isEstablished(live) && (await client.discovery.lookup(cr.apiVersion, cr.kind, signal))) return;
    if (Date.now() > deadline) {
      throw new ObjectError(
        refOf(cr),
        `its CustomResourceDefinition ${name} was not Established within ${timeoutMs / 1000}s`,
      );
    }
    await abortableSleep(wait, signal);
    wait = Math.min(wait * 2, 1000);
  }
}
