// Discovery documents, built from the registry: what kubectl, client-go and bosun's cluster/ read to
// map kinds to resources. Served in the unaggregated form (APIVersions, APIGroupList,
// APIResourceList), which clients accept when they ask for aggregated discovery first.

import { REVIEW_RESOURCES } from "../auth/reviews.js";
import type { ResourceRegistry } from "../resources/registry.js";
import { groupVersion, type ResourceType, VERBS } from "../resources/resource-type.js";

export const SERVER_VERSION = {
  major: "1",
  minor: "36",
  emulationMajor: "1",
  emulationMinor: "36",
  minCompatibilityMajor: "1",
  minCompatibilityMinor: "35",
  gitVersion: "v1.36.3-bosun.embedded",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "n/a (bosun embedded)",
  compiler: "n/a",
  platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
};

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((v) => ({ groupVersion: groupVersion(name, v), version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** The registry's groups, and the review APIs' (create-only, never stored). */
function servedGroups(registry: ResourceRegistry): Map<string, string[]> {
  const groups = registry.groups();
  for (const review of REVIEW_RESOURCES) {
    const versions = groups.get(review.group) ?? [];
    if (!versions.includes(review.version)) groups.set(review.group, [...versions, review.version]);
  }
  return groups;
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = [...servedGroups(registry)]
    .filter(([name]) => name !== "")
    .map(([name, versions]) => groupEntry(name, versions));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroup(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const versions = servedGroups(registry).get(group);
  return versions ? { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, versions) } : undefined;
}

function entries(t: ResourceType): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: [...VERBS],
  };
  if (t.shortNames.length > 0) main.shortNames = [...t.shortNames];
  if (t.categories.length > 0) main.categories = [...t.categories];
  const out = [main];
  if (t.status)
    out.push({
      name: `${t.plural}/status`,
      singularName: "",
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ["get", "patch", "update"],
    });
  if (t.scale)
    out.push({
      name: `${t.plural}/scale`,
      singularName: "",
      namespaced: t.namespaced,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    });
  return out;
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.versions.includes(version));
  const reviews = REVIEW_RESOURCES.filter((r) => r.group === group && r.version === version).map((r) => ({
    name: r.plural,
    singularName: "",
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ["create"],
  }));
  if (types.length === 0 && reviews.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupVersion(group, version),
    resources: [...types.flatMap(entries), ...reviews],
  };
}
