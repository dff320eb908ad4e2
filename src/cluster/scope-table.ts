import type { KubeClient } from "./client.js";

interface APIGroupList {
  groups: Array<{ name: string; versions: Array<{ groupVersion: string }> }>;
}
interface APIResourceList {
  groupVersion: string;
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/**
 * Which kinds are namespaced, from discovery, answered synchronously (render asks per object). Refreshed
 * on demand; unknown kinds answer undefined and render falls back to its own rules.
 */
function sameEntries(a: ReadonlyMap<string, boolean>, b: ReadonlyMap<string, boolean>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export class ScopeTable {
  private table = new Map<string, boolean>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  /** Goes up whenever a reload answers differently (a CRD came or went): what was rendered with the old answers is stale. */
  generation = 0;

  constructor(private readonly client: KubeClient) {}

  isNamespaced = (apiVersion: string, kind: string): boolean | undefined => this.table.get(`${apiVersion}|${kind}`);

  /**
   * What helm's Capabilities.APIVersions holds for `helm install` on this cluster: every group/version and
   * every group/version/Kind served, sorted.
   */
  apiVersions = (): string[] => {
    if (this.versionsOf !== this.table) {
      const out = new Set<string>();
      for (const key of this.table.keys()) {
        const [gv, kind] = key.split("|");
        out.add(gv as string);
        out.add(`${gv}/${kind}`);
      }
      this.versions = [...out].sort();
      this.versionsOf = this.table;
    }
    return this.versions;
  };
  private versions: string[] = [];
  private versionsOf: ReadonlyMap<string, boolean> | undefined;

  /** Reloads when older than maxAgeMs; concurrent callers share one reload. */
  async refresh(signal: AbortSignal, maxAgeMs = 60_000): Promise<void> {
    if (Date.now() - this.loadedAt < maxAgeMs) return;
    this.loading ??= this.load(signal).finally(() => {
      this.loading = undefined;
    });
    await this.loading;
  }

  private async load(signal: AbortSignal): Promise<void> {
    const next = new Map<string, boolean>();
    const groupVersions = ["v1"];
    const groups = (await this.client.rest.request<APIGroupList>({ method: "GET", path: "/apis", signal })).body;
    for (const g of groups.groups) for (const v of g.versions) groupVersions.push(v.groupVersion);
    for (const gv of groupVersions) {
      const path = gv === "v1" ? "/api/v1" : `/apis/${gv}`;
      try {
        const list = (await this.client.rest.request<APIResourceList>({ method: "GET", path, signal })).body;
        for (const r of list.resources) if (!r.name.includes("/")) next.set(`${gv}|${r.kind}`, r.namespaced);
      } catch {
        // An aggregated API that is down must not stop the rest.
      }
    }
    if (!sameEntries(next, this.table)) this.generation++;
    this.table = next;
    this.loadedAt = Date.now();
  }
}
