// Writes the CRDs bosun installs into charts/bosun/crds/, one file each; `--check` fails when they differ.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartCrdFiles } from "../src/cli/install-manifests.js";

const dir = join(import.meta.dirname, "../charts/bosun/crds");
const check = process.argv.includes("--check");
let stale = 0;
for (const [file, text] of chartCrdFiles()) {
  const path = join(dir, file);
  let current: string | undefined;
  try {
    current = readFileSync(path, "utf8");
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  if (check) {
    console.error(`${path} differs from the CRD bosun installs: run \`npm run chart:crds\``);
    stale++;
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale > 0) process.exit(1);
