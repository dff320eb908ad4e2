// The desired state's shape, what loading it needs, and how it fails: shared by the loader and the parts it
// is made of (locate-source.ts), so neither imports the other.
import type { KubeObject } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { RenderRequest, RenderResult } from "../render/index.js";
import type { ChartSource, GitSource, ResolvedRevision } from "../source/index.js";
import type { AgentObserver } from "./observer.js";

/** Where loading the desired state failed: fetching/resolving the source, or rendering it. */
export class DesiredStateError extends Error {
  override readonly name = "DesiredStateError";
  /** The commit being rendered, when the source resolved (a render failure). */
  readonly revision?: string;
  constructor(
    readonly stage: "source" | "render",
    options: { cause: unknown; revision?: string },
  ) {
    super(options.cause instanceof Error ? options.cause.message : String(options.cause), { cause: options.cause });
    if (options.revision !== undefined) this.revision = options.revision;
  }
}

/** helm's --kube-version from the API server's gitVersion (`v1.36.3+k3s1` → `1.36.3`). */
export function kubeVersionOf(gitVersion: string | undefined): string | undefined {
  return gitVersion?.replace(/^v/, "").replace(/[-+].*$/, "") || undefined;
}

export interface DesiredState {
  revision: ResolvedRevision;
  objects: KubeObject[];
  fromCache: boolean;
  /** Values from Secrets (helm.valuesFrom) that must be masked in whatever bosun shows. */
  sensitive?: readonly string[];
}

export interface DesiredStateDeps {
  client: KubeClient;
  git: GitSource;
  /** Charts from Helm repositories and OCI registries; an Application naming a chart fails without it. */
  charts?: ChartSource;
  render: (request: RenderRequest) => Promise<RenderResult>;
  isNamespaced: RenderRequest["isNamespaced"];
  kubeVersion?: string;
  /** helm's --api-versions (Capabilities.APIVersions): the destination cluster's groups, versions and kinds. */
  apiVersions?: () => string[];
  /** Hears of each fetch and render (the agent's metrics); nothing by default. */
  observe?: AgentObserver;
  /** Milliseconds for durations (default performance.now). */
  clock?: () => number;
  /** Changes whenever what isNamespaced answers may have changed (a CRD came or went). */
  scopeGeneration?: () => number;
  /** The destination cluster's server: what the capabilities above are of. */
  destination?: string;
}
