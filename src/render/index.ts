export { RENDER_CACHE_FORMAT, renderCacheKey, stableHash, stableStringify } from "./cache-key.js";
export {
  ChartDependencyError,
  MissingFileError,
  PathEscapeError,
  RemoteReferenceError,
  RenderError,
  type RenderErrorOptions,
  ToolFailedError,
} from "./errors.js";
export { globToRegExp, matchesGlob } from "./glob.js";
export { isRemoteReference } from "./kustomize-graph.js";
export { parseImageOverride } from "./kustomize-overlay.js";
export { parseConfigFile, parseManifests } from "./manifests.js";
export { Renderer, type RendererOptions, type RenderToolVersions } from "./renderer.js";
export { RepoRoot } from "./repo-root.js";
export { CLUSTER_SCOPED_KINDS, scopeOf } from "./scope.js";
export {
  type SubstituteOptions,
  SubstitutionError,
  type SubstitutionFailure,
  substituteVariables,
} from "./substitute.js";
export {
  execToolRunner,
  type RenderBinary,
  type ToolInvocation,
  type ToolOutput,
  type ToolRunner,
} from "./tool-runner.js";
export type {
  AppIdentity,
  Decrypt,
  DecryptInput,
  DirectorySpec,
  HelmSpec,
  IsNamespaced,
  KustomizeImage,
  KustomizeLabels,
  KustomizePatch,
  KustomizePatchTarget,
  KustomizeSpec,
  RenderedDocument,
  RenderRequest,
  RenderResult,
  RenderSourceSpec,
  RenderTool,
} from "./types.js";
