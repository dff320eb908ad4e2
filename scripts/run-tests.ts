// Runs every test file with node's test runner against one shared real control plane and one shared embedded
// API server, started first and always stopped afterwards (also on failure or Ctrl-C).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { SHARED_EMBEDDED_KUBECONFIG_ENV, SHARED_KUBECONFIG_ENV } from "../test/harness/cluster-fixture.js";
import { down, up } from "../test/harness/control-plane.js";
import { type EmbeddedProcess, startEmbeddedProcess } from "../test/harness/embedded-process.js";

const ROOTS = ["src", "test"];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = ROOTS.flatMap(testFiles)
  .map((f) => relative(process.cwd(), f))
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter.join(" ")}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "bosun-test-cluster-"));
const embeddedDir = mkdtempSync(join(tmpdir(), "bosun-test-embedded-"));
let embedded: EmbeddedProcess | undefined;
let exitCode = 1;
const stop = async () => {
  await embedded?.stop();
  await down(dir);
  rmSync(dir, { recursive: true, force: true });
  rmSync(embeddedDir, { recursive: true, force: true });
};
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    void stop().finally(() => process.exit(130));
  });
}
try {
  const started = Date.now();
  const state = await up(dir);
  console.log(`# test cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s at ${state.server}`);
  const shared = await startEmbeddedProcess(embeddedDir);
  embedded = shared;
  console.log(`# embedded API server up (pid ${shared.pid}), kubeconfig ${shared.kubeconfig}`);
  exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--test", ...files], {
      stdio: "inherit",
      env: {
        ...process.env,
        [SHARED_KUBECONFIG_ENV]: state.kubeconfig,
        [SHARED_EMBEDDED_KUBECONFIG_ENV]: shared.kubeconfig,
      },
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
} finally {
  await stop();
}
process.exit(exitCode);
