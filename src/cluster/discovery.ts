import { ApiError } from "./errors.js";
import type { RestClient } from "./rest.js";

/** What the API server says about one kind: the REST resource that serves it and its scope. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  namespaced: boolean;
  verbs: readonly string[];
}

interface APIResourceList {
  groupVersion: string;
  resources: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

/** "apps/v1" → ["apps", "v1"]; "v1" → ["", "v1"]. */
export function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** REST path of a collection (no name) or an object, in a namespace when the kind is namespaced. */
export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const obj = name ? `/${encodeURIComponent(name)}` : "";
  return `${base}${ns}/${info.resource}${obj}`;
}

/**
 * Maps group/version/kind to resources, one cached discovery document per group-version. An unknown kind
 * refreshes its group-version (a CRD applied a moment ago is found once it is Established).
 */
export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  private preferred: Promise<Map<string, string>> | undefined;

  constructor(private readonly rest: RestClient) {}

  /** The resource for apiVersion+kind, or undefined when the server does not serve that kind. */
  async lookup(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo | undefined> {
    const cached = await this.groupVersion(apiVersion, signal, false);
    const hit = cached?.get(kind);
    if (hit) return hit;
    return (await this.groupVersion(apiVersion, signal, true))?.get(kind);
  }

  /** The server's preferred apiVersion of an API group ("" is the core group: v1); undefined when not served. */
  async preferredApiVersion(group: string, signal?: AbortSignal): Promise<string | undefined> {
    if (group === "") return "v1";
    this.preferred ??= this.rest
      .request<{ groups: Array<{ name: string; preferredVersion?: { groupVersion: string } }> }>({
        method: "GET",
        path: "/apis",
        signal,
      })
      .then((res) => new Map(res.body.groups.map((g) => [g.name, g.preferredVersion?.groupVersion ?? ""])));
    this.preferred.catch(() => {
      this.preferred = undefined;
    });
    return (await this.preferred).get(group) || undefined;
  }

  /** Forget everything (e.g. after a CRD was deleted). */
  invalidate(apiVersion?: string): void {
    this.preferred = undefined;
    if (apiVersion) this.cache.delete(apiVersion);
    else this.cache.clear();
  }

  private groupVersion(
    apiVersion: string,
    signal: AbortSignal | undefined,
    refresh: boolean,
  ): Promise<Map<string, ResourceInfo> | undefined> {
    const existing = this.cache.get(apiVersion);
    if (existing && !refresh) return existing;
    const loading = this.fetchGroupVersion(apiVersion, signal);
    this.cache.set(apiVersion, loading);
    // A failed load must not poison the cache.
    loading.catch(() => this.cache.get(apiVersion) === loading && this.cache.delete(apiVersion));
    return loading;
  }

  private async fetchGroupVersion(
    apiVersion: string,
    signal?: AbortSignal,
  ): Promise<Map<string, ResourceInfo> | undefined> {
    const [group, version] = splitApiVersion(apiVersion);
    if (!version || /[^a-zA-Z0-9.-]/.test(group + version)) return undefined;
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let list: APIResourceList;
    try {
      list = (await this.rest.request<APIResourceList>({ method: "GET", path, signal })).body;
    } catch (err) {
      if (err instanceof ApiError && err.isNotFound) return undefined;
      throw err;
    }
    const byKind = new Map<string, ResourceInfo>();
    for (const r of list.resources) {
      if (r.name.includes("/")) continue; // subresources such as deployments/scale
      byKind.set(r.kind, {
        group,
        version,
        kind: r.kind,
        resource: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
      });
    }
    return byKind;
  }
}
