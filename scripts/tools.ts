// Builds the pinned real tools (tools/versions.json) into ~/.cache/bosun/tools; a no-op when all are present.
import { buildTools } from "../src/tools/build.js";
import { TOOL_PACKAGES, type ToolPackage } from "../src/tools/versions.js";

const only = process.argv.slice(2);
for (const name of only) {
  if (!(TOOL_PACKAGES as readonly string[]).includes(name)) {
    console.error(`unknown tool package "${name}"; known: ${TOOL_PACKAGES.join(", ")}`);
    process.exit(2);
  }
}
const controller = new AbortController();
process.on("SIGINT", () => controller.abort());
try {
  await buildTools({ only: only.length > 0 ? (only as ToolPackage[]) : undefined, signal: controller.signal });
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
