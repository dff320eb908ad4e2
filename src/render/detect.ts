// Which tool renders a path: the spec's explicit choice, else kustomization → kustomize, Chart.yaml → helm,
// else plain manifests.
import { readdir } from "node:fs/promises";
import { RenderError } from "./errors.js";
import { KUSTOMIZATION_FILES } from "./kustomize-graph.js";
import type { RenderSourceSpec, RenderTool } from "./types.js";

const TOOLS: readonly RenderTool[] = ["directory", "kustomize", "helm"];

/** The tool the spec names, if it names one; more than one is an error. */
export function explicitTool(source: RenderSourceSpec): RenderTool | undefined {
  const named = TOOLS.filter((tool) => source[tool] !== undefined);
  if (named.length > 1) {
    throw new RenderError(`the source sets ${named.join(" and ")}: set at most one of directory, kustomize, helm`);
  }
  return named[0];
}

/** The tool for the files of a directory (real path). */
export async function detectTool(dir: string, options: { signal: AbortSignal }): Promise<RenderTool> {
  options.signal.throwIfAborted();
  const names = new Set(await readdir(dir));
  if (KUSTOMIZATION_FILES.some((name) => names.has(name))) return "kustomize";
  if (names.has("Chart.yaml")) return "helm";
  return "directory";
}
