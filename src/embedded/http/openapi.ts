// A minimal OpenAPI v3: the per-group-version documents list each resource's PATCH operation with its
// group-version-kind and query parameters. That is what kubectl reads to learn that the server validates
// fields itself (`fieldValidation`), so it neither needs nor downloads schemas. No schemas are served;
// kubectl then builds client-side apply patches from its own built-in types (JSON merge patches for
// custom resources).

import { createHash } from "node:crypto";
import type { ResourceRegistry } from "../resources/registry.js";
import type { ResourceType } from "../resources/resource-type.js";

const QUERY_PARAMS = ["dryRun", "fieldManager", "fieldValidation", "force"];

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function patchOperation(t: ResourceType, version: string): Record<string, unknown> {
  return {
    operationId: `patch${t.kind}`,
    parameters: QUERY_PARAMS.map((name) => ({
      name,
      in: "query",
      schema: { type: name === "force" ? "boolean" : "string", uniqueItems: true },
    })),
    responses: { "200": { description: "OK" } },
    "x-kubernetes-action": "patch",
    "x-kubernetes-group-version-kind": { group: t.group, version, kind: t.kind },
  };
}

export function openApiGroupVersion(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.versions.includes(version));
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const ns = t.namespaced ? "/namespaces/{namespace}" : "";
    paths[`/${gvPath(group, version)}${ns}/${t.plural}/{name}`] = { patch: patchOperation(t, version) };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.36.3" }, paths, components: { schemas: {} } };
}

function hashOf(doc: unknown): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
}

export function openApiRoot(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [group, versions] of registry.groups()) {
    for (const version of versions) {
      const path = gvPath(group, version);
      paths[path] = {
        serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(openApiGroupVersion(registry, group, version))}`,
      };
    }
  }
  return { paths };
}

/** The document for an /openapi/... path, or undefined (v2 is not served). */
export function openApiDocument(registry: ResourceRegistry, pathname: string): Record<string, unknown> | undefined {
  const path = pathname.replace(/\/+$/, "");
  if (path === "/openapi/v3") return openApiRoot(registry);
  const m = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  return m[1] ? openApiGroupVersion(registry, "", m[1]) : openApiGroupVersion(registry, m[2] ?? "", m[3] ?? "");
}
