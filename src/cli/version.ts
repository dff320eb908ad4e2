import { readFileSync } from "node:fs";

// Same relative position from src/cli/*.ts and dist/cli/*.js.
const PACKAGE_JSON = new URL("../../package.json", import.meta.url);

export function bosunVersion(): string {
  const pkg = JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version?: unknown };
  if (typeof pkg.version !== "string") throw new Error("package.json has no version");
  return pkg.version;
}
