// Hash routes (`#/apps/NS/NAME/diff`): the server serves one page, and the back button still works. Pure.

export const TABS = ["resources", "diff", "history", "drift", "events"] as const;
export type Tab = (typeof TABS)[number];

export type Route = { page: "list" } | { page: "app"; namespace: string; name: string; tab: Tab };

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

/** The route a location hash names; anything unknown is the list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/");
  if (parts[0] !== "apps" || parts.length < 3 || parts.length > 4) return { page: "list" };
  const namespace = decode(parts[1] ?? "");
  const name = decode(parts[2] ?? "");
  const tab = parts[3] ?? "resources";
  if (!namespace || !name || !isTab(tab)) return { page: "list" };
  return { page: "app", namespace, name, tab };
}

export function appHref(app: { namespace: string; name: string }, tab: Tab = "resources"): string {
  const base = `#/apps/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
  return tab === "resources" ? base : `${base}/${tab}`;
}
