// The data a render takes and returns.
import type { KubeObject } from "../api/index.js";

export type RenderTool = "directory" | "kustomize" | "helm";

/** Plain manifests. */
export interface DirectorySpec {
  /** Include files in subdirectories too (hidden files and directories are always skipped). */
  recurse?: boolean;
  /**
   * Glob of files to render (default: every .yaml, .yml and .json file). A pattern without `/` matches the
   * file name, one with `/` the path relative to the app path. `*`, `?`, `**`, `[...]` and `{a,b}` work.
   */
  include?: string;
  /** Glob of files to leave out, same syntax; wins over include. */
  exclude?: string;
}

/** An image override, as in a kustomization's `images`. */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface KustomizePatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A patch of the generated overlay: inline (`patch`) or a file (`path`, relative to the app path, inside the repo). */
export interface KustomizePatch {
  patch?: string;
  path?: string;
  target?: KustomizePatchTarget;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface KustomizeLabels {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

/** A kustomization, plus Application-level overrides applied through a generated overlay. */
export interface KustomizeSpec {
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  /** `{name, newName, newTag, digest}` or the `kustomize edit set image` form: `nginx=registry/nginx:1.2`. */
  images?: Array<string | KustomizeImage>;
  patches?: KustomizePatch[];
  /** Labels added to metadata, selectors and templates (kustomize's commonLabels semantics). */
  commonLabels?: Record<string, string>;
  labels?: KustomizeLabels[];
  commonAnnotations?: Record<string, string>;
  /** Let kustomize fetch remote (URL, git) bases. Off by default; a render that uses one is never cached. */
  allowRemoteBases?: boolean;
}

/** A Helm chart. */
export interface HelmSpec {
  /** Default: the Application's name. */
  releaseName?: string;
  /** Paths relative to the chart directory; each must exist and resolve inside the repository. */
  valueFiles?: string[];
  /** Inline values, applied after the value files (so they win). */
  values?: Record<string, unknown>;
  /** Leave out the chart's `crds/` (default: they are included). */
  skipCrds?: boolean;
}

/** How to render: at most one of these; none means detect from the path's files. */
export interface RenderSourceSpec {
  directory?: DirectorySpec;
  kustomize?: KustomizeSpec;
  helm?: HelmSpec;
}

/** One rendered object and, when known, the file it came from (relative to the repository root). */
export interface RenderedDocument {
  file?: string;
  object: KubeObject;
}

/** Whether a kind is namespaced, from discovery; undefined when the cluster does not know it. */
export type IsNamespaced = (apiVersion: string, kind: string) => boolean | undefined;

export interface DecryptInput {
  /** The file the object came from, when known (relative to the repository root). */
  file?: string;
  /** A copy the decryptor may change. */
  object: KubeObject;
  /**
   * Every document of the same file, in file order (this one at `index`), when the file held several: a
   * format that protects a whole file at once (SOPS: one MAC over all documents) needs all of them.
   */
  fileDocuments?: readonly KubeObject[];
  index?: number;
  signal: AbortSignal;
}

/** The decryption step: runs on every rendered object between render and post-processing. */
export type Decrypt = (input: DecryptInput) => Promise<KubeObject>;

export interface AppIdentity {
  name: string;
  namespace: string;
}

export interface RenderRequest {
  /** The checkout (or local directory) the path is relative to; nothing outside it is read. */
  repoRoot: string;
  /** The app path relative to repoRoot ("" or "." for the root). */
  path: string;
  /** The commit repoRoot holds. Without it the render is not cached. */
  commit?: string;
  source: RenderSourceSpec;
  app: AppIdentity;
  /** Namespace for namespaced objects that have none, and helm's --namespace ("" for none). */
  destinationNamespace: string;
  /** helm --kube-version (e.g. "1.31.0"), from the destination cluster. */
  kubeVersion?: string;
  /** helm --api-versions, from the destination cluster. */
  apiVersions?: string[];
  isNamespaced?: IsNamespaced;
  decrypt?: Decrypt;
  signal: AbortSignal;
}

export interface RenderResult {
  objects: KubeObject[];
  tool: RenderTool;
  /** True when the tool did not run because a cached render of the same inputs was found. */
  fromCache: boolean;
}
