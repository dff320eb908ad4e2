// Hash routes (`#/apps/NS/NAME/diff`, `#/clusters`, `#/?cluster=prod`): the server serves one page, and the
// back button still works. Pure.

export const TABS = ["resources", "diff", "history", "drift", "events"] as const;
export type Tab = (typeof TABS)[number];

export type Route =
  /** The Application list; `cluster` keeps only those deploying there. */
  | { page: "list"; cluster?: string }
  | { page: "clusters" }
  | { page: "app"; namespace: string; name: string; tab: Tab; resource?: ResourceKey }
  /** The form for a new Application. */
  | { page: "new" }
  /** The form editing an Application. */
  | { page: "edit"; namespace: string; name: string };

/** One object of an Application's resource tree, named in its Resources tab's location (`?resource=G/K/NS/N`). */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export const CLUSTERS_HREF = "#/clusters";
export const NEW_APP_HREF = "#/new";

function isTab(value: string): value is Tab {
  return (TABS as readonly string[]).includes(value);
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function listRoute(query: string): Route {
  const cluster = new URLSearchParams(query).get("cluster");
  return cluster ? { page: "list", cluster } : { page: "list" };
}

/** `group/Kind/namespace/name` (group and namespace may be empty); undefined when it is not that. */
function parseResource(value: string | null): ResourceKey | undefined {
  const parts = value?.split("/");
  if (parts?.length !== 4) return undefined;
  const [group = "", kind = "", namespace = "", name = ""] = parts;
  return kind && name ? { group, kind, namespace, name } : undefined;
}

function appRoute(parts: string[], query: string): Route | undefined {
  if (parts[0] !== "apps" || parts.length < 3 || parts.length > 4) return undefined;
  const namespace = decode(parts[1] ?? "");
  const name = decode(parts[2] ?? "");
  const tab = parts[3] ?? "resources";
  if (namespace && name && tab === "edit") return { page: "edit", namespace, name };
  if (!namespace || !name || !isTab(tab)) return undefined;
  const resource = tab === "resources" ? parseResource(new URLSearchParams(query).get("resource")) : undefined;
  return resource ? { page: "app", namespace, name, tab, resource } : { page: "app", namespace, name, tab };
}

/** The route a location hash names; anything unknown is the (unfiltered) list. */
export function parseRoute(hash: string): Route {
  const rest = hash.replace(/^#\/?/, "");
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  if (path === "clusters") return { page: "clusters" };
  if (path === "new") return { page: "new" };
  if (path === "") return listRoute(q < 0 ? "" : rest.slice(q + 1));
  return appRoute(path.split("/"), q < 0 ? "" : rest.slice(q + 1)) ?? { page: "list" };
}

export function appHref(app: { namespace: string; name: string }, tab: Tab = "resources"): string {
  const base = `#/apps/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
  return tab === "resources" ? base : `${base}/${tab}`;
}

/** The Resources tab of an Application with one object of its tree open. */
export function resourceHref(app: { namespace: string; name: string }, resource: ResourceKey): string {
  const key = [resource.group, resource.kind, resource.namespace, resource.name].map(encodeURIComponent).join("/");
  return `${appHref(app)}/resources?resource=${key}`;
}

/** The list, only the Applications deploying to `cluster` when one is given. */
export function listHref(filter: { cluster?: string } = {}): string {
  return filter.cluster ? `#/?${new URLSearchParams({ cluster: filter.cluster }).toString()}` : "#/";
}

/** The form editing an Application. */
export function editHref(app: { namespace: string; name: string }): string {
  return `#/apps/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}/edit`;
}
