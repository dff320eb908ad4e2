// Prints the path of a pinned tool: `npm run -s tool-path -- kubectl`.
import { toolPath } from "../src/tools/locate.js";
import { TOOL_BINARIES, type ToolName } from "../src/tools/versions.js";

const name = process.argv[2] ?? "";
if (!(name in TOOL_BINARIES)) {
  console.error(`usage: npm run -s tool-path -- <${Object.keys(TOOL_BINARIES).join("|")}>`);
  process.exit(2);
}
try {
  console.log(toolPath(name as ToolName));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
