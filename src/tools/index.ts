// tools/: the pinned helm, kustomize, sops, age, kubeseal, OCI registry and control-plane binaries: versions,
// where they are, and how they are built from Go modules.
export { buildTools } from "./build.js";
export { ToolMissingError, toolPath } from "./locate.js";
export { cacheRoot, readToolVersions } from "./versions.js";
