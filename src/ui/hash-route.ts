// Hash routes (`#/apps/NS/NAME/diff`, `#/clusters`, `#/?cluster=prod`): the server serves one page, and the
// back button still works. Pure.

export const TABS = ["resources", "diff", "history", "drift", "events"] as const;
export type Tab = (typeof TABS)[number];

export type Route =
  /** The Application list; `cluster` keeps only those deploying there. */
  | { page: "list"; cluster?: string }
  | { page: "clusters" }
  | { page: "app"; namespace: string; name: string; tab: Tab };

export const CLUSTERS_HREF = "#/clusters";

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

function appRoute(parts: string[]): Route | undefined {
  if (parts[0] !== "apps" || parts.length < 3 || parts.length > 4) return undefined;
  const namespace = decode(parts[1] ?? "");
  const name = decode(parts[2] ?? "");
  const tab = parts[3] ?? "resources";
  if (!namespace || !name || !isTab(tab)) return undefined;
  return { page: "app", namespace, name, tab };
}

/** The route a location hash names; anything unknown is the (unfiltered) list. */
export function parseRoute(hash: string): Route {
  const rest = hash.replace(/^#\/?/, "");
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  if (path === "clusters") return { page: "clusters" };
  if (path === "") return listRoute(q < 0 ? "" : rest.slice(q + 1));
  return appRoute(path.split("/")) ?? { page: "list" };
}

export function appHref(app: { namespace: string; name: string }, tab: Tab = "resources"): string {
  const base = `#/apps/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
  return tab === "resources" ? base : `${base}/${tab}`;
}

/** The list, only the Applications deploying to `cluster` when one is given. */
export function listHref(filter: { cluster?: string } = {}): string {
  return filter.cluster ? `#/?${new URLSearchParams({ cluster: filter.cluster }).toString()}` : "#/";
}
