import { ANNOTATIONS } from "./names.js";
import type { ObjectRef } from "./object.js";

// Two string forms of an object's identity. Both are contracts with users' clusters (they are stored in
// annotations and in Application.status.inventory), so they never change and always parse back exactly.

/** Inventory id, as Flux writes it: `<group>_<kind>_<namespace>_<name>` (group and namespace may be empty). */
export function inventoryId(ref: ObjectRef): string {
  return `${ref.group}_${ref.kind}_${ref.namespace}_${ref.name}`;
}

/**
 * The ref of an inventory id; undefined when the string is not one. Groups, kinds and namespaces cannot
 * hold "_" (DNS names and identifiers), so the first three "_" end them and the rest is the name, which
 * may (RBAC objects, for one, take any path segment as a name: `reader_role:with_underscores`).
 */
export function parseInventoryId(id: string): ObjectRef | undefined {
  const [group, kind, namespace, ...rest] = id.split("_");
  const name = rest.join("_");
  if (group === undefined || !kind || namespace === undefined || !name) return undefined;
  return { group, kind, namespace, name };
}

/** `<app-namespace>/<app-name>:<group>/<kind>:<namespace>/<name>`: the annotation that marks ownership. */
/** An Application, by namespace and name. */
export interface AppKey {
  namespace: string;
  name: string;
}

/** The key of an Application object. */
export function appKeyOf(app: { metadata: { namespace: string; name: string } }): AppKey {
  return { namespace: app.metadata.namespace, name: app.metadata.name };
}

export function trackingId(app: AppKey, ref: ObjectRef): string {
  return `${app.namespace}/${app.name}:${ref.group}/${ref.kind}:${ref.namespace}/${ref.name}`;
}

export interface ParsedTrackingId {
  app: { namespace: string; name: string };
  ref: ObjectRef;
}

export function parseTrackingId(id: string): ParsedTrackingId | undefined {
  const m = /^([^/:]+)\/([^/:]+):([^/:]*)\/([^/:]+):([^/:]*)\/([^/]+)$/.exec(id);
  if (!m) return undefined;
  const [, appNamespace, appName, group, kind, namespace, name] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { app: { namespace: appNamespace, name: appName }, ref: { group, kind, namespace, name } };
}

/** The Application whose tracking annotation an object carries, or undefined for an untracked object. */
export function trackedBy(
  obj: { metadata: { annotations?: Record<string, string> } } | undefined,
): { namespace: string; name: string } | undefined {
  const id = obj?.metadata.annotations?.[ANNOTATIONS.trackingId];
  return id ? parseTrackingId(id)?.app : undefined;
}
