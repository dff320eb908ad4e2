import { accessSync, constants, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { cacheRoot, packageDir, readToolVersions, TOOL_BINARIES, type ToolName } from "./versions.js";

/** Set in bosun's image: the one directory its tools are in (flat: `$BOSUN_TOOLS_DIR/helm`). */
export const TOOLS_DIR_ENV = "BOSUN_TOOLS_DIR";

export class ToolMissingError extends Error {
  /** The BOSUN_TOOLS_DIR the tool was looked for in; undefined when it was looked for in the cache. */
  readonly toolsDir: string | undefined;

  constructor(
    readonly tool: ToolName,
    readonly expectedPath: string,
    options: { toolsDir?: string; cause?: unknown } = {},
  ) {
    super(
      options.toolsDir === undefined
        ? `${tool} is not built: expected it at ${expectedPath}. ` +
            "Run `npm run tools` in the bosun checkout to build the pinned tools (needs Go 1.26 and the Go module proxy)."
        : `${tool} is not in ${TOOLS_DIR_ENV}=${options.toolsDir}: expected an executable at ${expectedPath}. ` +
            "The bosun image is expected to ship it there: check the image, or unset the variable outside it.",
      { cause: options.cause },
    );
    this.name = "ToolMissingError";
    this.toolsDir = options.toolsDir;
  }
}

export interface ToolPathOptions {
  /** Root of the cache the pinned tools are built into; default cacheRoot(env). */
  root?: string;
  /** Read for BOSUN_TOOLS_DIR (and the cache's location); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Path of a pinned tool's binary, or a ToolMissingError that says how to get it. With BOSUN_TOOLS_DIR set (as in
 * bosun's image) the binary is looked for in that directory only; otherwise in the cache, where `npm run tools`
 * builds it: ~/.cache/bosun/tools/<package>-<version>/.
 */
export function toolPath(tool: ToolName, options: ToolPathOptions = {}): string {
  const env = options.env ?? process.env;
  // Absolute, since the tool runs with the render's directory as its working directory.
  const toolsDir = env[TOOLS_DIR_ENV] ? resolve(env[TOOLS_DIR_ENV]) : undefined;
  const pkg = TOOL_BINARIES[tool];
  const dir = toolsDir ?? packageDir(pkg, readToolVersions()[pkg], options.root ?? cacheRoot(env));
  const path = join(dir, tool);
  try {
    accessSync(path, constants.X_OK);
    if (!statSync(path).isFile()) throw new Error(`${path} is not a file`);
  } catch (cause) {
    throw new ToolMissingError(tool, path, { toolsDir, cause });
  }
  return path;
}
