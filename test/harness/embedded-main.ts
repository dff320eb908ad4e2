// An embedded API server (with its workload simulator) as a process of its own, for tests that need a
// cluster while they block on kubectl: `node --import tsx test/harness/embedded-main.ts DATA_DIR`. Prints
// one line `ready KUBECONFIG` when it serves; stops on SIGTERM or SIGINT.
import { startEmbeddedServer } from "../../src/embedded/index.js";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: embedded-main.ts DATA_DIR");
  process.exit(2);
}
const stop = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
const server = await startEmbeddedServer({
  dataDir,
  onControllerError: (err) => console.error(`embedded controller error: ${err.message}`),
});
console.log(`ready ${server.kubeconfigPath}`);
await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
await server.close();
