// REST paths of the Kubernetes API, parsed: discovery documents, and resource requests
// (`/api/v1/namespaces/ns/pods/name/status`, `/apis/apps/v1/deployments`, …).

export type Route =
  | { kind: "version" }
  | { kind: "health" }
  | { kind: "legacy-versions" }
  | { kind: "groups" }
  | { kind: "group"; group: string }
  | { kind: "resources"; group: string; version: string }
  | { kind: "openapi"; path: string }
  | {
      kind: "resource";
      group: string;
      version: string;
      namespace: string;
      plural: string;
      name?: string;
      subresource?: string;
    }
  | { kind: "unknown" };

const HEALTH = new Set(["/healthz", "/livez", "/readyz"]);

function resourceRoute(group: string, version: string, rest: string[], isPlural: (p: string) => boolean): Route {
  const [first, second, third, fourth, fifth] = rest;
  if (first === undefined) return { kind: "resources", group, version };
  const base = { kind: "resource" as const, group, version };
  if (first === "namespaces" && second !== undefined && third !== undefined && isPlural(third)) {
    return { ...base, namespace: second, plural: third, name: fourth, subresource: fifth };
  }
  if (rest.length > 3) return { kind: "unknown" };
  return { ...base, namespace: "", plural: first, name: second, subresource: third };
}

export function parseRoute(pathname: string, isPlural: (group: string, plural: string) => boolean): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/version") return { kind: "version" };
  if (HEALTH.has(path) || path.startsWith("/healthz/") || path.startsWith("/readyz/")) return { kind: "health" };
  if (path === "/api") return { kind: "legacy-versions" };
  if (path === "/apis") return { kind: "groups" };
  if (path.startsWith("/openapi/")) return { kind: "openapi", path };
  const parts = path.split("/").slice(1).map(decodeURIComponent);
  if (parts[0] === "api" && parts[1]) return resourceRoute("", parts[1], parts.slice(2), (p) => isPlural("", p));
  if (parts[0] === "apis" && parts[1]) {
    const group = parts[1];
    if (!parts[2]) return { kind: "group", group };
    return resourceRoute(group, parts[2], parts.slice(3), (p) => isPlural(group, p));
  }
  return { kind: "unknown" };
}
