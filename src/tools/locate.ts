import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { cacheRoot, packageDir, readToolVersions, TOOL_BINARIES, type ToolName } from "./versions.js";

export class ToolMissingError extends Error {
  constructor(
    readonly tool: ToolName,
    readonly expectedPath: string,
  ) {
    super(
      `${tool} is not built: expected it at ${expectedPath}. ` +
        "Run `npm run tools` in the bosun checkout to build the pinned tools (needs Go 1.26 and the Go module proxy).",
    );
    this.name = "ToolMissingError";
  }
}

/** Path of a pinned tool's binary, or a ToolMissingError that says how to get it. */
export function toolPath(tool: ToolName, root: string = cacheRoot()): string {
  const pkg = TOOL_BINARIES[tool];
  const path = join(packageDir(pkg, readToolVersions()[pkg], root), tool);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new ToolMissingError(tool, path);
  }
  return path;
}
